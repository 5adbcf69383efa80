package driverkit_test

import (
	"context"
	"testing"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storetest"
)

// only hides the optional interfaces of the driver it holds.
type only struct{ store.Driver }

// counter is a driver that counts but cannot batch.
type counter struct {
	store.Driver
	store.Counter
}

// batcher is a driver that batches but cannot count.
type batcher struct {
	store.Driver
	store.Batcher
}

// marking is a wrapper with a Batch of its own, which Wrap must prefer.
type marking struct {
	store.Driver
	batches int
}

func (m *marking) Batch(ctx context.Context, ws []store.Write) ([]store.Record, error) {
	m.batches++
	return m.Driver.(store.Batcher).Batch(ctx, ws)
}

func TestWrapKeepsExactlyInnerInterfaces(t *testing.T) {
	mem := memory.New()
	for name, c := range map[string]struct {
		inner                store.Driver
		wantCount, wantBatch bool
	}{
		"neither": {only{mem}, false, false},
		"counter": {counter{mem, mem}, true, false},
		"batcher": {batcher{mem, mem}, false, true},
		"both":    {mem, true, true},
	} {
		// The outer driver is a full memory driver in every case: Wrap must
		// still show only what inner has.
		d := driverkit.Wrap(c.inner, &marking{Driver: mem})
		_, isCounter := d.(store.Counter)
		_, isBatcher := d.(store.Batcher)
		if isCounter != c.wantCount || isBatcher != c.wantBatch {
			t.Errorf("%s: wrapped driver is Counter %v, Batcher %v; the inner driver is Counter %v, Batcher %v",
				name, isCounter, isBatcher, c.wantCount, c.wantBatch)
		}
	}
}

func TestWrapPrefersOuterMethods(t *testing.T) {
	mem := memory.New()
	m := &marking{Driver: mem}
	d := driverkit.Wrap(mem, m)
	c := store.NewCollection[item](d, "item", nil)
	if _, err := c.CreateMany(context.Background(), []item{{N: 1}, {N: 2}}); err != nil {
		t.Fatal(err)
	}
	if m.batches != 1 {
		t.Fatalf("the wrapper's Batch ran %d times; want once (Wrap must call the wrapper's own Batch)", m.batches)
	}
}

type item struct {
	store.Meta
	N int
}

// A pass-through wrapper made with Wrap meets the whole contract.
func TestWrapConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver {
		mem := memory.New()
		return driverkit.Wrap(mem, only{mem})
	})
}
