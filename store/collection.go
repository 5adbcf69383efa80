package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"time"

	"github.com/cxkit/cxkit/store/internal/rule"
)

// A Collection stores values of type T as records of one kind in a Driver.
// It is the layer domain packages use: it encodes T as JSON, assigns ULID IDs,
// retries read-modify-writes, and offers counts and batches with honest
// fallbacks. It leaves the checking of arguments to the driver, the one
// place the contract checks them: an invalid value comes back from the
// driver as an error wrapping ErrInvalid, and nothing is written.
//
// T must embed Meta, which carries the ID, version and timestamps.
// A Collection is safe for concurrent use if its driver is.
type Collection[T any] struct {
	d        Driver
	kind     string
	index    func(*T) map[string]string
	meta     func(*T) *Meta
	now      func() time.Time
	ids      *idSource
	attempts int
}

// CollectionOption configures a Collection.
type CollectionOption func(*collectionConfig)

type collectionConfig struct {
	now      func() time.Time
	entropy  io.Reader
	attempts int
}

// DefaultRetryAttempts is how many times Mutate tries a read-modify-write
// when other writers keep getting there first, unless WithRetryAttempts
// says otherwise.
const DefaultRetryAttempts = 8

// WithRetryAttempts sets how many times Mutate tries before it gives up and
// returns ErrConflict; n < 1 means 1.
func WithRetryAttempts(n int) CollectionOption {
	return func(c *collectionConfig) { c.attempts = max(n, 1) }
}

// WithClock makes the collection read the time from now (for Created,
// Updated and the time part of new IDs) instead of time.Now.
func WithClock(now func() time.Time) CollectionOption {
	return func(c *collectionConfig) { c.now = now }
}

// WithEntropy makes new IDs draw their random part from r instead of
// crypto/rand, for reproducible IDs in tests.
func WithEntropy(r io.Reader) CollectionOption {
	return func(c *collectionConfig) { c.entropy = r }
}

// NewCollection returns a collection of the records of kind in d. index, if
// not nil, returns the attributes to store with a value, the ones lists and
// counts filter and group on; it must not keep v.
//
// T must embed Meta: a type that does not fails to compile, because only
// an embedded Meta gives *T the method the second type parameter asks for
// (callers name only T; the compiler infers the rest). NewCollection panics
// if kind is not a valid kind, a mistake in the program, not in its input.
func NewCollection[T any, PT interface {
	*T
	metaHolder
}](d Driver, kind string, index func(v *T) map[string]string, opts ...CollectionOption) *Collection[T] {
	if v := rule.Kind(kind); v != nil {
		panic("store.NewCollection: " + invalid("collection", "", "", v).Error())
	}
	cfg := collectionConfig{now: time.Now, attempts: DefaultRetryAttempts}
	for _, o := range opts {
		o(&cfg)
	}
	return &Collection[T]{
		d: d, kind: kind, index: index,
		meta:     func(v *T) *Meta { return PT(v).storeMeta() },
		now:      cfg.now,
		ids:      newIDSource(cfg.entropy),
		attempts: cfg.attempts,
	}
}

// Kind returns the record kind the collection stores.
func (c *Collection[T]) Kind() string { return c.kind }

// Driver returns the driver the collection stores into.
func (c *Collection[T]) Driver() Driver { return c.d }

// stamp is the collection's clock, in UTC, to the microsecond: the finest
// time every driver keeps.
func (c *Collection[T]) stamp() time.Time { return c.now().UTC().Truncate(time.Microsecond) }

// NewID returns a fresh ULID from the collection's clock and entropy, for
// callers that need an ID before they create the value.
func (c *Collection[T]) NewID() (string, error) {
	id, err := c.ids.next(c.now())
	if err != nil {
		return "", &Error{Op: "create", Kind: c.kind, Err: fmt.Errorf("new ID: %w", err)}
	}
	return id, nil
}

