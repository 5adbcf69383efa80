package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/postgres"
	"github.com/cxkit/cxkit/store/storecopy"
)

// isPostgres reports whether loc names a PostgreSQL database rather than a
// directory.
func isPostgres(loc string) bool {
	return strings.HasPrefix(loc, "postgres://") || strings.HasPrefix(loc, "postgresql://")
}

// openStore opens the store at loc. A file store must exist already unless
// create is set: a mistyped directory is an error, not a new empty store.
func openStore(ctx context.Context, loc, schema string, create bool) (store.Driver, error) {
	if isPostgres(loc) {
		var opts []postgres.Option
		if schema != "" {
			opts = append(opts, postgres.WithSchema(schema))
		}
		return postgres.Open(ctx, loc, opts...)
	}
	if !create {
		if err := mustBeStore(loc); err != nil {
			return nil, err
		}
	}
	d, err := file.Open(loc)
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%s is open in another program: stop it first, or use the commands that work beside it (verify, backup to a directory)", loc)
	}
	return d, err
}

// mustBeStore fails unless dir holds a file store.
func mustBeStore(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("no store at %s: %w", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	names, err := readDirNames(dir)
	if err != nil {
		return err
	}
	for _, n := range names {
		if strings.HasPrefix(n, "data-") && strings.HasSuffix(n, ".log") {
			return nil
		}
	}
	return fmt.Errorf("no store at %s (no data-*.log file in it)", dir)
}

func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// progress prints a copy's progress to w at most once a second, and the
// last state when done.
type progress struct {
	w     io.Writer
	verb  string
	start time.Time
	mu    sync.Mutex
	last  time.Time
	p     storecopy.Progress
}

func newProgress(w io.Writer, verb string) *progress {
	return &progress{w: w, verb: verb, start: time.Now(), last: time.Now()}
}

func (p *progress) update(s storecopy.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.p = s
	if time.Since(p.last) >= time.Second {
		p.last = time.Now()
		p.print()
	}
}

func (p *progress) print() {
	el := time.Since(p.start)
	rate := float64(p.p.Copied) / max(el.Seconds(), 1e-9)
	fmt.Fprintf(p.w, "%s: %d records %s, %d already there; kind %d of %d (%s); %s, %.0f records/s\n",
		p.verb, p.p.Copied, p.verb, p.p.Skipped, min(p.p.KindsDone+1, p.p.Kinds), p.p.Kinds, p.p.Kind, el.Round(time.Second), rate)
}

func (p *progress) done(r storecopy.Result) {
	el := time.Since(p.start)
	fmt.Fprintf(p.w, "%s: done, %d records %s, %d already there, %d kinds, in %s (%.0f records/s)\n",
		p.verb, r.Copied, p.verb, r.Skipped, r.Kinds, el.Round(time.Millisecond), float64(r.Copied)/max(el.Seconds(), 1e-9))
}

// splitKinds parses a -kinds list.
func splitKinds(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}
