package driverkit_test

import (
	"context"
	"fmt"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
	"github.com/cxkit/cxkit/store/memory"
)

// audited is a driver wrapper: it embeds the inner driver and overrides
// only what it adds to, here a count of the records written.
type audited struct {
	store.Driver
	writes int
}

func (a *audited) Create(ctx context.Context, r store.Record) (store.Record, error) {
	a.writes++
	return a.Driver.Create(ctx, r)
}

// Batch writes too, so the wrapper counts its records before handing it
// on. Wrap exposes it only because the inner driver is a Batcher.
func (a *audited) Batch(ctx context.Context, ws []store.Write) ([]store.Record, error) {
	a.writes += len(ws)
	return a.Driver.(store.Batcher).Batch(ctx, ws)
}

// Wrap keeps the inner driver's optional interfaces, so a collection on
// the wrapper still counts without reading bodies and batches atomically.
func ExampleWrap() {
	ctx := context.Background()
	inner := memory.New()
	a := &audited{Driver: inner}
	d := driverkit.Wrap(inner, a)

	_, isCounter := d.(store.Counter)
	_, isBatcher := d.(store.Batcher)
	fmt.Println("counter:", isCounter, "batcher:", isBatcher)

	type note struct {
		store.Meta
		Text string
	}
	notes := store.NewCollection[note](d, "note", nil)
	_, _ = notes.Create(ctx, note{Text: "one"})
	_, _ = notes.CreateMany(ctx, []note{{Text: "two"}, {Text: "three"}})
	fmt.Println("records written through the wrapper:", a.writes)
	// Output:
	// counter: true batcher: true
	// records written through the wrapper: 3
}
