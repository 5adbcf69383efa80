package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// A Problem is one thing Verify found wrong, and where.
type Problem struct {
	File   string // file name inside the directory
	Offset int64  // byte offset in it
	What   string
}

// String says what is wrong and where.
func (p Problem) String() string { return fmt.Sprintf("%s at offset %d: %s", p.File, p.Offset, p.What) }

// VerifyReport is what Verify found. A store is sound when Problems is
// empty; a torn tail (TornBytes > 0) is the normal mark of a crash, which
// Open cuts off, and not a problem.
type VerifyReport struct {
	File      string // the live log checked
	Bytes     int64  // bytes of it checked
	Frames    int    // valid frames
	Writes    int    // writes in them (creates, updates, deletes)
	Records   int    // records the log holds once replayed
	Kinds     map[string]int
	TornBytes int64 // bytes of a torn tail Open would cut off
	// Leftovers are files Open would delete: temporary files of an
	// interrupted compaction and superseded generations.
	Leftovers []string
	Problems  []Problem
}

// OK reports whether Verify found no problem.
func (r VerifyReport) OK() bool { return len(r.Problems) == 0 }

// Verify checks the store in dir without changing anything, and without
// taking its lock, so it can check a store another process has open (the
// writes that process makes while Verify runs are not checked). It reads
// every frame of the live log and checks its checksum and each write's own
// checksum, the rules every record must follow (driverkit.CheckRecord), and
// that the writes make sense in order: an update follows the version
// before it, a delete names the version stored. It reports each problem
// with its offset, carrying on past damage to find the next.
//
// The error is for what stopped the check (no store in dir, a failed
// read); problems found are in the report.
func Verify(ctx context.Context, dir string) (VerifyReport, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return VerifyReport{}, fmt.Errorf("file: verify %s: %w", dir, err)
	}
	defer root.Close()
	name, leftovers, err := liveLog(root)
	if err != nil {
		return VerifyReport{}, fmt.Errorf("file: verify %s: %w", dir, err)
	}
	f, err := root.Open(name)
	if err != nil {
		return VerifyReport{}, fmt.Errorf("file: verify %s: %w", dir, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return VerifyReport{}, fmt.Errorf("file: verify %s: %w", dir, err)
	}
	rep, _, err := verifyLog(ctx, f, st.Size(), name)
	rep.Leftovers = leftovers
	if err != nil {
		return rep, fmt.Errorf("file: verify %s: %w", dir, err)
	}
	return rep, nil
}

// Verify checks the open store's log as the function Verify does, and
// also that the index in memory agrees with it: the same records, at the
// same versions and places. Writes wait while it runs; reads go on.
func (d *Driver) Verify(ctx context.Context) (VerifyReport, error) {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	if d.closed.Load() {
		return VerifyReport{}, &store.Error{Op: "verify", Err: store.ErrClosed}
	}
	name := logName(d.gen)
	rep, recs, err := verifyLog(ctx, d.f, d.size, name)
	if err != nil {
		return rep, &store.Error{Op: "verify", Err: err}
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	problem := func(off int64, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{File: name, Offset: off, What: "index: " + fmt.Sprintf(format, args...)})
	}
	seen := 0
	for kind, t := range d.kinds {
		for i, s := range t.sorted {
			e := t.at(s)
			id := t.id(s)
			if i > 0 && t.id(t.sorted[i-1]) >= id {
				problem(e.off, "%s/%s is out of order", kind, id)
			}
			if got, ok := t.get(id); !ok || got != s {
				problem(e.off, "%s/%s cannot be looked up", kind, id)
			}
			r, ok := recs[okey{kind, id}]
			switch {
			case !ok:
				problem(e.off, "%s/%s is in memory but not in the log", kind, id)
			case r.version != e.version || r.off != e.off || r.n != e.n:
				problem(e.off, "%s/%s is at version %d, offset %d in memory; version %d, offset %d in the log", kind, id, e.version, e.off, r.version, r.off)
			}
			seen++
		}
	}
	if seen != len(recs) {
		problem(0, "%d records in memory, %d in the log", seen, len(recs))
	}
	return rep, nil
}

// liveLog names the live log generation of a store directory and the
// files Open would delete.
func liveLog(root *os.Root) (string, []string, error) {
	dirf, err := root.Open(".")
	if err != nil {
		return "", nil, err
	}
	names, err := dirf.Readdirnames(-1)
	dirf.Close()
	if err != nil {
		return "", nil, err
	}
	var gens []uint64
	var leftovers []string
	for _, n := range names {
		gen, tmp, ok := parseLogName(n)
		switch {
		case !ok:
		case tmp:
			leftovers = append(leftovers, n)
		default:
			gens = append(gens, gen)
		}
	}
	if len(gens) == 0 {
		return "", nil, fmt.Errorf("no cxkit log in the directory: %w", os.ErrNotExist)
	}
	slices.Sort(gens)
	for _, g := range gens[:len(gens)-1] {
		leftovers = append(leftovers, logName(g))
	}
	slices.Sort(leftovers)
	return logName(gens[len(gens)-1]), leftovers, nil
}

// logRec is a record as a replay of the log leaves it.
type logRec struct {
	version, created int64
	off              int64
	n                uint32
}

