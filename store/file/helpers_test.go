package file

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

var ctx = context.Background()

func mustOpen(t testing.TB, dir string, opts ...Option) *Driver {
	t.Helper()
	d, err := Open(dir, opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func rec(id string, body string) store.Record {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	return store.Record{Kind: "note", ID: id, Attrs: map[string]string{"status": "open"}, Body: []byte(body), Created: t0, Updated: t0}
}

func mustCreate(t testing.TB, d *Driver, r store.Record) store.Record {
	t.Helper()
	out, err := d.Create(ctx, r)
	if err != nil {
		t.Fatalf("Create %s: %v", r.ID, err)
	}
	return out
}

// fill creates n records note/r000..., returning them.
func fill(t testing.TB, d *Driver, n int) []store.Record {
	t.Helper()
	var out []store.Record
	for i := range n {
		out = append(out, mustCreate(t, d, rec(fmt.Sprintf("r%04d", i), fmt.Sprintf("body of record %d", i))))
	}
	return out
}

func logPath(dir string, gen uint64) string { return filepath.Join(dir, logName(gen)) }

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// checkRecords checks that d holds exactly want (by ID, version and body).
func checkRecords(t testing.TB, d *Driver, want []store.Record) {
	t.Helper()
	for _, w := range want {
		g, err := d.Get(ctx, w.Kind, w.ID)
		if err != nil {
			t.Fatalf("Get %s: %v", w.ID, err)
		}
		if g.Version != w.Version || string(g.Body) != string(w.Body) {
			t.Fatalf("Get %s: v%d %q, want v%d %q", w.ID, g.Version, g.Body, w.Version, w.Body)
		}
	}
	gs, err := d.Count(ctx, "note", nil)
	if err != nil {
		t.Fatal(err)
	}
	if gs[0].Count != int64(len(want)) {
		t.Fatalf("Count = %d, want %d", gs[0].Count, len(want))
	}
}
