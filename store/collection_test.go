package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
	"github.com/cxkit/cxkit/store/memory"
)

// ticket is the value type of these tests.
type ticket struct {
	store.Meta
	Title    string `json:"title"`
	Category string `json:"category"`
	Priority int    `json:"priority"`
}

func ticketIndex(v *ticket) map[string]string {
	return map[string]string{"category": v.Category, "priority": store.IntKey(int64(v.Priority))}
}

// plain hides the optional interfaces of the driver it wraps: embedding the
// Driver interface promotes only Driver's methods.
type plain struct{ store.Driver }

// fixedClock is a clock the test moves by hand.
type fixedClock struct{ t atomic.Int64 }

func newClock(t time.Time) *fixedClock { c := &fixedClock{}; c.t.Store(t.UnixNano()); return c }
func (c *fixedClock) now() time.Time   { return time.Unix(0, c.t.Load()).UTC() }
func (c *fixedClock) set(t time.Time)  { c.t.Store(t.UnixNano()) }

var t0 = time.Date(2025, 3, 4, 5, 6, 7, 891234567, time.UTC)

func newTickets(t *testing.T, d store.Driver, opts ...store.CollectionOption) *store.Collection[ticket] {
	t.Helper()
	t.Cleanup(func() { _ = d.Close() })
	return store.NewCollection(d, "ticket", ticketIndex, opts...)
}

func TestCollectionCRUD(t *testing.T) {
	ctx := context.Background()
	clk := newClock(t0)
	c := newTickets(t, memory.New(), store.WithClock(clk.now))
	if c.Kind() != "ticket" {
		t.Fatalf("Kind = %q", c.Kind())
	}
	v, err := c.Create(ctx, ticket{Title: "late parcel", Category: "delivery", Priority: 2})
	if err != nil {
		t.Fatal(err)
	}
	if v.ID == "" || v.Version != 1 {
		t.Fatalf("Create: ID %q version %d", v.ID, v.Version)
	}
	// The collection's clock, truncated to the microsecond every driver keeps.
	if want := t0.Truncate(time.Microsecond); !v.Created.Equal(want) || !v.Updated.Equal(want) {
		t.Fatalf("Create times %v %v; want %v", v.Created, v.Updated, want)
	}
	got, err := c.Get(ctx, v.ID)
	if err != nil || got != v {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, v)
	}
	// The record carries the index attributes and a body without Meta.
	r, err := c.Driver().Get(ctx, "ticket", v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Attrs["category"] != "delivery" || r.Attrs["priority"] != store.IntKey(2) {
		t.Errorf("attrs %q", r.Attrs)
	}
	if want := `{"title":"late parcel","category":"delivery","priority":2}`; string(r.Body) != want {
		t.Errorf("body %s; want %s", r.Body, want)
	}

	clk.set(t0.Add(time.Hour))
	v.Title = "very late parcel"
	u, err := c.Update(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	if u.Version != 2 || !u.Created.Equal(v.Created) || !u.Updated.Equal(t0.Add(time.Hour).Truncate(time.Microsecond)) || u.Title != "very late parcel" {
		t.Fatalf("Update = %+v", u)
	}
	if _, err := c.Update(ctx, v); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale Update: %v; want ErrConflict", err)
	}
	if err := c.Delete(ctx, u.ID, 1); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale Delete: %v; want ErrConflict", err)
	}
	if err := c.Delete(ctx, u.ID, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
}

