// Package memory is an in-memory store.Driver: for tests, examples and
// caches. It keeps nothing across restarts.
//
// It is safe for concurrent use, copies records on the way in and out (no
// caller can reach stored state through a slice or map it kept), and
// implements the optional store.Counter and store.Batcher interfaces.
package memory

import (
	"context"
	"slices"
	"sort"
	"sync"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// Driver is an in-memory store.Driver. Its zero value is not usable; call New.
type Driver struct {
	mu     sync.RWMutex
	kinds  map[string]*table
	closed bool
}

// table holds one kind: records by ID and the IDs in order, for paging.
type table struct {
	recs map[string]*store.Record
	ids  []string // sorted
}

var (
	_ store.Driver  = (*Driver)(nil)
	_ store.Counter = (*Driver)(nil)
	_ store.Batcher = (*Driver)(nil)
)

// New returns an empty driver.
func New() *Driver { return &Driver{kinds: map[string]*table{}} }

func (d *Driver) ready(ctx context.Context, op, kind, id string) error {
	if err := ctx.Err(); err != nil {
		return &store.Error{Op: op, Kind: kind, ID: id, Err: err}
	}
	if d.closed {
		return &store.Error{Op: op, Kind: kind, ID: id, Err: store.ErrClosed}
	}
	return nil
}

// Get implements store.Driver.
func (d *Driver) Get(ctx context.Context, kind, id string) (store.Record, error) {
	if err := driverkit.CheckGet(kind, id); err != nil {
		return store.Record{}, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.ready(ctx, "get", kind, id); err != nil {
		return store.Record{}, err
	}
	t := d.kinds[kind]
	if t == nil || t.recs[id] == nil {
		return store.Record{}, &store.Error{Op: "get", Kind: kind, ID: id, Err: store.ErrNotFound}
	}
	return t.recs[id].Clone(), nil
}

// Create implements store.Driver.
func (d *Driver) Create(ctx context.Context, r store.Record) (store.Record, error) {
	if err := driverkit.CheckRecord("create", r); err != nil {
		return store.Record{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.ready(ctx, "create", r.Kind, r.ID); err != nil {
		return store.Record{}, err
	}
	if err := d.checkWrite(store.Write{Action: store.ActionCreate, Record: r}); err != nil {
		return store.Record{}, err
	}
	return d.apply(store.Write{Action: store.ActionCreate, Record: r}), nil
}

// Update implements store.Driver.
func (d *Driver) Update(ctx context.Context, r store.Record) (store.Record, error) {
	if err := driverkit.CheckRecord("update", r); err != nil {
		return store.Record{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.ready(ctx, "update", r.Kind, r.ID); err != nil {
		return store.Record{}, err
	}
	if err := d.checkWrite(store.Write{Action: store.ActionUpdate, Record: r}); err != nil {
		return store.Record{}, err
	}
	return d.apply(store.Write{Action: store.ActionUpdate, Record: r}), nil
}

// Delete implements store.Driver.
func (d *Driver) Delete(ctx context.Context, kind, id string, version int64) error {
	w := store.Write{Action: store.ActionDelete, Record: store.Record{Kind: kind, ID: id, Version: version}}
	if err := driverkit.CheckDelete(kind, id, version); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.ready(ctx, "delete", kind, id); err != nil {
		return err
	}
	if err := d.checkWrite(w); err != nil {
		return err
	}
	d.apply(w)
	return nil
}

// Batch implements store.Batcher: every write is checked against the
// state the earlier writes of the batch would leave before any is applied.
func (d *Driver) Batch(ctx context.Context, writes []store.Write) ([]store.Record, error) {
	if err := driverkit.CheckBatch(writes); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.ready(ctx, "batch", "", ""); err != nil {
		return nil, err
	}
	// CheckBatch forbids naming a record twice, so each write can be checked
	// against the state before the batch.
	for _, w := range writes {
		if err := d.checkWrite(w); err != nil {
			return nil, err
		}
	}
	out := make([]store.Record, len(writes))
	for i, w := range writes {
		out[i] = d.apply(w)
	}
	return out, nil
}

// checkWrite reports why w cannot be applied to the current state.
// Callers hold d.mu.
func (d *Driver) checkWrite(w store.Write) error {
	r := w.Record
	op := w.Action.String()
	var cur *store.Record
	if t := d.kinds[r.Kind]; t != nil {
		cur = t.recs[r.ID]
	}
	switch {
	case w.Action == store.ActionCreate && cur != nil:
		return &store.Error{Op: op, Kind: r.Kind, ID: r.ID, Err: store.ErrAlreadyExists}
	case w.Action != store.ActionCreate && cur == nil:
		return &store.Error{Op: op, Kind: r.Kind, ID: r.ID, Err: store.ErrNotFound}
	case w.Action != store.ActionCreate && cur.Version != r.Version:
		return driverkit.Errorf(op, r.Kind, r.ID, store.ErrConflict, "stored version is %d, write expected %d", cur.Version, r.Version)
	}
	return nil
}

// apply performs a checked write and returns a copy of what was stored.
// Callers hold d.mu.
func (d *Driver) apply(w store.Write) store.Record {
	r := w.Record
	t := d.kinds[r.Kind]
	if t == nil {
		t = &table{recs: map[string]*store.Record{}}
		d.kinds[r.Kind] = t
	}
	switch w.Action {
	case store.ActionCreate:
		s := r.Clone()
		s.Version = 1
		t.recs[r.ID] = &s
		t.insertID(r.ID)
		return s.Clone()
	case store.ActionUpdate:
		s := r.Clone()
		s.Version = r.Version + 1
		s.Created = t.recs[r.ID].Created
		t.recs[r.ID] = &s
		return s.Clone()
	default:
		delete(t.recs, r.ID)
		t.deleteID(r.ID)
		return store.Record{}
	}
}

func (t *table) insertID(id string) {
	// ULIDs mostly arrive in order: append is the common case.
	if n := len(t.ids); n == 0 || t.ids[n-1] < id {
		t.ids = append(t.ids, id)
		return
	}
	i, _ := slices.BinarySearch(t.ids, id)
	t.ids = slices.Insert(t.ids, i, id)
}

func (t *table) deleteID(id string) {
	if i, ok := slices.BinarySearch(t.ids, id); ok {
		t.ids = slices.Delete(t.ids, i, i+1)
	}
}

// List implements store.Driver.
func (d *Driver) List(ctx context.Context, kind string, q store.Query) (store.Page, error) {
	limit, err := driverkit.CheckQuery(kind, q)
	if err != nil {
		return store.Page{}, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.ready(ctx, "list", kind, ""); err != nil {
		return store.Page{}, err
	}
	t := d.kinds[kind]
	if t == nil {
		return store.Page{}, nil
	}
	var p store.Page
	visit := func(id string) bool { // false: stop
		r := t.recs[id]
		if !driverkit.MatchAll(q.Filters, r.Attrs) {
			return true
		}
		if len(p.Records) == limit {
			p.Next = p.Records[limit-1].ID
			return false
		}
		p.Records = append(p.Records, r.Clone())
		return true
	}
	if q.Order == store.OrderDescending {
		end := len(t.ids)
		if q.After != "" {
			end = sort.SearchStrings(t.ids, q.After) // first >= After
		}
		for i := end - 1; i >= 0 && visit(t.ids[i]); i-- {
		}
	} else {
		start := 0
		if q.After != "" {
			start = sort.Search(len(t.ids), func(i int) bool { return t.ids[i] > q.After })
		}
		for i := start; i < len(t.ids) && visit(t.ids[i]); i++ {
		}
	}
	return p, nil
}

// Count implements store.Counter.
func (d *Driver) Count(ctx context.Context, kind string, filters []store.Filter, groupBy ...string) ([]store.Group, error) {
	if err := driverkit.CheckCount(kind, filters, groupBy); err != nil {
		return nil, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.ready(ctx, "count", kind, ""); err != nil {
		return nil, err
	}
	counts := map[[store.MaxGroupBy]string]int64{}
	if t := d.kinds[kind]; t != nil {
		for _, r := range t.recs {
			if !driverkit.MatchAll(filters, r.Attrs) {
				continue
			}
			var k [store.MaxGroupBy]string
			for i, a := range groupBy {
				k[i] = r.Attrs[a]
			}
			counts[k]++
		}
	}
	return driverkit.GroupCounts(counts, len(groupBy)), nil
}

// Close implements store.Driver. The records are dropped.
func (d *Driver) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return &store.Error{Op: "close", Err: store.ErrClosed}
	}
	d.closed = true
	d.kinds = nil
	return nil
}
