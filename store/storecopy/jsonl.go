package storecopy

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// line is one record as a line of JSON. Body is base64 (JSON's encoding of
// bytes), null for a nil body; Attrs is null for nil attributes. Times are
// RFC 3339 with microseconds, in UTC.
type line struct {
	Kind    string            `json:"kind"`
	ID      string            `json:"id"`
	Version int64             `json:"version"`
	Attrs   map[string]string `json:"attrs"`
	Body    []byte            `json:"body"`
	Created time.Time         `json:"created"`
	Updated time.Time         `json:"updated"`
}

// Export writes the records of src as JSON lines to w, one record a line,
// kind by kind in ID order (see Options for which kinds). The version is
// written for the reader's information; Import does not keep it.
func Export(ctx context.Context, w io.Writer, src store.Driver, opts Options) (Result, error) {
	kinds, err := kindsOf(ctx, src, opts.Kinds)
	if err != nil {
		return Result{}, err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	p := Progress{Kinds: len(kinds)}
	report := func() {
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	res := func() Result { return Result{Kinds: p.KindsDone, Copied: p.Copied} }
	for _, kind := range kinds {
		p.Kind = kind
		q := store.Query{Limit: store.MaxLimit}
		for {
			page, err := src.List(ctx, kind, q)
			if err != nil {
				return res(), fmt.Errorf("storecopy: read %s: %w", kind, err)
			}
			for _, r := range page.Records {
				l := line{Kind: r.Kind, ID: r.ID, Version: r.Version, Attrs: r.Attrs, Body: r.Body,
					Created: r.Created.UTC(), Updated: r.Updated.UTC()}
				if err := enc.Encode(&l); err != nil {
					return res(), fmt.Errorf("storecopy: export: %w", err)
				}
				p.Copied++
			}
			if page.Next == "" {
				break
			}
			q.After = page.Next
			report()
		}
		p.KindsDone++
		report()
	}
	if err := bw.Flush(); err != nil {
		return res(), fmt.Errorf("storecopy: export: %w", err)
	}
	return res(), nil
}

// Import reads JSON lines (as Export writes them) from r into dst. Like
// Copy it can be run again after an interruption: records dst holds with
// the same content are skipped, ones with other content are an error
// (ErrDiffers). Within a kind, lines must come in ID order, as Export
// writes them; a line that breaks the order, or is not a valid record, is
// an error naming its line number.
func Import(ctx context.Context, r io.Reader, dst store.Driver, opts Options) (Result, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 256<<10))
	w := newWriter(dst, opts)
	var have *cursor
	for n := 1; ; n++ {
		var l line
		err := dec.Decode(&l)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return w.result(), fmt.Errorf("storecopy: import line %d: %w", n, err)
		}
		rec := store.Record{Kind: l.Kind, ID: l.ID, Attrs: l.Attrs, Body: l.Body, Created: l.Created, Updated: l.Updated}
		if err := driverkit.CheckRecord("create", rec); err != nil {
			return w.result(), fmt.Errorf("storecopy: import line %d: %w", n, err)
		}
		if have == nil || have.kind != l.Kind {
			if err := w.flush(ctx); err != nil {
				return w.result(), err
			}
			if have != nil {
				w.p.KindsDone++
			}
			have = &cursor{d: dst, kind: l.Kind}
			w.p.Kind = l.Kind
		} else if l.ID <= have.last {
			return w.result(), fmt.Errorf("storecopy: import line %d: %s/%s is out of ID order", n, l.Kind, l.ID)
		}
		have.last = l.ID
		if err := w.put(ctx, have, rec); err != nil {
			return w.result(), fmt.Errorf("storecopy: import line %d: %w", n, err)
		}
	}
	if err := w.flush(ctx); err != nil {
		return w.result(), err
	}
	if have != nil {
		w.p.KindsDone++
	}
	w.report()
	return w.result(), nil
}
