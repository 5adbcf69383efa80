package memory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

// ExampleNew uses the driver directly, as an adapter author or a test
// would; applications usually go through store.Collection instead.
func ExampleNew() {
	ctx := context.Background()
	d := memory.New()
	defer d.Close()

	now := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	r, err := d.Create(ctx, store.Record{
		Kind: "feedback", ID: "f1",
		Attrs:   map[string]string{"channel": "email"},
		Body:    []byte(`{"text":"quick answer, thanks"}`),
		Created: now, Updated: now,
	})
	fmt.Println(r.Version, err)

	p, _ := d.List(ctx, "feedback", store.Query{Filters: []store.Filter{store.Where("channel", "email")}})
	fmt.Println(len(p.Records), string(p.Records[0].Body))

	groups, _ := d.Count(ctx, "feedback", nil, "channel")
	fmt.Println(groups)
	// Output:
	// 1 <nil>
	// 1 {"text":"quick answer, thanks"}
	// [{[email] 1}]
}
