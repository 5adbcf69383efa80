package storecopy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storecopy"
)

var ctx = context.Background()

// sample fills d with n records over three kinds, in every shape the
// contract distinguishes (nil and empty attributes and bodies).
func sample(t testing.TB, d store.Driver, n int) {
	t.Helper()
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 891000, time.UTC)
	for i := range n {
		r := store.Record{
			Kind:    []string{"complaint", "feedback", "strategy"}[i%3],
			ID:      fmt.Sprintf("id-%05d", i),
			Created: t0.Add(time.Duration(i) * time.Minute),
			Updated: t0.Add(time.Duration(i) * time.Hour),
		}
		switch i % 4 {
		case 0:
			r.Attrs, r.Body = map[string]string{"status": "open", "n": fmt.Sprint(i)}, []byte(fmt.Sprintf(`{"i":%d}`, i))
		case 1:
			r.Attrs, r.Body = map[string]string{}, []byte{}
		case 2:
			r.Attrs, r.Body = nil, nil
		case 3:
			r.Body = []byte("\x00binary\xff")
		}
		if _, err := d.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
}

// same fails unless a and b hold the same records, compared one by one.
func same(t *testing.T, a, b store.Driver) int {
	t.Helper()
	n := 0
	for _, kind := range []string{"complaint", "feedback", "strategy"} {
		pa, pb := all(t, a, kind), all(t, b, kind)
		if len(pa) != len(pb) {
			t.Fatalf("%s: %d records, copy has %d", kind, len(pa), len(pb))
		}
		for i := range pa {
			if !storecopy.Same(pa[i], pb[i]) {
				t.Fatalf("%s/%s differs in the copy:\n%+v\n%+v", kind, pa[i].ID, pa[i], pb[i])
			}
		}
		n += len(pa)
	}
	return n
}

func all(t *testing.T, d store.Driver, kind string) []store.Record {
	var out []store.Record
	for q := (store.Query{Limit: store.MaxLimit}); ; {
		p, err := d.List(ctx, kind, q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Records...)
		if p.Next == "" {
			return out
		}
		q.After = p.Next
	}
}

func openFile(t *testing.T) *file.Driver {
	d, err := file.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestCopyRoundTrip: memory to file and back keeps every record as it
// was, nil and empty apart, times to the microsecond.
func TestCopyRoundTrip(t *testing.T) {
	src := memory.New()
	sample(t, src, 2500)
	mid := openFile(t)
	var last storecopy.Progress
	res, err := storecopy.Copy(ctx, mid, src, storecopy.Options{Progress: func(p storecopy.Progress) { last = p }})
	if err != nil || res.Copied != 2500 || res.Kinds != 3 {
		t.Fatalf("Copy = %+v, %v", res, err)
	}
	if last.Copied != 2500 || last.KindsDone != 3 {
		t.Fatalf("last progress %+v", last)
	}
	back := memory.New()
	if _, err := storecopy.Copy(ctx, back, mid, storecopy.Options{BatchSize: 7}); err != nil {
		t.Fatal(err)
	}
	if n := same(t, src, back); n != 2500 {
		t.Fatalf("compared %d records", n)
	}
}

// TestCopyResumes: a copy interrupted half-way and run again writes only
// what is missing and ends with the same records.
func TestCopyResumes(t *testing.T) {
	src := memory.New()
	sample(t, src, 3000)
	dst := openFile(t)
	cctx, cancel := context.WithCancel(ctx)
	_, err := storecopy.Copy(cctx, dst, src, storecopy.Options{BatchSize: 100, Progress: func(p storecopy.Progress) {
		if p.Copied >= 1300 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted copy = %v", err)
	}
	res, err := storecopy.Copy(ctx, dst, src, storecopy.Options{BatchSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped < 1300 || res.Copied+res.Skipped != 3000 {
		t.Fatalf("resumed copy = %+v", res)
	}
	same(t, src, dst)
	// A third run finds nothing to do.
	if res, err := storecopy.Copy(ctx, dst, src, storecopy.Options{}); err != nil || res.Copied != 0 || res.Skipped != 3000 {
		t.Fatalf("third run = %+v, %v", res, err)
	}
}

// TestCopyNeverOverwrites: a record the destination holds with other
// content stops the copy, unchanged.
func TestCopyNeverOverwrites(t *testing.T) {
	src := memory.New()
	sample(t, src, 30)
	dst := memory.New()
	mine := store.Record{Kind: "feedback", ID: "id-00001", Body: []byte("mine")}
	dst.Create(ctx, mine)
	_, err := storecopy.Copy(ctx, dst, src, storecopy.Options{})
	if !errors.Is(err, storecopy.ErrDiffers) || !strings.Contains(err.Error(), "feedback/id-00001") {
		t.Fatalf("Copy = %v, want ErrDiffers naming the record", err)
	}
	if g, _ := dst.Get(ctx, "feedback", "id-00001"); string(g.Body) != "mine" {
		t.Fatal("the destination's record was overwritten")
	}
}

// TestExportImport: JSON lines out and back in keep every record, and an
// import run twice skips what it wrote the first time.
func TestExportImport(t *testing.T) {
	src := memory.New()
	sample(t, src, 1200)
	var buf bytes.Buffer
	res, err := storecopy.Export(ctx, &buf, src, storecopy.Options{})
	if err != nil || res.Copied != 1200 {
		t.Fatalf("Export = %+v, %v", res, err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 1200 {
		t.Fatalf("%d lines", n)
	}
	dst := openFile(t)
	if res, err := storecopy.Import(ctx, bytes.NewReader(buf.Bytes()), dst, storecopy.Options{}); err != nil || res.Copied != 1200 || res.Kinds != 3 {
		t.Fatalf("Import = %+v, %v", res, err)
	}
	same(t, src, dst)
	if res, err := storecopy.Import(ctx, bytes.NewReader(buf.Bytes()), dst, storecopy.Options{}); err != nil || res.Skipped != 1200 {
		t.Fatalf("second Import = %+v, %v", res, err)
	}
}

// TestImportRejects: a line that is not a valid record, or out of order,
// is an error naming the line.
func TestImportRejects(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"bad kind", `{"kind":"../x","id":"a"}`, "line 1"},
		{"not json", "{\"kind\":\"k\",\"id\":\"a\"}\nnope", "line 2"},
		{"order", "{\"kind\":\"k\",\"id\":\"b\"}\n{\"kind\":\"k\",\"id\":\"a\"}", "line 2"},
	} {
		_, err := storecopy.Import(ctx, strings.NewReader(c.in), memory.New(), storecopy.Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Import = %v, want an error naming %s", c.name, err, c.want)
		}
	}
}
