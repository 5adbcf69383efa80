// Command crm is a small HTTP service showing how a CRM embeds cxkit: it
// logs complaints and moves them through the resolution workflow, takes
// feedback, and reports the monthly summary, with JSON in and out,
// optimistic concurrency through ETag and If-Match, and every complaint
// event posted to a webhook.
//
//	go run ./examples/crm -webhook http://localhost:9000/events
//
// See README.md for the endpoints and a curl session.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/examples/internal/demo"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/memory"
)

func main() {
	// SIGINT (Ctrl-C) and SIGTERM (what container runtimes send) both
	// start a graceful shutdown.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "crm:", err)
		os.Exit(1)
	}
}

// run serves the API until ctx ends, then shuts down in order: stop taking
// requests and finish those in flight, deliver the queued webhook events,
// close the store. now is the clock (nil: time.Now). It prints the URL it
// serves on to out.
func run(ctx context.Context, args []string, out io.Writer, now func() time.Time) error {
	fs := flag.NewFlagSet("crm", flag.ContinueOnError)
	fs.SetOutput(out)
	data := fs.String("data", "cxkit-data", "data directory of the file store")
	inMemory := fs.Bool("memory", false, "keep everything in memory instead (lost on exit)")
	addr := fs.String("addr", "127.0.0.1:8081", "address to serve on")
	hook := fs.String("webhook", "", "URL to POST every event to as JSON (none: events are dropped)")
	secret := fs.String("webhook-secret", os.Getenv("CXKIT_WEBHOOK_SECRET"), "key to sign webhook bodies with (HMAC-SHA256 in "+SignatureHeader+")")
	sweepEvery := fs.Duration("sweep", time.Minute, "how often to check deadlines for breaches and escalate (0: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if now == nil {
		now = time.Now
	}

	var d store.Driver = memory.New()
	if !*inMemory {
		f, err := file.Open(*data)
		if err != nil {
			return fmt.Errorf("opening %s: %w", *data, err)
		}
		d = f
	}
	defer d.Close()
	logger := log.New(out, "crm: ", log.LstdFlags)
	events := NewWebhook(*hook, *secret, logger)
	loop, err := demo.Open(d, now, events)
	if err != nil {
		return err
	}
	api := &API{Complaints: loop.Complaints, Feedback: loop.Feedback, Events: events, Now: now, Logger: logger}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api.Routes(), ReadHeaderTimeout: 5 * time.Second, ErrorLog: logger}
	where := *data
	if *inMemory {
		where = "memory"
	}
	fmt.Fprintf(out, "CRM API on http://%s/ (store: %s, webhook: %s)\n", ln.Addr(), where, orNone(*hook))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	sweepDone := make(chan struct{})
	sweepCtx, stopSweep := context.WithCancel(ctx)
	go func() { defer close(sweepDone); sweep(sweepCtx, loop.Complaints, *sweepEvery, logger) }()
	select {
	case err := <-errc:
		stopSweep()
		<-sweepDone
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(out, "shutting down")
	stopSweep()
	<-sweepDone
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return errors.Join(err, events.Close(shutdown))
}

// sweep checks the complaints' deadlines every interval until ctx ends:
// breaches and rule-based escalations become events like any other change.
func sweep(ctx context.Context, cs *complaints.Service, every time.Duration, logger *log.Logger) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r, err := cs.Sweep(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				logger.Printf("sweep: %v", err)
			case r.Breaches > 0 || r.Escalated > 0:
				logger.Printf("sweep: %d open complaints, %d deadlines newly breached, %d escalated", r.Checked, r.Breaches, r.Escalated)
			}
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
