package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/storecopy"
)

func init() {
	register(&command{
		name: "verify", args: "DIR", nargsMin: 1, nargsMax: 1,
		summary: "check a file store, byte by byte; changes nothing",
		help: `
Reads every record ever written to the store in DIR and checks its
checksum, that it follows the rules every record must, and that updates
and deletions come in order. Every problem is listed with where it is in
the file. Nothing is changed, and the store may be in use by a running
program meanwhile.

Exit code 1 means the store is damaged: restore a backup, or see
"cxkit help repair".

Examples:
  cxkit verify /var/lib/myapp/cxkit
  cxkit verify -json /var/lib/myapp/cxkit > report.json`,
		flags: func(fs *flag.FlagSet) func(*env, []string) error {
			asJSON := fs.Bool("json", false, "print the report as JSON")
			return func(e *env, args []string) error {
				if err := mustBeStore(args[0]); err != nil {
					return err
				}
				rep, err := file.Verify(e.ctx, args[0])
				if err != nil {
					return err
				}
				if *asJSON {
					enc := json.NewEncoder(e.stdout)
					enc.SetIndent("", "  ")
					enc.Encode(rep)
				} else {
					fmt.Fprintln(e.stdout, rep)
					for _, p := range rep.Problems {
						fmt.Fprintln(e.stdout, "  problem:", p)
					}
					for _, l := range rep.Leftovers {
						fmt.Fprintf(e.stdout, "  leftover of an interrupted compaction (removed when the store is next opened): %s\n", l)
					}
				}
				if !rep.OK() {
					return errProblem
				}
				return nil
			}
		},
	})
	register(&command{
		name: "repair", args: "DIR", nargsMin: 1, nargsMax: 1,
		summary: "salvage a damaged file store, keeping what was dropped",
		help: `
Keeps every intact write of the damaged store in DIR and sets the damaged
parts aside: their bytes go to a side file, and the damaged log is kept
under another name. Nothing is deleted. Records written after the damage
may depend on ones lost in it, so check the result with your application.
The store must not be in use. Run "cxkit verify" first to see the damage,
and take a copy of the directory.

Example:
  cxkit verify /var/lib/myapp/cxkit || cxkit repair /var/lib/myapp/cxkit`,
		flags: func(fs *flag.FlagSet) func(*env, []string) error {
			return func(e *env, args []string) error {
				if err := mustBeStore(args[0]); err != nil {
					return err
				}
				rep, err := file.Repair(e.ctx, args[0])
				if err != nil {
					return err
				}
				if len(rep.Dropped) == 0 {
					fmt.Fprintf(e.stdout, "%s: no damage found, nothing changed\n", rep.From)
					return nil
				}
				fmt.Fprintf(e.stdout, "kept %d records; damaged log kept as %s; dropped bytes in %s:\n", rep.Records, rep.Damaged, rep.DroppedTo)
				for _, d := range rep.Dropped {
					fmt.Fprintln(e.stdout, "  dropped:", d)
				}
				return nil
			}
		},
	})
	register(&command{
		name: "compact", args: "DIR", nargsMin: 1, nargsMax: 1,
		summary: "reclaim the space of old versions and deleted records",
		help: `
Rewrites the file store in DIR with only its current records, which frees
the space old versions and deleted records take. The store must not be in
use (a running program compacts on its own). A crash part-way leaves the
store as it was.

Example:
  cxkit compact /var/lib/myapp/cxkit`,
		flags: func(fs *flag.FlagSet) func(*env, []string) error {
			return func(e *env, args []string) error {
				d, err := openStore(e.ctx, args[0], "", false)
				if err != nil {
					return err
				}
				fd := d.(*file.Driver)
				defer fd.Close()
				before := fd.Stats()
				if err := fd.Compact(e.ctx); err != nil {
					return err
				}
				after := fd.Stats()
				fmt.Fprintf(e.stdout, "%d records; log was %s, now %s\n", after.Records, size(before.LogBytes), size(after.LogBytes))
				return fd.Close()
			}
		},
	})
	register(&command{
		name: "backup", args: "DIR DEST", nargsMin: 2, nargsMax: 2,
		summary: "copy a file store, even while it is in use, to a new directory",
		help: `
Writes a backup of the file store in DIR into the new directory DEST: the
store exactly as it stood at one moment, even while a running program
keeps writing to it. DEST must not exist (or be empty). The backup is
itself a store, with a BACKUP file holding its checksum; it appears only
once complete, so an interrupted backup never looks like a good one.
With DEST "-" the backup is written to standard output as one stream
(the store must then not be in use).

Examples:
  cxkit backup /var/lib/myapp/cxkit /backups/cxkit-$(date +%F)
  cxkit backup /var/lib/myapp/cxkit - | gzip > cxkit.backup.gz`,
		flags: func(fs *flag.FlagSet) func(*env, []string) error {
			return func(e *env, args []string) error {
				if err := mustBeStore(args[0]); err != nil {
					return err
				}
				var info file.BackupInfo
				var err error
				if args[1] == "-" {
					d, oerr := openStore(e.ctx, args[0], "", false)
					if oerr != nil {
						return oerr
					}
					defer d.Close()
					info, err = d.(*file.Driver).Backup(e.ctx, e.stdout)
				} else {
					info, err = file.BackupStore(e.ctx, args[0], args[1])
				}
				if err != nil {
					return err
				}
				if args[1] != "-" {
					// Read it all back before saying it is good.
					if _, err := file.VerifyBackup(e.ctx, args[1]); err != nil {
						return err
					}
				}
				fmt.Fprintf(e.stderr, "backup: %d records, %s, checksum %s\n", info.Records, size(info.Bytes), info.SHA256[:16])
				return nil
			}
		},
	})
	register(&command{
		name: "restore", args: "BACKUP DIR", nargsMin: 2, nargsMax: 2,
		summary: "make a new file store from a backup",
		help: `
Restores BACKUP (a directory made by "cxkit backup", a backup stream file,
or "-" for a stream on standard input) into DIR, which must be new or
empty: restore never overwrites a store, and refuses one in use. The
backup's checksum and every record are checked first; an incomplete or
damaged backup restores nothing.

Examples:
  cxkit restore /backups/cxkit-2026-03-01 /var/lib/myapp/cxkit-restored
  gunzip < cxkit.backup.gz | cxkit restore - /var/lib/myapp/cxkit-restored`,
		flags: func(fs *flag.FlagSet) func(*env, []string) error {
			return func(e *env, args []string) error {
				var info file.BackupInfo
				var err error
				src := args[0]
				if src == "-" {
					info, err = file.Restore(e.ctx, e.stdin, args[1])
				} else if st, serr := os.Stat(src); serr != nil {
					return serr
				} else if st.IsDir() {
					info, err = file.RestoreDir(e.ctx, src, args[1])
				} else {
					f, oerr := os.Open(src)
					if oerr != nil {
						return oerr
					}
					defer f.Close()
					info, err = file.Restore(e.ctx, f, args[1])
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "restored %d records (%s) into %s\n", info.Records, size(info.Bytes), args[1])
				return nil
			}
		},
	})
	register(&command{
		name: "stats", args: "STORE", nargsMin: 1, nargsMax: 1,
		summary: "count the records of each kind",
		help: `
Prints how many records of each kind STORE holds and, for a file store,
how large its log is and how much of it old versions take.

Examples:
  cxkit stats /var/lib/myapp/cxkit
  cxkit stats postgres://app@db/crm`,
		flags: func(fs *flag.FlagSet) func(*env, []string) error {
			schema := fs.String("schema", "", "PostgreSQL schema (default: the driver's)")
			return func(e *env, args []string) error {
				d, err := openStore(e.ctx, args[0], *schema, false)
				if err != nil {
					return err
				}
				defer d.Close()
				kl, ok := d.(store.KindLister)
				if !ok {
					return errors.New("this store cannot list its kinds")
				}
				kinds, err := kl.Kinds(e.ctx)
				if err != nil {
					return err
				}
				total := int64(0)
				for _, k := range kinds {
					n, err := count(e, d, k)
					if err != nil {
						return err
					}
					total += n
					fmt.Fprintf(e.stdout, "%-24s %d\n", k, n)
				}
				fmt.Fprintf(e.stdout, "%-24s %d\n", "all kinds", total)
				if fd, ok := d.(*file.Driver); ok {
					s := fd.Stats()
					fmt.Fprintf(e.stdout, "log: %s, of which current records %s\n", size(s.LogBytes), size(s.LiveBytes))
				}
				return nil
			}
		},
	})
	register(&command{
		name: "copy", args: "FROM TO", nargsMin: 2, nargsMax: 2,
		summary: "copy every record from one store to another",
		help: `
Copies the records of store FROM into store TO (either may be a directory
or a PostgreSQL URL), keeping their kinds, IDs, attributes, contents and
times; versions start again at 1. If the copy stops part-way (Ctrl-C, a
lost connection), run it again: records already copied are skipped. A
record TO holds with different contents stops the copy; it is never
overwritten. Progress goes to standard error.

Examples:
  cxkit copy /var/lib/myapp/cxkit postgres://app@db/crm
  cxkit copy -kinds complaint,feedback postgres://app@db/crm /tmp/cxkit-copy`,
		flags: func(fs *flag.FlagSet) func(*env, []string) error {
			kinds := fs.String("kinds", "", "comma-separated kinds to copy (default: all)")
			batch := fs.Int("batch", 1000, "records per write")
			schema := fs.String("schema", "", "PostgreSQL schema (default: the driver's)")
			return func(e *env, args []string) error {
				if *batch <= 0 {
					return usageError{"-batch must be positive"}
				}
				src, err := openStore(e.ctx, args[0], *schema, false)
				if err != nil {
					return err
				}
				defer src.Close()
				dst, err := openStore(e.ctx, args[1], *schema, true)
				if err != nil {
					return err
				}
				defer dst.Close()
				p := newProgress(e.stderr, "copied")
				res, err := storecopy.Copy(e.ctx, dst, src, storecopy.Options{Kinds: splitKinds(*kinds), BatchSize: *batch, Progress: p.update})
				p.done(res)
				if err != nil {
					return err
				}
				return dst.Close()
			}
		},
	})
	register(&command{
		name: "export", args: "STORE", nargsMin: 1, nargsMax: 1,
		summary: "write every record as JSON lines",
		help: `
Writes the records of STORE as JSON, one record a line, kind by kind:
{"kind", "id", "version", "attrs", "body" (base64), "created", "updated"}.
Output goes to standard output unless -o names a file.

Examples:
  cxkit export /var/lib/myapp/cxkit > all.jsonl
  cxkit export -kinds complaint -o complaints.jsonl postgres://app@db/crm`,
		flags: func(fs *flag.FlagSet) func(*env, []string) error {
			kinds := fs.String("kinds", "", "comma-separated kinds to export (default: all)")
			out := fs.String("o", "", "write to this file instead of standard output")
			schema := fs.String("schema", "", "PostgreSQL schema (default: the driver's)")
			return func(e *env, args []string) error {
				d, err := openStore(e.ctx, args[0], *schema, false)
				if err != nil {
					return err
				}
				defer d.Close()
				w := e.stdout
				var f *os.File
				if *out != "" {
					if f, err = os.Create(*out); err != nil {
						return err
					}
					defer f.Close()
					w = f
				}
				p := newProgress(e.stderr, "exported")
				res, err := storecopy.Export(e.ctx, w, d, storecopy.Options{Kinds: splitKinds(*kinds), Progress: p.update})
				p.done(res)
				if err != nil {
					return err
				}
				if f != nil {
					return f.Close()
				}
				return nil
			}
		},
	})
	register(&command{
		name: "import", args: "STORE", nargsMin: 1, nargsMax: 1,
		summary: "read records from JSON lines into a store",
		help: `
Reads JSON lines as "cxkit export" writes them into STORE (created if it is
a new directory). Run it again after an interruption: records already
there with the same contents are skipped; one with different contents
stops the import. Input comes from standard input unless -i names a file.

Examples:
  cxkit import /tmp/cxkit-new < all.jsonl
  cxkit import -i complaints.jsonl postgres://app@db/crm`,
		flags: func(fs *flag.FlagSet) func(*env, []string) error {
			in := fs.String("i", "", "read this file instead of standard input")
			schema := fs.String("schema", "", "PostgreSQL schema (default: the driver's)")
			return func(e *env, args []string) error {
				r := e.stdin
				if *in != "" {
					f, err := os.Open(*in)
					if err != nil {
						return err
					}
					defer f.Close()
					r = f
				}
				d, err := openStore(e.ctx, args[0], *schema, true)
				if err != nil {
					return err
				}
				defer d.Close()
				p := newProgress(e.stderr, "imported")
				res, err := storecopy.Import(e.ctx, r, d, storecopy.Options{Progress: p.update})
				p.done(res)
				if err != nil {
					return err
				}
				return d.Close()
			}
		},
	})
}

// count counts the records of kind, with Count where the store has it.
func count(e *env, d store.Driver, kind string) (int64, error) {
	if c, ok := d.(store.Counter); ok {
		gs, err := c.Count(e.ctx, kind, nil)
		if err != nil || len(gs) == 0 {
			return 0, err
		}
		return gs[0].Count, nil
	}
	n := int64(0)
	for q := (store.Query{Limit: store.MaxLimit}); ; {
		p, err := d.List(e.ctx, kind, q)
		if err != nil {
			return 0, err
		}
		n += int64(len(p.Records))
		if p.Next == "" {
			return n, nil
		}
		q.After = p.Next
	}
}

// size writes a byte count for people.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
