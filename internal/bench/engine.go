package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/memory"
)

// An Engine is one storage engine under test, reduced to what the
// workload does. The store drivers come in through DriverEngine; SQLite
// and bbolt have engines of their own, written the way a careful user of
// each would write them.
type Engine interface {
	// Create stores one record in its own durable commit (as durable as the
	// engine's mode promises).
	Create(ctx context.Context, r store.Record) error
	// CreateBatch stores records in one commit.
	CreateBatch(ctx context.Context, rs []store.Record) error
	// Get reads one record, body included.
	Get(ctx context.Context, kind, id string) (store.Record, error)
	// Scan reads every record of kind, bodies included, in ID order.
	Scan(ctx context.Context, kind string, fn func(store.Record)) error
	// Count counts the records of kind grouped by two attributes.
	Count(ctx context.Context, kind, a, b string) ([]store.Group, error)
	// Compact reclaims the space of old data (VACUUM, bbolt.Compact,
	// file.Driver.Compact); the engine may be reopened by it.
	Compact(ctx context.Context) error
	// Close releases the engine; its files stay.
	Close() error
}

// An Opener opens (creating if needed) an engine in dir.
type Opener func(dir string) (Engine, error)

// Spec names an engine configuration.
type Spec struct {
	Name string
	Open Opener
	// Durable is true when an acknowledged write survives power loss.
	Durable bool
}

// Specs are the engines of the comparison. Adding a store.Driver is one
// line: wrap its opener in DriverOpener.
var Specs = []Spec{
	{"file-durable", DriverOpener(func(dir string) (store.Driver, error) { return file.Open(dir) }), true},
	{"file-relaxed", DriverOpener(func(dir string) (store.Driver, error) {
		return file.Open(dir, file.WithSyncInterval(100*time.Millisecond))
	}), false},
	{"sqlite-full", SQLiteOpener("FULL"), true},
	{"sqlite-normal", SQLiteOpener("NORMAL"), false},
	{"bbolt", BoltOpener(), true},
	{"sqlite-native", SQLiteNativeOpener("FULL"), true},
	{"bbolt-native", BoltNativeOpener(), true},
	{"memory", DriverOpener(func(string) (store.Driver, error) { return memory.New(), nil }), false},
}

// SpecsNamed returns the specs listed in names, a comma-separated list
// ("" or "all": every spec but memory, which keeps nothing on disk).
func SpecsNamed(names string) ([]Spec, error) {
	if names == "" || names == "all" {
		var out []Spec
		for _, s := range Specs {
			if s.Name != "memory" {
				out = append(out, s)
			}
		}
		return out, nil
	}
	var out []Spec
	for n := range strings.SplitSeq(names, ",") {
		found := false
		for _, s := range Specs {
			if s.Name == n {
				out, found = append(out, s), true
			}
		}
		if !found {
			return nil, fmt.Errorf("bench: unknown engine %q", n)
		}
	}
	return out, nil
}

// DriverOpener makes an Opener of a store.Driver's, going through the
// public contract only: the optional Counter and Batcher interfaces when
// the driver has them, and a Compact(ctx) method if it has one.
func DriverOpener(open func(dir string) (store.Driver, error)) Opener {
	return func(dir string) (Engine, error) {
		d, err := open(dir)
		if err != nil {
			return nil, err
		}
		return driverEngine{d}, nil
	}
}

type driverEngine struct{ d store.Driver }

func (e driverEngine) Create(ctx context.Context, r store.Record) error {
	_, err := e.d.Create(ctx, r)
	return err
}

func (e driverEngine) CreateBatch(ctx context.Context, rs []store.Record) error {
	ws := make([]store.Write, len(rs))
	for i, r := range rs {
		ws[i] = store.Write{Action: store.ActionCreate, Record: r}
	}
	_, err := store.Batch(ctx, e.d, ws)
	return err
}

func (e driverEngine) Get(ctx context.Context, kind, id string) (store.Record, error) {
	return e.d.Get(ctx, kind, id)
}

func (e driverEngine) Scan(ctx context.Context, kind string, fn func(store.Record)) error {
	q := store.Query{Limit: store.MaxLimit}
	for {
		p, err := e.d.List(ctx, kind, q)
		if err != nil {
			return err
		}
		for _, r := range p.Records {
			fn(r)
		}
		if p.Next == "" {
			return nil
		}
		q.After = p.Next
	}
}

func (e driverEngine) Count(ctx context.Context, kind, a, b string) ([]store.Group, error) {
	return store.Count(ctx, e.d, kind, nil, a, b)
}

func (e driverEngine) Compact(ctx context.Context) error {
	if c, ok := e.d.(interface{ Compact(context.Context) error }); ok {
		return c.Compact(ctx)
	}
	return nil
}

func (e driverEngine) Close() error { return e.d.Close() }