// verifyLog replays the log's first size bytes, reporting every problem.
func verifyLog(ctx context.Context, f io.ReaderAt, size int64, name string) (VerifyReport, map[okey]logRec, error) {
	rep := VerifyReport{File: name, Bytes: size, Kinds: map[string]int{}}
	recs := map[okey]logRec{}
	problem := func(off int64, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{File: name, Offset: off, What: fmt.Sprintf(format, args...)})
	}
	var op rawOp
	_, err := walkLog(f, size, name, func(off int64, payload []byte) error {
		if rep.Frames%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rep.Frames++
		for pos := 0; pos < len(payload); {
			at := off + frameHeaderLen + int64(pos)
			n, err := decodeOp(payload[pos:], &op)
			if err != nil {
				// The frame's checksum matched, so its ops cannot be
				// framed wrong without the writer having been wrong: no
				// way to find the next op, the rest of the frame is lost.
				problem(at, "write: %v", err)
				return nil
			}
			pos += n
			rep.Writes++
			if err := checkOp(&op); err != nil {
				problem(at, "%v", err)
				continue
			}
			k := okey{string(op.kind), string(op.id)}
			cur, exists := recs[k]
			switch {
			case op.action == opDelete && !exists:
				problem(at, "delete of %s/%s, which is not stored", k.kind, k.id)
			case op.action == opDelete && cur.version != op.version:
				problem(at, "delete of %s/%s at version %d, stored version is %d", k.kind, k.id, op.version, cur.version)
			case op.action == opDelete:
				delete(recs, k)
			case exists && op.version != cur.version+1:
				problem(at, "update of %s/%s to version %d, stored version is %d", k.kind, k.id, op.version, cur.version)
			case exists && op.created != cur.created:
				problem(at, "update of %s/%s changes its creation time", k.kind, k.id)
			}
			if op.action == opPut {
				recs[k] = logRec{version: op.version, created: op.created, off: at, n: uint32(n)}
			}
		}
		return nil
	}, func(off, end int64, why error, torn bool) {
		if torn {
			rep.TornBytes = end - off
			return
		}
		problem(off, "%v; %d bytes up to the next valid frame are unreadable", why, end-off)
	})
	if err != nil {
		var ce *CorruptError
		if !errors.As(err, &ce) {
			return rep, nil, err
		}
		problem(ce.Offset, "%s", ce.Reason)
	}
	for k := range recs {
		rep.Kinds[k.kind]++
	}
	rep.Records = len(recs)
	return rep, recs, nil
}

// checkOp holds a decoded write to the rules of driverkit.CheckRecord.
func checkOp(op *rawOp) error {
	kind, id := string(op.kind), string(op.id)
	if err := driverkit.CheckKind("verify", kind); err != nil {
		return err
	}
	if err := driverkit.CheckID("verify", kind, id); err != nil {
		return err
	}
	if len(op.body) > store.MaxBodyLen {
		return driverkit.Errorf("verify", kind, id, store.ErrInvalid, "body must be at most %d bytes, got %d", store.MaxBodyLen, len(op.body))
	}
	names := map[string]bool{}
	for _, kv := range op.attrs {
		n := string(kv[0])
		if err := driverkit.CheckAttrName("verify", kind, n); err != nil {
			return err
		}
		if err := driverkit.CheckAttrValue("verify", kind, n, string(kv[1])); err != nil {
			return err
		}
		if names[n] {
			return driverkit.Errorf("verify", kind, id, store.ErrInvalid, "attribute %q appears twice", n)
		}
		names[n] = true
	}
	return nil
}

// walkLog visits every valid frame of the log's first size bytes, and
// every bad region, carrying on from the next valid frame after damage. A
// bad region is torn when Open would cut it off as a torn tail (it then
// runs to the end); zeros to the end are free space and not visited. It
// returns whether the log is of format version 1.
func walkLog(f io.ReaderAt, size int64, name string, frame func(off int64, payload []byte) error, bad func(off, end int64, why error, torn bool)) (legacy bool, err error) {
	w := &window{f: f, size: size}
	if legacy, err = logHeader(w, name); err != nil {
		return false, err
	}
	for off := int64(len(fileMagic)); off < size; {
		payload, magic, n, why, err := readFrame(w, off)
		if err != nil {
			return legacy, err
		}
		if why == nil && magic == closeMagic {
			off += int64(n)
			continue
		}
		if why == nil {
			if err := frame(off, payload); err != nil {
				return legacy, err
			}
			off += int64(n)
			continue
		}
		if zero, err := zeroFrom(f, off, size); err != nil || zero {
			return legacy, err
		}
		_, rep, err := classifyTail(f, size, name, off, why, legacy, Recovery{})
		var ce *CorruptError
		switch {
		case err == nil:
			bad(off, size, why, rep.Truncated)
			return legacy, nil
		case !errors.As(err, &ce):
			return legacy, err
		}
		next, _, _, err := nextValidFrame(f, size, off+1)
		if err != nil {
			return legacy, err
		}
		if next < 0 {
			bad(off, size, why, false)
			return legacy, nil
		}
		bad(off, next, why, false)
		off = next
	}
	return legacy, nil
}

// String is a one-line account of the report for people.
func (r VerifyReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d records in %d writes, %d bytes", r.File, r.Records, r.Writes, r.Bytes)
	if r.TornBytes > 0 {
		fmt.Fprintf(&b, "; an unfinished last write of %d bytes (left by a crash; opening the store cuts it off)", r.TornBytes)
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(&b, "; %d problem(s)", len(r.Problems))
	}
	return b.String()
}
