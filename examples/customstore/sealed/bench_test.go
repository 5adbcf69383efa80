package sealed_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/cxkit/cxkit/examples/customstore/sealed"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

// BenchmarkWriteRead measures what sealing costs on top of a driver: one
// Create and one Get of a body of each size, over the memory driver (whose
// own cost is small, so the difference is the cipher's).
func BenchmarkWriteRead(b *testing.B) {
	ctx := context.Background()
	for _, size := range []int{256, 4 << 10, 64 << 10} {
		body := bytes.Repeat([]byte("x"), size)
		for _, name := range []string{"memory", "sealed"} {
			b.Run(fmt.Sprintf("%s/%dB", name, size), func(b *testing.B) {
				var d store.Driver = memory.New()
				if name == "sealed" {
					var err error
					if d, err = sealed.New(d, key); err != nil {
						b.Fatal(err)
					}
				}
				b.SetBytes(int64(size))
				i := 0
				for b.Loop() {
					id := fmt.Sprint("r", i)
					i++
					if _, err := d.Create(ctx, store.Record{Kind: "k", ID: id, Body: body}); err != nil {
						b.Fatal(err)
					}
					if _, err := d.Get(ctx, "k", id); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