// The driver is the one place where arguments are checked: the collection
// hands invalid values on, once, and the driver refuses them with
// ErrInvalid and writes nothing. Only what no driver is asked about, the
// grouping of a count made by listing, is checked by the collection.
func TestCollectionLeavesChecksToDriver(t *testing.T) {
	ctx := context.Background()
	mem := memory.New()
	d := &spy{Driver: mem}
	c := newTickets(t, d)
	bad := store.NewCollection(d, "ticket", func(*ticket) map[string]string { return map[string]string{"bad name": "x"} })
	for name, call := range map[string]func() error{
		"Get bad ID":          func() error { _, err := c.Get(ctx, "a/b"); return err },
		"Delete version 0":    func() error { return c.Delete(ctx, "x", 0) },
		"Create with version": func() error { _, err := c.Create(ctx, ticket{Meta: store.Meta{Version: 3}}); return err },
		"Update no version":   func() error { _, err := c.Update(ctx, ticket{Meta: store.Meta{ID: "x"}}); return err },
		"List negative limit": func() error { _, _, err := c.List(ctx, store.Query{Limit: -1}); return err },
		"Create bad index":    func() error { _, err := bad.Create(ctx, ticket{}); return err },
	} {
		before := d.calls.Load()
		if err := call(); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v; want ErrInvalid", name, err)
		}
		if n := d.calls.Load() - before; n != 1 {
			t.Errorf("%s: the driver was called %d times; want once, to check and refuse", name, n)
		}
	}
	before := d.calls.Load()
	if _, err := c.Count(ctx, nil, "a", "b", "c"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Count by three: %v", err)
	}
	if n := d.calls.Load() - before; n != 0 {
		t.Errorf("Count by three reached the driver %d times; the listing fallback must check its grouping first", n)
	}
	if p, err := mem.List(ctx, "ticket", store.Query{}); err != nil || len(p.Records) != 0 {
		t.Errorf("invalid calls stored %d records (%v)", len(p.Records), err)
	}
}

// spy counts the calls that reach the driver.
type spy struct {
	store.Driver
	calls atomic.Int64
}

func (s *spy) Get(ctx context.Context, kind, id string) (store.Record, error) {
	s.calls.Add(1)
	return s.Driver.Get(ctx, kind, id)
}
func (s *spy) Create(ctx context.Context, r store.Record) (store.Record, error) {
	s.calls.Add(1)
	return s.Driver.Create(ctx, r)
}
func (s *spy) Update(ctx context.Context, r store.Record) (store.Record, error) {
	s.calls.Add(1)
	return s.Driver.Update(ctx, r)
}
func (s *spy) Delete(ctx context.Context, kind, id string, v int64) error {
	s.calls.Add(1)
	return s.Driver.Delete(ctx, kind, id, v)
}
func (s *spy) List(ctx context.Context, kind string, q store.Query) (store.Page, error) {
	s.calls.Add(1)
	return s.Driver.List(ctx, kind, q)
}

