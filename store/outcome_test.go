package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storetest"
)

// counter is a value whose every change must be applied exactly once.
type counter struct {
	store.Meta
	N int `json:"n"`
}

func newCounters(t *testing.T, opts ...store.CollectionOption) (*store.Collection[counter], *storetest.Faults, *memory.Driver) {
	t.Helper()
	mem := memory.New()
	t.Cleanup(func() { _ = mem.Close() })
	f := storetest.NewFaults(mem)
	return store.NewCollection[counter](f.Driver(), "counter", nil, opts...), f, mem
}

func stored(t *testing.T, mem *memory.Driver, id string) counter {
	t.Helper()
	v, err := store.NewCollection[counter](mem, "counter", nil).Get(context.Background(), id)
	if err != nil {
		t.Fatalf("reading %s behind the faults: %v", id, err)
	}
	return v
}

func wantFaults(t *testing.T, f *storetest.Faults, refused, unknown int) {
	t.Helper()
	if r, u := f.Counts(); r != refused || u != unknown {
		t.Fatalf("faults injected: %d refused, %d unknown; the test meant %d and %d", r, u, refused, unknown)
	}
}

func increment(v *counter) error { v.N++; return nil }

func TestMutateAfterLostReplyAppliesOnce(t *testing.T) {
	ctx := context.Background()
	c, f, mem := newCounters(t)
	v, err := c.Create(ctx, counter{Meta: store.Meta{ID: "c1"}})
	if err != nil {
		t.Fatal(err)
	}
	f.LoseReplies(1)
	got, err := c.Mutate(ctx, v.ID, increment)
	wantFaults(t, f, 0, 1)
	if err != nil {
		t.Fatalf("Mutate whose write landed but whose reply was lost: %v; want success", err)
	}
	if got.N != 1 || got.Version != 2 {
		t.Errorf("Mutate returned n=%d at version %d; want n=1 at version 2", got.N, got.Version)
	}
	if s := stored(t, mem, v.ID); s.N != 1 || s.Version != 2 {
		t.Errorf("stored n=%d at version %d; want the increment applied once (n=1, version 2)", s.N, s.Version)
	}
}

func TestMutateAfterLostWriteAppliesOnce(t *testing.T) {
	ctx := context.Background()
	c, f, mem := newCounters(t)
	v, _ := c.Create(ctx, counter{Meta: store.Meta{ID: "c1"}})
	f.LoseWrites(1)
	if _, err := c.Mutate(ctx, v.ID, increment); err != nil {
		t.Fatalf("Mutate whose first write never arrived: %v; want success on the second", err)
	}
	wantFaults(t, f, 0, 1)
	if s := stored(t, mem, v.ID); s.N != 1 || s.Version != 2 {
		t.Errorf("stored n=%d at version %d; want n=1 at version 2", s.N, s.Version)
	}
}

// Another writer's change lands on top of the lost one before Mutate reads
// again: Mutate must still find its own request, and not apply it twice.
func TestMutateAfterLostReplyWithAnotherWriterBetween(t *testing.T) {
	ctx := context.Background()
	c, f, mem := newCounters(t)
	v, _ := c.Create(ctx, counter{Meta: store.Meta{ID: "c1"}})
	other := store.NewCollection[counter](mem, "counter", nil)
	f.AfterLoss(func() {
		if _, err := other.Mutate(ctx, v.ID, func(v *counter) error { v.N += 10; return nil }); err != nil {
			t.Errorf("the other writer: %v", err)
		}
	})
	f.LoseReplies(1)
	if _, err := c.Mutate(ctx, v.ID, increment); err != nil {
		t.Fatalf("Mutate: %v", err)
	}
	if s := stored(t, mem, v.ID); s.N != 11 || s.Version != 3 {
		t.Errorf("stored n=%d at version %d; want both changes once (n=11, version 3)", s.N, s.Version)
	}
}

func TestCreateAfterLostReply(t *testing.T) {
	ctx := context.Background()
	c, f, mem := newCounters(t)
	f.LoseReplies(1)
	got, err := c.Create(ctx, counter{N: 5}) // the collection picks the ID
	wantFaults(t, f, 0, 1)
	if err != nil {
		t.Fatalf("Create whose reply was lost: %v; want success", err)
	}
	if s := stored(t, mem, got.ID); s.N != 5 || s.Version != 1 {
		t.Errorf("stored n=%d version %d; want n=5 version 1", s.N, s.Version)
	}
	if p, _ := mem.List(ctx, "counter", store.Query{}); len(p.Records) != 1 {
		t.Errorf("%d records stored; want 1", len(p.Records))
	}
}

