package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

// doc is a value of about 1 KB, the size of a typical complaint.
type doc struct {
	store.Meta
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// BenchmarkMutate measures Collection.Mutate, which keeps a request ID in
// the record so that an unknown outcome can be resolved, against the plain
// read-modify-write it replaces (Get then Update), on the memory driver so
// that the collection's own cost is what shows.
func BenchmarkMutate(b *testing.B) {
	for _, how := range []string{"get-update", "mutate"} {
		b.Run(how, func(b *testing.B) {
			ctx := context.Background()
			c := store.NewCollection[doc](memory.New(), "doc", nil)
			v, err := c.Create(ctx, doc{Text: strings.Repeat("x", 1000)})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if how == "mutate" {
					_, err = c.Mutate(ctx, v.ID, func(d *doc) error { d.Count++; return nil })
				} else {
					var d doc
					if d, err = c.Get(ctx, v.ID); err == nil {
						d.Count++
						_, err = c.Update(ctx, d)
					}
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
