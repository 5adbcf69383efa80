// Package storecopy copies records between store drivers: a file store
// into PostgreSQL and back, a store into JSON lines and out again.
//
//	res, err := storecopy.Copy(ctx, dst, src, storecopy.Options{
//		Progress: func(p storecopy.Progress) { log.Printf("%s: %d copied", p.Kind, p.Copied) },
//	})
//
// A copy keeps every record's kind, ID, attributes, body (nil and empty
// apart) and creation and update times. Versions start again at 1 in the
// copy: the store contract lets only the driver assign versions, and a
// version only ever means "changed since you read it", which a fresh copy
// has not been.
//
// A copy can be interrupted and run again: it goes kind by kind, in ID
// order, and skips every record the destination already holds with the
// same content, so a second run picks up where the first stopped. A record
// the destination holds with other content is an error (ErrDiffers), never
// overwritten.
package storecopy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// ErrDiffers is wrapped by the error of a copy that finds a record in the
// destination with the same kind and ID as one to copy but other content.
var ErrDiffers = errors.New("destination holds a different record with that kind and ID")

// Options tune a copy. The zero value copies every kind.
type Options struct {
	// Kinds limits the copy to these kinds. Empty means every kind the
	// source holds, which needs a source that implements
	// store.KindLister.
	Kinds []string
	// BatchSize is how many records go into one write of the destination
	// (one atomic batch when it implements store.Batcher); 0 means 500.
	BatchSize int
	// Progress, if set, is called after each batch written and at the end
	// of each kind.
	Progress func(Progress)
}

// Progress is how far a copy has come.
type Progress struct {
	Kind             string // the kind being copied
	Copied           int64  // records written, all kinds so far
	Skipped          int64  // records the destination already held, all kinds so far
	KindsDone, Kinds int
}

// Result is what a copy did.
type Result struct {
	Kinds   int
	Copied  int64
	Skipped int64
}

// Copy copies the records of src into dst (see the package documentation).
func Copy(ctx context.Context, dst, src store.Driver, opts Options) (Result, error) {
	kinds, err := kindsOf(ctx, src, opts.Kinds)
	if err != nil {
		return Result{}, err
	}
	w := newWriter(dst, opts)
	w.p.Kinds = len(kinds)
	for _, kind := range kinds {
		w.p.Kind = kind
		have := &cursor{d: dst, kind: kind}
		q := store.Query{Limit: store.MaxLimit}
		for {
			page, err := src.List(ctx, kind, q)
			if err != nil {
				return w.result(), fmt.Errorf("storecopy: read %s: %w", kind, err)
			}
			for _, r := range page.Records {
				if err := w.put(ctx, have, r); err != nil {
					return w.result(), err
				}
			}
			if page.Next == "" {
				break
			}
			q.After = page.Next
		}
		if err := w.flush(ctx); err != nil {
			return w.result(), err
		}
		w.p.KindsDone++
		w.report()
	}
	return w.result(), nil
}

// kindsOf returns the kinds to copy.
func kindsOf(ctx context.Context, src store.Driver, kinds []string) ([]string, error) {
	if len(kinds) > 0 {
		for _, k := range kinds {
			if err := driverkit.CheckKind("copy", k); err != nil {
				return nil, err
			}
		}
		return kinds, nil
	}
	kl, ok := src.(store.KindLister)
	if !ok {
		return nil, fmt.Errorf("storecopy: the source cannot list its kinds (no Kinds method): name them in Options.Kinds: %w", errors.ErrUnsupported)
	}
	kinds, err := kl.Kinds(ctx)
	if err != nil {
		return nil, fmt.Errorf("storecopy: list kinds: %w", err)
	}
	return kinds, nil
}

// cursor walks the destination's records of one kind in ID order, beside
// the source's, to find those it holds already without a lookup each.
type cursor struct {
	d    store.Driver
	kind string
	buf  []store.Record
	next string
	done bool
	last string // the last ID asked for (Import checks the order)
}

// find returns the destination's record with ID id, if any. Calls must
// come in increasing ID order.
func (c *cursor) find(ctx context.Context, id string) (store.Record, bool, error) {
	for {
		for len(c.buf) > 0 && c.buf[0].ID < id {
			c.buf = c.buf[1:]
		}
		if len(c.buf) > 0 {
			return c.buf[0], c.buf[0].ID == id, nil
		}
		if c.done {
			return store.Record{}, false, nil
		}
		p, err := c.d.List(ctx, c.kind, store.Query{After: c.next, Limit: store.MaxLimit})
		if err != nil {
			return store.Record{}, false, fmt.Errorf("storecopy: read destination %s: %w", c.kind, err)
		}
		c.buf = p.Records
		if len(p.Records) > 0 {
			c.next = p.Records[len(p.Records)-1].ID
		}
		// Records this copy writes later all sort after the cursor, so a
		// destination found exhausted stays so for what is left to find.
		c.done = p.Next == ""
	}
}

// writer batches the creates of a copy.
type writer struct {
	dst     store.Driver
	batcher store.Batcher
	size    int
	pending []store.Write
	p       Progress
	report  func()
}

func newWriter(dst store.Driver, opts Options) *writer {
	w := &writer{dst: dst, size: opts.BatchSize}
	if w.size <= 0 {
		w.size = 500
	}
	w.batcher, _ = dst.(store.Batcher)
	w.report = func() {
		if opts.Progress != nil {
			opts.Progress(w.p)
		}
	}
	return w
}

func (w *writer) result() Result {
	return Result{Kinds: w.p.KindsDone, Copied: w.p.Copied, Skipped: w.p.Skipped}
}

// put copies r unless the destination holds it already (have).
func (w *writer) put(ctx context.Context, have *cursor, r store.Record) error {
	got, ok, err := have.find(ctx, r.ID)
	if err != nil {
		return err
	}
	if ok {
		if !Same(got, r) {
			return &store.Error{Op: "copy", Kind: r.Kind, ID: r.ID, Err: ErrDiffers}
		}
		w.p.Skipped++
		return nil
	}
	r.Version = 0
	w.pending = append(w.pending, store.Write{Action: store.ActionCreate, Record: r})
	if len(w.pending) >= w.size {
		return w.flush(ctx)
	}
	return nil
}

// flush writes the pending creates.
func (w *writer) flush(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	if w.batcher != nil {
		if _, err := w.batcher.Batch(ctx, w.pending); err != nil {
			return fmt.Errorf("storecopy: write %d records of %s: %w", len(w.pending), w.pending[0].Record.Kind, err)
		}
		w.p.Copied += int64(len(w.pending))
	} else {
		for _, c := range w.pending {
			if _, err := w.dst.Create(ctx, c.Record); err != nil {
				return fmt.Errorf("storecopy: %w", err)
			}
			w.p.Copied++
		}
	}
	clear(w.pending)
	w.pending = w.pending[:0]
	w.report()
	return nil
}

// Same reports whether a and b hold the same content, as a copy keeps it:
// kind, ID, attributes and body (nil and empty apart) and times. Versions
// are not compared.
func Same(a, b store.Record) bool {
	return a.Kind == b.Kind && a.ID == b.ID &&
		(a.Attrs == nil) == (b.Attrs == nil) && maps.Equal(a.Attrs, b.Attrs) &&
		(a.Body == nil) == (b.Body == nil) && bytes.Equal(a.Body, b.Body) &&
		a.Created.Equal(b.Created) && a.Updated.Equal(b.Updated)
}
