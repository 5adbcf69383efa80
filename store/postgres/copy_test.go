package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// TestBatchCopyEncoding: a batch's creates are loaded with COPY streams the
// driver encodes itself (copy.go), so every kind of value must come back
// from Get exactly as Batch returned it: attribute values that JSON
// escapes, bodies nil, empty and binary, times before 1970 and 2000 and
// with nanoseconds, records without attributes, several kinds, and more
// records than one encoded chunk holds.
func TestBatchCopyEncoding(t *testing.T) {
	testDSN(t)
	ctx := context.Background()
	d := newDriver(t)
	values := []string{
		`plain`, `quote " inside`, `back\slash`, "tab\tnew\nline\rcr", "ctl\x01\x1f\x7f",
		"ünïcödé ✓ 😀", "<html> & \u2028", `{"not":"json"}`, `\u0000`, "",
	}
	times := []time.Time{
		time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 123_456_789, time.UTC),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2031, 5, 6, 7, 8, 9, 987_654_321, time.FixedZone("x", 3600)),
	}
	var ws []store.Write
	for i := range 300 {
		r := store.Record{
			Kind:    []string{"enc", "enc-b"}[i%2],
			ID:      fmt.Sprintf("r%04d", i),
			Created: times[i%len(times)],
			Updated: times[(i+1)%len(times)],
		}
		switch i % 3 {
		case 0: // no body
		case 1:
			r.Body = []byte{}
		default:
			r.Body = make([]byte, 200+i*37)
			for j := range r.Body {
				r.Body[j] = byte(i + j)
			}
		}
		if i%5 != 0 {
			r.Attrs = map[string]string{"v": values[i%len(values)], "n": fmt.Sprint(i)}
		}
		ws = append(ws, store.Write{Action: store.ActionCreate, Record: r})
	}
	out, err := d.Batch(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range ws {
		got, err := d.Get(ctx, w.Record.Kind, w.Record.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := out[i]
		want.Created, want.Updated = want.Created.UTC(), want.Updated.UTC() // Get reads UTC
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("write %d: Get returned\n%+v\nBatch returned\n%+v", i, got, out[i])
		}
		if out[i].Version != 1 || !out[i].Created.Equal(w.Record.Created.Truncate(time.Microsecond)) {
			t.Fatalf("write %d: returned version %d, created %v", i, out[i].Version, out[i].Created)
		}
		if v, ok := w.Record.Attrs["v"]; ok {
			p, err := d.List(ctx, w.Record.Kind, store.Query{Filters: []store.Filter{store.Where("v", v), store.Where("n", w.Record.Attrs["n"])}})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Records) != 1 || p.Records[0].ID != w.Record.ID {
				t.Fatalf("write %d: filter on v = %q found %d records", i, v, len(p.Records))
			}
		}
	}
	// A duplicate fails the COPY; the rerun names it, and nothing is written.
	dup := []store.Write{
		{Action: store.ActionCreate, Record: store.Record{Kind: "enc", ID: "new1", Attrs: map[string]string{"v": "x"}}},
		{Action: store.ActionCreate, Record: ws[2].Record},
		{Action: store.ActionCreate, Record: store.Record{Kind: "enc", ID: "new2"}},
	}
	_, err = d.Batch(ctx, dup)
	var se *store.Error
	if !errors.Is(err, store.ErrAlreadyExists) || !errors.As(err, &se) || se.ID != ws[2].Record.ID {
		t.Fatalf("batch with a duplicate: %v", err)
	}
	for _, id := range []string{"new1", "new2"} {
		if _, err := d.Get(ctx, "enc", id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("after the failed batch, Get %s: %v", id, err)
		}
	}
}

// TestCreateAttrValues: Create derives the attribute rows from the jsonb
// attributes (jsonb_each_text), so values that JSON escapes must come back
// unescaped, for filters as for Get.
func TestCreateAttrValues(t *testing.T) {
	testDSN(t)
	ctx := context.Background()
	d := newDriver(t)
	for i, v := range []string{`quote " inside`, `back\slash`, "tab\tnew\nline", "ctl\x01\x7f", "ünïcödé 😀", `\u0041`, ""} {
		r := store.Record{Kind: "one", ID: fmt.Sprintf("c%02d", i), Attrs: map[string]string{"v": v, "k": "x"}}
		if _, err := d.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		p, err := d.List(ctx, "one", store.Query{Filters: []store.Filter{store.Where("v", v)}})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Records) != 1 || p.Records[0].ID != r.ID || p.Records[0].Attrs["v"] != v {
			t.Fatalf("filter on v = %q: %+v", v, p.Records)
		}
	}
}
