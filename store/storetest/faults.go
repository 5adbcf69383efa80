package storetest

import (
	"context"
	"sync"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// Faults makes a driver fail the way a networked store fails, on demand,
// so that tests can check what code above a driver does with
// store.ErrUnavailable and store.ErrOutcomeUnknown:
//
//	f := storetest.NewFaults(memory.New())
//	svc, _ := complaints.New(f.Driver(), cfg)
//	f.LoseReplies(1) // the next write is applied, and reported as unknown
//
// Each fault applies to the next calls of the kinds it names and then
// wears off. Faults is safe for concurrent use.
type Faults struct {
	inner store.Driver

	mu        sync.Mutex
	refuse    int
	lose      int
	drop      int
	afterLoss func()
	refused   int
	lost      int
}

// NewFaults wraps d; nothing fails until a fault is set.
func NewFaults(d store.Driver) *Faults { return &Faults{inner: d} }

// Driver returns the failing driver, with exactly the optional interfaces
// (store.Counter, store.Batcher) of the wrapped one.
func (f *Faults) Driver() store.Driver { return driverkit.Wrap(f.inner, f) }

// Refuse makes the next n calls of any kind fail with an error wrapping
// store.ErrUnavailable, applying nothing.
func (f *Faults) Refuse(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = n
}

// LoseReplies makes the next n writes (create, update, delete, batch) take
// effect and then fail with an error wrapping store.ErrOutcomeUnknown, as
// when the connection drops after the server committed.
func (f *Faults) LoseReplies(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lose = n
}

// LoseWrites makes the next n writes fail with an error wrapping
// store.ErrOutcomeUnknown without taking effect, as when the connection
// drops before the server received them.
func (f *Faults) LoseWrites(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drop = n
}

// AfterLoss sets fn to run after a write whose reply is lost has taken
// effect and before the error is returned: the moment another writer can
// come in between.
func (f *Faults) AfterLoss(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.afterLoss = fn
}

// Counts returns how many calls were refused and how many writes ended
// with an unknown outcome so far, so that a test can check that its
// faults really happened.
func (f *Faults) Counts() (refused, unknown int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refused, f.lost
}

// fault is what happens to one call.
type fault int

const (
	faultNone fault = iota
	faultRefuse
	faultLoseReply
	faultLoseWrite
)

func (f *Faults) next(write bool) (fault, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.refuse > 0:
		f.refuse--
		f.refused++
		return faultRefuse, nil
	case write && f.drop > 0:
		f.drop--
		f.lost++
		return faultLoseWrite, nil
	case write && f.lose > 0:
		f.lose--
		f.lost++
		return faultLoseReply, f.afterLoss
	}
	return faultNone, nil
}

func refused(op, kind, id string) error {
	return driverkit.Errorf(op, kind, id, store.ErrUnavailable, "refused by storetest.Faults")
}

func lost(op, kind, id string) error {
	return driverkit.Errorf(op, kind, id, store.ErrOutcomeUnknown, "reply lost by storetest.Faults")
}

// write runs a write under the next fault.
func (f *Faults) write(op, kind, id string, apply func() error) error {
	ft, after := f.next(true)
	switch ft {
	case faultRefuse:
		return refused(op, kind, id)
	case faultLoseWrite:
		return lost(op, kind, id)
	case faultLoseReply:
		if err := apply(); err != nil {
			return err
		}
		if after != nil {
			after()
		}
		return lost(op, kind, id)
	}
	return apply()
}

// Get implements store.Driver.
func (f *Faults) Get(ctx context.Context, kind, id string) (store.Record, error) {
	if ft, _ := f.next(false); ft == faultRefuse {
		return store.Record{}, refused("get", kind, id)
	}
	return f.inner.Get(ctx, kind, id)
}

// Create implements store.Driver.
func (f *Faults) Create(ctx context.Context, r store.Record) (out store.Record, err error) {
	err = f.write("create", r.Kind, r.ID, func() (err error) { out, err = f.inner.Create(ctx, r); return err })
	if err != nil {
		return store.Record{}, err
	}
	return out, nil
}

// Update implements store.Driver.
func (f *Faults) Update(ctx context.Context, r store.Record) (out store.Record, err error) {
	err = f.write("update", r.Kind, r.ID, func() (err error) { out, err = f.inner.Update(ctx, r); return err })
	if err != nil {
		return store.Record{}, err
	}
	return out, nil
}

// Delete implements store.Driver.
func (f *Faults) Delete(ctx context.Context, kind, id string, version int64) error {
	return f.write("delete", kind, id, func() error { return f.inner.Delete(ctx, kind, id, version) })
}

// List implements store.Driver.
func (f *Faults) List(ctx context.Context, kind string, q store.Query) (store.Page, error) {
	if ft, _ := f.next(false); ft == faultRefuse {
		return store.Page{}, refused("list", kind, "")
	}
	return f.inner.List(ctx, kind, q)
}

// Count implements store.Counter when the wrapped driver does.
func (f *Faults) Count(ctx context.Context, kind string, filters []store.Filter, groupBy ...string) ([]store.Group, error) {
	if ft, _ := f.next(false); ft == faultRefuse {
		return nil, refused("count", kind, "")
	}
	return f.inner.(store.Counter).Count(ctx, kind, filters, groupBy...)
}

// Batch implements store.Batcher when the wrapped driver does.
func (f *Faults) Batch(ctx context.Context, writes []store.Write) (out []store.Record, err error) {
	err = f.write("batch", "", "", func() (err error) { out, err = f.inner.(store.Batcher).Batch(ctx, writes); return err })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Close implements store.Driver; it is never refused.
func (f *Faults) Close() error { return f.inner.Close() }
