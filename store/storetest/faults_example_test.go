package storetest_test

import (
	"context"
	"fmt"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storetest"
)

// A write whose reply is lost after the store applied it: the collection
// reads the record again, finds its own change there, and applies it once.
func ExampleFaults() {
	ctx := context.Background()
	faults := storetest.NewFaults(memory.New())
	type tally struct {
		store.Meta
		N int
	}
	tallies := store.NewCollection[tally](faults.Driver(), "tally", nil)
	t, _ := tallies.Create(ctx, tally{})

	faults.LoseReplies(1)
	t, err := tallies.Mutate(ctx, t.ID, func(t *tally) error { t.N++; return nil })
	_, unknown := faults.Counts()
	fmt.Println("replies lost:", unknown, "error:", err, "n:", t.N)
	// Output:
	// replies lost: 1 error: <nil> n: 1
}