// encode turns v into a record for op; the driver validates it.
func (c *Collection[T]) encode(op string, v *T) (Record, error) {
	m := c.meta(v)
	body, err := json.Marshal(v)
	if err != nil {
		return Record{}, &Error{Op: op, Kind: c.kind, ID: m.ID, Err: fmt.Errorf("%w: encoding body: %v", ErrInvalid, err)}
	}
	r := Record{Kind: c.kind, ID: m.ID, Version: m.Version, Body: body, Created: m.Created, Updated: m.Updated}
	if c.index != nil {
		r.Attrs = c.index(v)
	}
	return r, nil
}

// decode turns a stored record into a T with its Meta filled.
func (c *Collection[T]) decode(op string, r Record) (T, error) {
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		return v, &Error{Op: op, Kind: r.Kind, ID: r.ID, Err: fmt.Errorf("decoding body: %w", err)}
	}
	*c.meta(&v) = Meta{ID: r.ID, Version: r.Version, Created: r.Created, Updated: r.Updated}
	return v, nil
}

// prepareCreate assigns an ID (unless v has one) and timestamps.
func (c *Collection[T]) prepareCreate(v *T) (Record, error) {
	m := c.meta(v)
	if m.ID == "" {
		id, err := c.NewID()
		if err != nil {
			return Record{}, err
		}
		m.ID = id
	}
	now := c.stamp()
	m.Created, m.Updated = now, now
	return c.encode("create", v)
}

// Create stores v as a new record and returns it with its Meta filled. If
// v's ID is empty a new ULID is assigned; its Version must be 0.
func (c *Collection[T]) Create(ctx context.Context, v T) (T, error) {
	r, err := c.prepareCreate(&v)
	if err != nil {
		var zero T
		return zero, err
	}
	stored, err := c.d.Create(ctx, r)
	if err != nil {
		var zero T
		return zero, err
	}
	return c.decode("create", stored)
}

// Get returns the value with the given ID, or an error wrapping ErrNotFound.
func (c *Collection[T]) Get(ctx context.Context, id string) (T, error) {
	var zero T
	r, err := c.d.Get(ctx, c.kind, id)
	if err != nil {
		return zero, err
	}
	return c.decode("get", r)
}

// Update stores v over the record with v's ID, if the stored version is
// still v's Version; otherwise it returns an error wrapping ErrConflict and
// changes nothing. The returned value carries the new version.
func (c *Collection[T]) Update(ctx context.Context, v T) (T, error) {
	var zero T
	m := c.meta(&v)
	m.Updated = c.stamp()
	r, err := c.encode("update", &v)
	if err != nil {
		return zero, err
	}
	stored, err := c.d.Update(ctx, r)
	if err != nil {
		return zero, err
	}
	return c.decode("update", stored)
}

// Delete removes the record with the given ID if its stored version is
// version.
func (c *Collection[T]) Delete(ctx context.Context, id string, version int64) error {
	return c.d.Delete(ctx, c.kind, id, version)
}

// Mutate reads the value with the given ID, applies fn to it and writes it
// back, trying again (up to the collection's retry attempts, see
// WithRetryAttempts) when another writer got there first. fn may run more
// than once and must not have side effects beyond v. If fn returns an
// error, nothing is written and that error is returned.
func (c *Collection[T]) Mutate(ctx context.Context, id string, fn func(v *T) error) (T, error) {
	var zero T
	var err error
	for range c.attempts {
		var v T
		v, err = c.Get(ctx, id)
		if err != nil {
			return zero, err
		}
		if err = fn(&v); err != nil {
			return zero, err
		}
		v, err = c.Update(ctx, v)
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, ErrConflict) {
			return zero, err
		}
	}
	return zero, err
}

// List returns one page of values matching q.
func (c *Collection[T]) List(ctx context.Context, q Query) ([]T, string, error) {
	p, err := c.d.List(ctx, c.kind, q)
	if err != nil {
		return nil, "", err
	}
	vs := make([]T, 0, len(p.Records))
	for _, r := range p.Records {
		v, err := c.decode("list", r)
		if err != nil {
			return nil, "", err
		}
		vs = append(vs, v)
	}
	return vs, p.Next, nil
}

