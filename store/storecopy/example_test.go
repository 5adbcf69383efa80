package storecopy_test

import (
	"context"
	"fmt"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storecopy"
)

// Copying one store into another, resumably: run it again after an
// interruption and it writes only what is missing.
func ExampleCopy() {
	ctx := context.Background()
	src, dst := memory.New(), memory.New()
	for _, id := range []string{"a", "b", "c"} {
		src.Create(ctx, store.Record{Kind: "complaint", ID: id, Body: []byte(`{}`)})
	}
	res, err := storecopy.Copy(ctx, dst, src, storecopy.Options{})
	fmt.Println(res.Copied, res.Skipped, err)
	res, err = storecopy.Copy(ctx, dst, src, storecopy.Options{})
	fmt.Println(res.Copied, res.Skipped, err)
	// Output:
	// 3 0 <nil>
	// 0 3 <nil>
}
