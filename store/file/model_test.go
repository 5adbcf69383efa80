package file

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

// TestModel runs random creates, updates, deletes and re-creates with IDs
// in random order against the driver and the memory driver, reopening the
// file driver now and then (so that loading handles out-of-order IDs,
// tombstones and revivals), and compares what both hold.
func TestModel(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { d.Close() }()
	m := memory.New()
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 6 {
		for range 300 {
			id := fmt.Sprintf("id%03d", rng.IntN(150))
			kind := []string{"a", "b"}[rng.IntN(2)]
			cur, err := m.Get(ctx, kind, id)
			r := store.Record{Kind: kind, ID: id, Attrs: map[string]string{"s": fmt.Sprint(rng.IntN(3))}, Body: []byte(fmt.Sprint(rng.Int()))}
			switch {
			case err != nil:
				want, _ := m.Create(ctx, r)
				got, err := d.Create(ctx, r)
				if err != nil || got.Version != want.Version {
					t.Fatalf("create %s: %v", id, err)
				}
			case rng.IntN(3) == 0:
				m.Delete(ctx, kind, id, cur.Version)
				if err := d.Delete(ctx, kind, id, cur.Version); err != nil {
					t.Fatalf("delete %s: %v", id, err)
				}
			default:
				r.Version = cur.Version
				m.Update(ctx, r)
				if _, err := d.Update(ctx, r); err != nil {
					t.Fatalf("update %s: %v", id, err)
				}
			}
		}
		if round%2 == 1 {
			if err := d.Compact(ctx); err != nil {
				t.Fatal(err)
			}
		}
		d.Close()
		if d, err = Open(dir); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"a", "b"} {
			want, _ := m.List(ctx, kind, store.Query{Limit: store.MaxLimit})
			got, err := d.List(ctx, kind, store.Query{Limit: store.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("round %d kind %s:\nmemory %+v\nfile   %+v", round, kind, want, got)
			}
			wc, _ := m.Count(ctx, kind, nil, "s")
			gc, _ := d.Count(ctx, kind, nil, "s")
			if !reflect.DeepEqual(wc, gc) {
				t.Fatalf("round %d count %s: memory %v, file %v", round, kind, wc, gc)
			}
		}
	}
}
