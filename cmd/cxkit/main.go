// Command cxkit looks after cxkit stores: it checks, compacts, backs up,
// restores, counts, copies, exports and imports them.
//
//	cxkit verify /var/lib/myapp/cxkit
//	cxkit backup /var/lib/myapp/cxkit /backups/cxkit-monday
//	cxkit copy /var/lib/myapp/cxkit postgres://app@db/crm
//
// A store is named by its directory (the embedded file store) or by a
// PostgreSQL connection URL (postgres://...). Run "cxkit help" for every
// command with examples.
//
// Exit codes: 0 when all went well, 1 when a check found a problem or the
// work failed, 2 when the command line was wrong.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// Exit codes scripts can rely on.
const (
	exitOK      = 0
	exitProblem = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env is what a command runs with: its streams and context, so that tests
// run commands in-process.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	name     string
	args     string // the positional arguments, for the usage line
	summary  string
	help     string // what it does, with examples
	flags    func(fs *flag.FlagSet) func(e *env, args []string) error
	nargsMin int
	nargsMax int
}

// usageError is a wrong command line: exit code 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// problemError is a check that found something wrong: exit code 1, and the
// report was already printed.
var errProblem = errors.New("problems found")

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, overview())
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c := commands[args[1]]; c != nil {
				fmt.Fprint(stdout, c.usage())
				return exitOK
			}
			fmt.Fprintf(stderr, "cxkit: no command %q\n\n%s", args[1], overview())
			return exitUsage
		}
		fmt.Fprint(stdout, overview())
		return exitOK
	}
	c := commands[name]
	if c == nil {
		fmt.Fprintf(stderr, "cxkit: no command %q\n\n%s", name, overview())
		return exitUsage
	}
	fs := flag.NewFlagSet("cxkit "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	do := c.flags(fs)
	if err := fs.Parse(interleave(fs, args[1:])); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, c.usage())
			return exitOK
		}
		fmt.Fprintf(stderr, "cxkit %s: %v\n\n%s", name, err, c.usage())
		return exitUsage
	}
	if n := fs.NArg(); n < c.nargsMin || n > c.nargsMax {
		fmt.Fprintf(stderr, "cxkit %s: wrong number of arguments\n\n%s", name, c.usage())
		return exitUsage
	}
	err := do(e, fs.Args())
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "cxkit %s: %v\n\n%s", name, err, c.usage())
		return exitUsage
	case errors.Is(err, errProblem):
		return exitProblem
	default:
		fmt.Fprintf(stderr, "cxkit %s: %v\n", name, err)
		return exitProblem
	}
}

// interleave moves flags given after the positional arguments in front of
// them, so that "cxkit copy a b -kinds x" works as people type it.
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil {
				if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
					continue
				}
				if i+1 < len(args) {
					flags = append(flags, args[i+1])
					i++
				}
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

func (c *command) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: cxkit %s [options] %s\n\n%s\n", c.name, c.args, strings.TrimSpace(c.help))
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.flags(fs)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		b.WriteString("\nOptions:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
	}
	b.WriteString("\n" + exitCodes)
	return b.String()
}

const exitCodes = `Exit codes: 0 all went well; 1 a problem was found or the work failed; 2 the command line was wrong.
`

func overview() string {
	var b strings.Builder
	b.WriteString(`cxkit looks after cxkit stores.

A store is named by its directory (the embedded file store, for example
/var/lib/myapp/cxkit) or by a PostgreSQL connection URL
(postgres://user:password@host/database).

Commands:
`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", n, commands[n].summary)
	}
	b.WriteString(`
Examples:
  cxkit verify /var/lib/myapp/cxkit          check every byte, change nothing
  cxkit backup /var/lib/myapp/cxkit /backups/monday
  cxkit restore /backups/monday /var/lib/myapp/cxkit-restored
  cxkit copy /var/lib/myapp/cxkit postgres://app@db/crm
  cxkit export /var/lib/myapp/cxkit > all.jsonl

Run "cxkit help COMMAND" (or "cxkit COMMAND -h") for a command's options.

`)
	b.WriteString(exitCodes)
	return b.String()
}
