package file

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/cxkit/cxkit/store"
)

// TestRemap: readers go on, and read the right bytes, while the log
// outgrows its memory map again and again and compaction swaps files.
func TestRemap(t *testing.T) {
	defer func(n int64) { minMapLen = n }(minMapLen)
	minMapLen = 16 << 10
	d := mustOpen(t, t.TempDir())
	if d.m == nil {
		t.Skip("no mmap on this platform")
	}
	body := func(id string) string { return strings.Repeat(id, 40) }
	var wg sync.WaitGroup
	done := make(chan struct{})
	created := make(chan string, 2000)
	wg.Go(func() {
		defer close(done)
		for i := range 1500 {
			id := fmt.Sprintf("r%05d", i)
			mustCreate(t, d, rec(id, body(id)))
			created <- id
			if i%500 == 499 {
				if err := d.Compact(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		}
	})
	for range 2 {
		wg.Go(func() {
			var ids []string
			for {
				select {
				case <-done:
					return
				case id := <-created:
					ids = append(ids, id)
				}
				for _, id := range ids[max(0, len(ids)-5):] {
					r, err := d.Get(ctx, "note", id)
					if err != nil || string(r.Body) != body(id) {
						t.Errorf("Get %s: %v %.20q", id, err, r.Body)
						return
					}
				}
				p, err := d.List(ctx, "note", store.Query{Limit: 50, Order: store.OrderDescending})
				if err != nil {
					t.Error(err)
					return
				}
				for _, r := range p.Records {
					if string(r.Body) != body(r.ID) {
						t.Errorf("List %s: %.20q", r.ID, r.Body)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if d.Stats().LogBytes <= 4*minMapLen {
		t.Fatalf("log of %d bytes never outgrew the mapping", d.Stats().LogBytes)
	}
}
