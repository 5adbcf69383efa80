package store

import (
	"bytes"
	"cmp"
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
// when other writers keep getting there first, and how many times any call
// is tried while the driver reports ErrUnavailable, unless
// WithRetryAttempts says otherwise.
const DefaultRetryAttempts = 8

// WithRetryAttempts sets how many times Mutate tries before it gives up and
// returns ErrConflict, and how many times a call is tried while the store
// is unavailable (with pauses that double from a few milliseconds, at
// random within each, and end with the context); n < 1 means 1.
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
//
// Create is safe to retry. With an ID the caller chose, a create that finds
// the record already stored with the same body reports success and returns
// the stored value rather than ErrAlreadyExists, so a caller who got
// ErrOutcomeUnknown can simply call Create again. Create does that itself
// first: after an unknown outcome it sends the create again, and one that
// had landed is recognised the same way.
func (c *Collection[T]) Create(ctx context.Context, v T) (T, error) {
	var zero T
	chosen := c.meta(&v).ID != ""
	r, err := c.prepareCreate(&v)
	if err != nil {
		return zero, err
	}
	// unknown is the first unknown outcome: once there is one, that is
	// what a caller must hear if no later try settles it.
	var unknown error
	for i := range c.attempts {
		if i > 0 {
			if err := pause(ctx, i); err != nil {
				return zero, errors.Join(err, unknown)
			}
		}
		var stored Record
		stored, err = c.d.Create(ctx, r)
		switch {
		case err == nil:
			return c.decode("create", stored)
		case errors.Is(err, ErrUnavailable):
			continue
		case errors.Is(err, ErrOutcomeUnknown):
			unknown = cmp.Or(unknown, err)
			continue
		case errors.Is(err, ErrAlreadyExists) && (chosen || unknown != nil):
			if same, ok := c.sameBody(ctx, r); ok {
				return c.decode("create", same)
			}
		}
		return zero, err
	}
	return zero, cmp.Or(unknown, err)
}

// sameBody returns the stored record r names if its body is r's.
func (c *Collection[T]) sameBody(ctx context.Context, r Record) (Record, bool) {
	stored, err := c.get(ctx, r.ID)
	if err != nil || !bytes.Equal(stored.Body, r.Body) {
		return Record{}, false
	}
	return stored, true
}

// Get returns the value with the given ID, or an error wrapping ErrNotFound.
func (c *Collection[T]) Get(ctx context.Context, id string) (T, error) {
	var zero T
	r, err := c.get(ctx, id)
	if err != nil {
		return zero, err
	}
	return c.decode("get", r)
}

// get reads the record id, retrying when the store is unavailable or the
// read's outcome is unknown (a read changes nothing, so both are safe).
func (c *Collection[T]) get(ctx context.Context, id string) (Record, error) {
	var r Record
	err := c.retry(ctx, true, func() (err error) {
		r, err = c.d.Get(ctx, c.kind, id)
		return err
	})
	return r, err
}

// Update stores v over the record with v's ID, if the stored version is
// still v's Version; otherwise it returns an error wrapping ErrConflict and
// changes nothing. The returned value carries the new version.
//
// After an unknown outcome Update reads the record again: at the next
// version with v's body, the write landed and Update reports success; still
// at v's version, it did not and is sent again; anything else means
// another writer came first (ErrConflict).
func (c *Collection[T]) Update(ctx context.Context, v T) (T, error) {
	var zero T
	m := c.meta(&v)
	m.Updated = c.stamp()
	r, err := c.encode("update", &v)
	if err != nil {
		return zero, err
	}
	stored, err := c.update(ctx, r, func(s Record) bool { return bytes.Equal(s.Body, r.Body) })
	if err != nil {
		return zero, err
	}
	return c.decode("update", stored)
}

// update writes r, resending it while the store is unavailable and
// resolving unknown outcomes by reading the record again: landed(s) says
// whether the stored record s, one version on, is r's write.
func (c *Collection[T]) update(ctx context.Context, r Record, landed func(s Record) bool) (Record, error) {
	var stored Record
	var err error
	for i := range c.attempts {
		if i > 0 {
			if err := pause(ctx, i); err != nil {
				return Record{}, err
			}
		}
		stored, err = c.d.Update(ctx, r)
		if err == nil || errors.Is(err, ErrUnavailable) {
			if err == nil {
				return stored, nil
			}
			continue
		}
		if !errors.Is(err, ErrOutcomeUnknown) {
			return Record{}, err
		}
		s, gerr := c.get(ctx, r.ID)
		switch {
		case gerr != nil:
			return Record{}, errors.Join(err, gerr)
		case s.Version > r.Version && landed(s):
			return s, nil
		case s.Version == r.Version:
			continue // not applied: send it again
		}
		return Record{}, &Error{Op: "update", Kind: c.kind, ID: r.ID, Err: fmt.Errorf("%w: the record moved to version %d while the outcome of this write was unknown, and the write is not there", ErrConflict, s.Version)}
	}
	return Record{}, err
}

// Delete removes the record with the given ID if its stored version is
// version. After an unknown outcome it reads again: a record gone is the
// delete done; one still at version is deleted again.
func (c *Collection[T]) Delete(ctx context.Context, id string, version int64) error {
	var err error
	for i := range c.attempts {
		if i > 0 {
			if err := pause(ctx, i); err != nil {
				return err
			}
		}
		err = c.d.Delete(ctx, c.kind, id, version)
		if err == nil || errors.Is(err, ErrUnavailable) {
			if err == nil {
				return nil
			}
			continue
		}
		if !errors.Is(err, ErrOutcomeUnknown) {
			return err
		}
		s, gerr := c.get(ctx, id)
		switch {
		case errors.Is(gerr, ErrNotFound):
			return nil
		case gerr != nil:
			return errors.Join(err, gerr)
		case s.Version == version:
			continue
		}
		return &Error{Op: "delete", Kind: c.kind, ID: id, Err: fmt.Errorf("%w: the record moved to version %d while the outcome of this delete was unknown", ErrConflict, s.Version)}
	}
	return err
}

// Mutate reads the value with the given ID, applies fn to it and writes it
// back, trying again (up to the collection's retry attempts, see
// WithRetryAttempts) when another writer got there first. fn may run more
// than once and must not have side effects beyond v. If fn returns an
// error, nothing is written and that error is returned.
//
// Mutate applies fn's change at most once, also when the store loses the
// connection after the write was sent (ErrOutcomeUnknown): each Mutate
// leaves a request ID in the record (the last few are kept, beside the
// value's own fields), so it reads the record again and, finding its ID
// there, reports success instead of applying fn a second time. A plain
// Update clears those IDs.
func (c *Collection[T]) Mutate(ctx context.Context, id string, fn func(v *T) error) (T, error) {
	var zero T
	req, err := newRequestID()
	if err != nil {
		return zero, &Error{Op: "update", Kind: c.kind, ID: id, Err: err}
	}
	for range c.attempts {
		var r Record
		if r, err = c.get(ctx, id); err != nil {
			return zero, err
		}
		var v T
		if v, err = c.decode("get", r); err != nil {
			return zero, err
		}
		if err = fn(&v); err != nil {
			return zero, err
		}
		c.meta(&v).Updated = c.stamp()
		var w Record
		if w, err = c.encode("update", &v); err != nil {
			return zero, err
		}
		w.Body = withRequests(w.Body, append(requestsOf(r.Body), req))
		var stored Record
		stored, err = c.update(ctx, w, func(s Record) bool { return slices.Contains(requestsOf(s.Body), req) })
		if err == nil {
			return c.decode("update", stored)
		}
		if !errors.Is(err, ErrConflict) {
			return zero, err
		}
	}
	return zero, err
}

// List returns one page of values matching q.
func (c *Collection[T]) List(ctx context.Context, q Query) ([]T, string, error) {
	var p Page
	err := c.retry(ctx, true, func() (err error) {
		p, err = c.d.List(ctx, c.kind, q)
		return err
	})
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
	var gs []Group
	err := c.retry(ctx, true, func() (err error) {
		gs, err = Count(ctx, c.d, c.kind, filters, groupBy...)
		return err
	})
	return gs, err
}

// CreateMany stores vs as new records in one atomic batch, assigning IDs as
// Create does. Without a Batcher driver it returns an error wrapping
// errors.ErrUnsupported and writes nothing. It is safe to retry as Create
// is: a batch whose records are all found stored with the same bodies
// reports success.
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
	stored, err := c.createBatch(ctx, writes)
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

// createBatch applies a batch of creates as Create applies one: resent
// while the store is unavailable or the outcome unknown, and reported
// done when every record is found stored with the body it was to have
// (a batch lands whole or not at all).
func (c *Collection[T]) createBatch(ctx context.Context, writes []Write) ([]Record, error) {
	var unknown, err error
	for i := range c.attempts {
		if i > 0 {
			if err := pause(ctx, i); err != nil {
				return nil, errors.Join(err, unknown)
			}
		}
		var stored []Record
		stored, err = Batch(ctx, c.d, writes)
		switch {
		case err == nil:
			return stored, nil
		case errors.Is(err, ErrUnavailable):
			continue
		case errors.Is(err, ErrOutcomeUnknown):
			unknown = cmp.Or(unknown, err)
			continue
		case errors.Is(err, ErrAlreadyExists):
			if same, ok := c.sameBodies(ctx, writes); ok {
				return same, nil
			}
		}
		return nil, err
	}
	return nil, cmp.Or(unknown, err)
}

// sameBodies returns the stored records the writes name if every one has
// the body its write has.
func (c *Collection[T]) sameBodies(ctx context.Context, writes []Write) ([]Record, bool) {
	out := make([]Record, len(writes))
	for i, w := range writes {
		var ok bool
		if out[i], ok = c.sameBody(ctx, w.Record); !ok {
			return nil, false
		}
	}
	return out, true
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