// A caller who got ErrOutcomeUnknown calls Create again with its own ID:
// the same body is success, another body is ErrAlreadyExists.
func TestCreateRetriedByCaller(t *testing.T) {
	ctx := context.Background()
	c, f, _ := newCounters(t, store.WithRetryAttempts(3))
	// The first try lands but its reply is lost; the collection's own
	// resends are all refused, so the caller hears of the unknown outcome.
	f.LoseReplies(1)
	f.AfterLoss(func() { f.Refuse(2) })
	_, err := c.Create(ctx, counter{Meta: store.Meta{ID: "order-7"}, N: 7})
	if !errors.Is(err, store.ErrOutcomeUnknown) {
		t.Fatalf("Create whose reply was lost and whose resends were refused: %v; want ErrOutcomeUnknown", err)
	}
	wantFaults(t, f, 2, 1)
	again, err := c.Create(ctx, counter{Meta: store.Meta{ID: "order-7"}, N: 7})
	if err != nil || again.N != 7 || again.Version != 1 {
		t.Fatalf("Create retried with the same body: %+v, %v; want the stored value and no error", again, err)
	}
	if _, err := c.Create(ctx, counter{Meta: store.Meta{ID: "order-7"}, N: 8}); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("Create of another body under that ID: %v; want ErrAlreadyExists", err)
	}
}

func TestUpdateAndDeleteAfterLostReply(t *testing.T) {
	ctx := context.Background()
	c, f, mem := newCounters(t)
	v, _ := c.Create(ctx, counter{Meta: store.Meta{ID: "c1"}})
	v.N = 3
	f.LoseReplies(1)
	u, err := c.Update(ctx, v)
	if err != nil || u.Version != 2 {
		t.Fatalf("Update whose reply was lost: %+v, %v; want version 2 and no error", u, err)
	}
	// A stale update whose write never arrived is still a conflict.
	v.N = 4
	f.LoseWrites(1)
	if _, err := c.Update(ctx, v); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale Update after a lost write: %v; want ErrConflict", err)
	}
	f.LoseReplies(1)
	if err := c.Delete(ctx, "c1", 2); err != nil {
		t.Fatalf("Delete whose reply was lost: %v; want success", err)
	}
	if _, err := mem.Get(ctx, "counter", "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("record after Delete: %v; want gone", err)
	}
	wantFaults(t, f, 0, 3)
}

func TestUnavailableIsRetried(t *testing.T) {
	ctx := context.Background()
	c, f, mem := newCounters(t, store.WithRetryAttempts(4))
	f.Refuse(3)
	v, err := c.Create(ctx, counter{Meta: store.Meta{ID: "c1"}})
	if err != nil {
		t.Fatalf("Create refused 3 times with 4 attempts: %v; want success", err)
	}
	f.Refuse(3)
	if _, err := c.Mutate(ctx, v.ID, increment); err != nil {
		t.Fatalf("Mutate refused 3 times: %v", err)
	}
	f.Refuse(3)
	if _, _, err := c.List(ctx, store.Query{}); err != nil {
		t.Fatalf("List refused 3 times: %v", err)
	}
	wantFaults(t, f, 9, 0)

	f.Refuse(4)
	if _, err := c.Mutate(ctx, v.ID, increment); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Mutate refused as often as it tries: %v; want ErrUnavailable", err)
	}
	if s := stored(t, mem, v.ID); s.N != 1 {
		t.Errorf("stored n=%d; want 1 (the refused Mutate changed nothing)", s.N)
	}
}

func TestRetryHonoursContext(t *testing.T) {
	c, f, _ := newCounters(t, store.WithRetryAttempts(1000))
	f.Refuse(1000)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Create(ctx, counter{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Create refused until the deadline: %v; want the context's error", err)
	}
}

func TestCreateManyAfterLostReply(t *testing.T) {
	ctx := context.Background()
	c, f, mem := newCounters(t)
	f.LoseReplies(1)
	got, err := c.CreateMany(ctx, []counter{{N: 1}, {N: 2}})
	wantFaults(t, f, 0, 1)
	if err != nil || len(got) != 2 || got[1].N != 2 || got[1].Version != 1 {
		t.Fatalf("CreateMany whose reply was lost: %+v, %v; want both created, no error", got, err)
	}
	if p, _ := mem.List(ctx, "counter", store.Query{}); len(p.Records) != 2 {
		t.Fatalf("%d records stored; want 2", len(p.Records))
	}
	// Retried by the caller with its own IDs: the same bodies are success,
	// one different body is ErrAlreadyExists.
	mine := []counter{{Meta: store.Meta{ID: "a"}, N: 1}, {Meta: store.Meta{ID: "b"}, N: 2}}
	if _, err := c.CreateMany(ctx, mine); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateMany(ctx, mine); err != nil {
		t.Fatalf("CreateMany repeated with the same bodies: %v; want success", err)
	}
	mine[1].N = 3
	if _, err := c.CreateMany(ctx, mine); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("CreateMany repeated with another body: %v; want ErrAlreadyExists", err)
	}
}
