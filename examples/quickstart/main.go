// Command quickstart runs the whole cxkit loop once, on the embedded file
// store, and tells you what it did at each step:
//
//  1. a team assesses itself on two factors and picks what to improve;
//  2. complaints are logged and taken through the resolution workflow;
//  3. feedback is taken in, sorted into categories and routed, and a short
//     survey is scored;
//  4. a SMART strategy is drafted from the worst complaint category, with a
//     target measured from the complaints themselves;
//  5. a check-in measures the target again and says whether it is on track.
//
// Run it from the repository root:
//
//	go run ./examples/quickstart              # data in ./cxkit-data
//	go run ./examples/quickstart -data /tmp/x # anywhere else
//
// Everything it writes stays in the data directory. Run it again and it
// finds the earlier data and adds to it; then look at it all with
// `go run ./examples/dashboard`, which reads the same directory.
//
// The program pretends six weeks pass while it runs: every service takes a
// clock function, so it hands them one it can move. Your application hands
// them time.Now, or nothing (the default).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	dir := flag.String("data", "cxkit-data", "directory for the file store (created if missing)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *dir, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the whole quickstart on the data directory dir, reporting to out.
func run(ctx context.Context, dir string, out io.Writer) error {
	loop, err := open(dir)
	if err != nil {
		return err
	}
	defer loop.close()
	p := &printer{w: out}

	if err := loop.greet(ctx, p); err != nil {
		return err
	}
	steps := []struct {
		title string
		fn    func(context.Context, *printer) error
	}{
		{"Assess: the team rates itself on two factors", loop.assess},
		{"Act: log complaints and take them through the workflow", loop.handleComplaints},
		{"Listen: take in feedback, sort it, route it, score a survey", loop.listen},
		{"Plan: a SMART strategy from the worst complaint category", loop.plan},
		{"Check in: measure the target again", loop.checkIn},
	}
	for i, s := range steps {
		p.heading(i+1, s.title)
		if err := s.fn(ctx, p); err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, s.title, err)
		}
	}
	return loop.farewell(ctx, p)
}

// printer writes the indented report.
type printer struct{ w io.Writer }

func (p *printer) heading(n int, title string) { fmt.Fprintf(p.w, "\n%d. %s\n", n, title) }
func (p *printer) line(format string, args ...any) {
	fmt.Fprintf(p.w, "   "+format+"\n", args...)
}
