package storecopy_test

import (
	"bytes"
	"testing"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storecopy"
)

// FuzzImport feeds Import arbitrary input: it must never panic, and
// whatever it stores must be records a write could store, which export
// again to lines that import to the same records.
func FuzzImport(f *testing.F) {
	src := memory.New()
	sample(f, src, 9)
	var buf bytes.Buffer
	storecopy.Export(ctx, &buf, src, storecopy.Options{})
	f.Add(buf.Bytes())
	f.Add([]byte(`{"kind":"k","id":"a","attrs":{},"body":""}`))
	f.Add([]byte(`{"kind":"k","id":"a","attrs":null,"body":null,"created":"2026-01-01T00:00:00Z"}` + "\n" + `{"kind":"k","id":"a"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		dst := memory.New()
		storecopy.Import(ctx, bytes.NewReader(in), dst, storecopy.Options{})
		kinds, _ := dst.Kinds(ctx)
		var out bytes.Buffer
		if _, err := storecopy.Export(ctx, &out, dst, storecopy.Options{Kinds: kinds}); err != nil {
			t.Fatal(err)
		}
		again := memory.New()
		if _, err := storecopy.Import(ctx, &out, again, storecopy.Options{}); err != nil {
			t.Fatalf("re-import of an export: %v", err)
		}
		for _, k := range kinds {
			p, _ := dst.List(ctx, k, store.Query{Limit: store.MaxLimit})
			for _, r := range p.Records {
				g, err := again.Get(ctx, k, r.ID)
				if err != nil || !storecopy.Same(g, r) {
					t.Fatalf("%s/%s changed through export and import: %v", k, r.ID, err)
				}
			}
		}
	})
}