// A type without Meta no longer reaches run time: NewCollection[noMeta]
// fails to compile (the constraint asks for Meta's method on *T).
func TestCollectionNewCollectionPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"bad kind": func() { store.NewCollection[ticket](memory.New(), "Bad/Kind", nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestCollectionMutate(t *testing.T) {
	ctx := context.Background()
	d := &interfering{Driver: memory.New()}
	c := newTickets(t, d, store.WithRetryAttempts(3))
	v, err := c.Create(ctx, ticket{Title: "t", Priority: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Another writer slips in before each of the first two updates.
	d.c = c
	d.left = 2
	got, err := c.Mutate(ctx, v.ID, func(v *ticket) error { v.Priority *= 10; return nil })
	if err != nil {
		t.Fatalf("Mutate: %v", err)
	}
	// 1 -> interference +1 -> 2 -> ... : the final write starts from the
	// latest stored value, so no update is lost.
	if got.Priority != 30 || got.Version != 4 {
		t.Fatalf("Mutate = priority %d version %d; want 30 at version 4", got.Priority, got.Version)
	}
	d.left = 5
	twice := store.NewCollection(d, "ticket", ticketIndex, store.WithRetryAttempts(2))
	if _, err := twice.Mutate(ctx, v.ID, func(v *ticket) error { v.Priority++; return nil }); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Mutate out of attempts: %v; want ErrConflict", err)
	}
	d.left = 0
	boom := errors.New("boom")
	before, _ := c.Get(ctx, v.ID)
	if _, err := c.Mutate(ctx, v.ID, func(v *ticket) error { v.Title = "x"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("Mutate with failing fn: %v", err)
	}
	if after, _ := c.Get(ctx, v.ID); after != before {
		t.Fatalf("failing fn wrote: %+v", after)
	}
	if _, err := c.Mutate(ctx, "missing", func(*ticket) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Mutate missing: %v", err)
	}
}

// interfering makes another update of the same record just before each of
// the next left updates, as a concurrent writer would.
type interfering struct {
	store.Driver
	c    *store.Collection[ticket]
	left int
}

func (d *interfering) Update(ctx context.Context, r store.Record) (store.Record, error) {
	if d.left > 0 {
		d.left--
		cur, err := d.Driver.Get(ctx, r.Kind, r.ID)
		if err != nil {
			return store.Record{}, err
		}
		v, _ := d.c.Get(ctx, r.ID)
		v.Priority++
		w, _ := d.c.UpdateWrite(v)
		w.Record.Version = cur.Version
		if _, err := d.Driver.Update(ctx, w.Record); err != nil {
			return store.Record{}, err
		}
	}
	return d.Driver.Update(ctx, r)
}

func TestCollectionListAll(t *testing.T) {
	ctx := context.Background()
	c := newTickets(t, memory.New())
	var want []string
	for i := range 25 {
		v, err := c.Create(ctx, ticket{Title: fmt.Sprint(i), Category: []string{"a", "b"}[i%2], Priority: i})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, v.ID)
	}
	// IDs are ULIDs from one source: ascending is creation order.
	if !slices.IsSorted(want) {
		t.Fatalf("IDs not in creation order: %q", want)
	}
	page, next, err := c.List(ctx, store.Query{Limit: 10})
	if err != nil || len(page) != 10 || next == "" || page[0].Title != "0" {
		t.Fatalf("List first page: %d values, next %q, %v", len(page), next, err)
	}
	var got []string
	for v, err := range c.All(ctx, store.Query{Limit: 7}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v.ID)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("All: %q; want %q", got, want)
	}
	n := 0
	for v, err := range c.All(ctx, store.Query{Limit: 3, Filters: store.Between("priority", store.IntKey(5), store.IntKey(15))}) {
		if err != nil || v.Priority < 5 || v.Priority >= 15 {
			t.Fatalf("All in range: %+v, %v", v, err)
		}
		n++
		if n == 6 {
			break // stopping early must be fine
		}
	}
	for _, err := range c.All(ctx, store.Query{Limit: store.MaxLimit + 1}) {
		if !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("All with a bad query: %v", err)
		}
	}
}

func TestCollectionCountFallback(t *testing.T) {
	ctx := context.Background()
	mem := memory.New()
	fast := newTickets(t, mem)
	slow := store.NewCollection(store.Driver(plain{mem}), "ticket", ticketIndex)
	if _, ok := slow.Driver().(store.Counter); ok {
		t.Fatal("plain still exposes Counter")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2500 { // more than MaxLimit, so the fallback pages
		if _, err := fast.Create(ctx, ticket{Category: []string{"a", "b", "c"}[rng.IntN(3)], Priority: rng.IntN(4)}); err != nil {
			t.Fatal(err)
		}
		_ = i
	}
	for _, fs := range [][]store.Filter{nil, {store.Where("category", "b")}, store.Between("priority", store.IntKey(1), store.IntKey(3))} {
		for _, g := range [][]string{nil, {"category"}, {"category", "priority"}, {"priority", "missing"}} {
			want, err := fast.Count(ctx, fs, g...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := slow.Count(ctx, fs, g...)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Count %v by %q: fallback %v; Counter %v", fs, g, got, want)
			}
		}
	}
	got, err := slow.Count(ctx, nil)
	if err != nil || len(got) != 1 || got[0].Count != 2500 {
		t.Fatalf("ungrouped fallback Count: %v, %v", got, err)
	}
	empty := store.NewCollection(store.Driver(plain{memory.New()}), "ticket", ticketIndex)
	got, err = empty.Count(ctx, nil)
	if err != nil || len(got) != 1 || got[0].Count != 0 || got[0].Values == nil {
		t.Fatalf("Count of nothing: %#v, %v; want one group of 0", got, err)
	}
}

func TestCollectionBatch(t *testing.T) {
	ctx := context.Background()
	mem := memory.New()
	c := newTickets(t, mem)
	in := []ticket{{Title: "a"}, {Title: "b"}, {Title: "c"}}
	out, err := c.CreateMany(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 3 || out[0].ID == "" || out[2].Version != 1 || out[1].Title != "b" {
		t.Fatalf("CreateMany = %+v", out)
	}
	if in[0].ID != "" {
		t.Errorf("CreateMany assigned an ID in the caller's slice: %q", in[0].ID)
	}

	// Across kinds, through store.Batch.
	notes := store.NewCollection[ticket](mem, "note", nil)
	u := out[0]
	u.Title = "a2"
	w1, err := c.UpdateWrite(u)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := notes.CreateWrite(ticket{Title: "note"})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := store.Batch(ctx, mem, []store.Write{w1, w2})
	if err != nil || len(rs) != 2 || rs[0].Version != 2 || rs[1].Kind != "note" {
		t.Fatalf("Batch = %+v, %v", rs, err)
	}

	// Without a Batcher: ErrUnsupported, and nothing written.
	d := plain{memory.New()}
	np := store.NewCollection[ticket](d, "ticket", nil)
	if _, err := np.CreateMany(ctx, []ticket{{Title: "x"}, {Title: "y"}}); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("CreateMany without Batcher: %v; want ErrUnsupported", err)
	}
	if p, err := d.List(ctx, "ticket", store.Query{}); err != nil || len(p.Records) != 0 {
		t.Fatalf("CreateMany without Batcher wrote %d records (%v)", len(p.Records), err)
	}
	w, _ := np.CreateWrite(ticket{Title: "z"})
	if _, err := store.Batch(ctx, d, []store.Write{w}); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Batch without Batcher: %v; want ErrUnsupported", err)
	}
	// An invalid batch is refused by the driver, which checks it whole
	// before applying any of it.
	if _, err := store.Batch(ctx, mem, []store.Write{w, w}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Batch naming one record twice: %v; want ErrInvalid", err)
	}
	if _, err := np.Get(ctx, w.Record.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("invalid batch wrote its create: %v", err)
	}
	// A failing batch writes nothing, with a Batcher.
	stale := out[1] // version 1
	stale.Title = "b2"
	ws, _ := c.UpdateWrite(stale)
	ws.Record.Version = 7
	wn, _ := c.CreateWrite(ticket{Title: "n"})
	if _, err := store.Batch(ctx, mem, []store.Write{wn, ws}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Batch with a stale write: %v", err)
	}
	if _, err := c.Get(ctx, wn.Record.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("failed batch wrote its create: %v", err)
	}
}

func TestNewIDMonotonic(t *testing.T) {
	clk := newClock(t0)
	c := store.NewCollection[ticket](memory.New(), "ticket", nil, store.WithClock(clk.now))
	prev := ""
	next := func(what string) {
		t.Helper()
		id, err := c.NewID()
		if err != nil {
			t.Fatal(err)
		}
		if err := driverkit.CheckID("test", "ticket", id); err != nil {
			t.Fatal(err)
		}
		if id <= prev {
			t.Fatalf("%s: ID %s after %s", what, id, prev)
		}
		prev = id
	}
	for range 10000 { // one millisecond, many IDs
		next("fixed clock")
	}
	clk.set(t0.Add(-time.Hour)) // the clock steps back
	for range 100 {
		next("clock stepped back")
	}
	clk.set(t0.Add(time.Hour))
	next("clock forward again")
}

func TestNewIDReproducible(t *testing.T) {
	gen := func() []string {
		c := store.NewCollection[ticket](memory.New(), "ticket", nil,
			store.WithClock(func() time.Time { return t0 }), store.WithEntropy(rand.NewChaCha8([32]byte{1})))
		var out []string
		for range 5 {
			id, err := c.NewID()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	if a, b := gen(), gen(); !slices.Equal(a, b) {
		t.Fatalf("same clock and entropy gave %q and %q", a, b)
	}
}
