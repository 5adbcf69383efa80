package driverkit

import (
	"context"

	"github.com/cxkit/cxkit/store"
)

// Wrap returns outer, a driver that wraps inner, with exactly the optional
// interfaces of inner: the result is a store.Counter when inner is one and a
// store.Batcher when inner is one, so that the portable layer still finds
// inner's fast counts and atomic batches through the wrapper, and never
// finds an interface inner lacks.
//
// Each optional method calls outer's own method when outer has one (it
// implements store.Counter or store.Batcher itself), and otherwise inner's
// directly. A wrapper that changes records on the way in or out (sealing,
// compression) must therefore implement Batch itself, and may leave Count
// to inner since counts never read bodies.
//
// The usual wrapper embeds the inner driver and overrides what it changes:
//
//	type logged struct{ store.Driver }
//
//	func (l logged) Create(ctx context.Context, r store.Record) (store.Record, error) {
//		slog.Info("create", "kind", r.Kind)
//		return l.Driver.Create(ctx, r)
//	}
//
//	d := driverkit.Wrap(inner, logged{inner})
func Wrap(inner, outer store.Driver) store.Driver {
	cn, isCounter := inner.(store.Counter)
	bt, isBatcher := inner.(store.Batcher)
	if c, ok := outer.(store.Counter); ok {
		cn = c
	}
	if b, ok := outer.(store.Batcher); ok {
		bt = b
	}
	switch {
	case isCounter && isBatcher:
		return countBatchDriver{plainDriver{outer}, counting{cn}, batching{bt}}
	case isCounter:
		return countDriver{plainDriver{outer}, counting{cn}}
	case isBatcher:
		return batchDriver{plainDriver{outer}, batching{bt}}
	}
	return plainDriver{outer}
}

// The four shapes Wrap returns, so that wrapper authors write none of them.
// plainDriver hides whatever optional methods outer has of its own; the
// others add back exactly those inner has.
type (
	plainDriver struct{ outer store.Driver }
	countDriver struct {
		plainDriver
		counting
	}
	batchDriver struct {
		plainDriver
		batching
	}
	countBatchDriver struct {
		plainDriver
		counting
		batching
	}
	counting struct{ cn store.Counter }
	batching struct{ bt store.Batcher }
)

func (p plainDriver) Get(ctx context.Context, kind, id string) (store.Record, error) {
	return p.outer.Get(ctx, kind, id)
}

func (p plainDriver) Create(ctx context.Context, r store.Record) (store.Record, error) {
	return p.outer.Create(ctx, r)
}

func (p plainDriver) Update(ctx context.Context, r store.Record) (store.Record, error) {
	return p.outer.Update(ctx, r)
}

func (p plainDriver) Delete(ctx context.Context, kind, id string, version int64) error {
	return p.outer.Delete(ctx, kind, id, version)
}

func (p plainDriver) List(ctx context.Context, kind string, q store.Query) (store.Page, error) {
	return p.outer.List(ctx, kind, q)
}

func (p plainDriver) Close() error { return p.outer.Close() }

func (c counting) Count(ctx context.Context, kind string, filters []store.Filter, groupBy ...string) ([]store.Group, error) {
	return c.cn.Count(ctx, kind, filters, groupBy...)
}

func (b batching) Batch(ctx context.Context, writes []store.Write) ([]store.Record, error) {
	return b.bt.Batch(ctx, writes)
}

var (
	_ store.Counter = countDriver{}
	_ store.Batcher = batchDriver{}
	_ store.Counter = countBatchDriver{}
	_ store.Batcher = countBatchDriver{}
)