// All iterates over every value matching q, page by page from q.After on,
// stopping at the first error (which it yields with a zero T). q.Limit is the
// page size.
func (c *Collection[T]) All(ctx context.Context, q Query) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for {
			vs, next, err := c.List(ctx, q)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, v := range vs {
				if !yield(v, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			q.After = next
		}
	}
}

// Count counts the values matching filters, grouped by up to two
// attributes. It asks the driver if it is a Counter and otherwise streams
// the records' attributes through List.
func (c *Collection[T]) Count(ctx context.Context, filters []Filter, groupBy ...string) ([]Group, error) {
	return Count(ctx, c.d, c.kind, filters, groupBy...)
}

// CreateMany stores vs as new records in one atomic batch, assigning IDs as
// Create does. Without a Batcher driver it returns an error wrapping
// errors.ErrUnsupported and writes nothing.
func (c *Collection[T]) CreateMany(ctx context.Context, vs []T) ([]T, error) {
	// Work on a copy: assigning IDs and times in the caller's slice would
	// leave it half-prepared when the batch fails, as Create (which takes v
	// by value) never does.
	vs = slices.Clone(vs)
	writes := make([]Write, len(vs))
	for i := range vs {
		r, err := c.prepareCreate(&vs[i])
		if err != nil {
			return nil, err
		}
		writes[i] = Write{Action: ActionCreate, Record: r}
	}
	stored, err := Batch(ctx, c.d, writes)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(stored))
	for i, r := range stored {
		if out[i], err = c.decode("create", r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CreateWrite returns the write that would create v (assigning its ID and
// timestamps), for a Batch across collections.
func (c *Collection[T]) CreateWrite(v T) (Write, error) {
	r, err := c.prepareCreate(&v)
	return Write{Action: ActionCreate, Record: r}, err
}

// UpdateWrite returns the write that would update v, for a Batch across
// collections.
func (c *Collection[T]) UpdateWrite(v T) (Write, error) {
	c.meta(&v).Updated = c.stamp()
	r, err := c.encode("update", &v)
	return Write{Action: ActionUpdate, Record: r}, err
}

// Batch applies writes atomically if d is a Batcher, and otherwise returns
// an error wrapping errors.ErrUnsupported without writing anything.
func Batch(ctx context.Context, d Driver, writes []Write) ([]Record, error) {
	b, ok := d.(Batcher)
	if !ok {
		return nil, &Error{Op: "batch", Err: fmt.Errorf("driver %T cannot apply writes atomically: %w", d, errors.ErrUnsupported)}
	}
	return b.Batch(ctx, writes)
}

// Count counts the records of kind matching filters, grouped by up to two
// attributes, through d's Counter if it has one and otherwise by streaming
// List (which checks kind and filters; the grouping is checked here). Either
// way the groups come back sorted by their values.
func Count(ctx context.Context, d Driver, kind string, filters []Filter, groupBy ...string) ([]Group, error) {
	if cn, ok := d.(Counter); ok {
		return cn.Count(ctx, kind, filters, groupBy...)
	}
	return countByListing(ctx, d, kind, filters, groupBy)
}

func countByListing(ctx context.Context, d Driver, kind string, filters []Filter, groupBy []string) ([]Group, error) {
	if v := rule.GroupBy(groupBy); v != nil {
		return nil, invalid("count", kind, "", v)
	}
	counts := map[[MaxGroupBy]string]int64{}
	q := Query{Filters: filters, Limit: MaxLimit}
	for {
		p, err := d.List(ctx, kind, q)
		if err != nil {
			return nil, err
		}
		for _, r := range p.Records {
			var k [MaxGroupBy]string
			for i, a := range groupBy {
				k[i] = r.Attrs[a]
			}
			counts[k]++
		}
		if p.Next == "" {
			break
		}
		q.After = p.Next
	}
	return rule.GroupCounts(counts, len(groupBy), newGroup), nil
}

func newGroup(values []string, count int64) Group { return Group{Values: values, Count: count} }
