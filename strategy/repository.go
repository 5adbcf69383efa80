package strategy

import (
	"context"
	"iter"

	"github.com/cxkit/cxkit/store"
)

// Kind is the store kind strategies are kept under.
const Kind = "strategy"

// A Repository keeps strategies. The package depends on the store only
// through it; NewRepository builds the default on a store.Collection, and a
// caller may supply its own.
type Repository interface {
	Create(ctx context.Context, s Strategy) (Strategy, error)
	Get(ctx context.Context, id string) (Strategy, error)
	// Mutate applies fn to the stored strategy and writes it back, retrying
	// when another writer got there first; fn may run more than once.
	Mutate(ctx context.Context, id string, fn func(*Strategy) error) (Strategy, error)
	// List streams the strategies matching filters on the indexed
	// attributes (see NewRepository).
	List(ctx context.Context, filters ...store.Filter) iter.Seq2[Strategy, error]
}

// mutateAttempts bounds the retries of a Mutate under contention.
const mutateAttempts = 8

type collectionRepo struct{ c *store.Collection[Strategy] }

// NewRepository returns a Repository on d. Strategies are indexed by
// "stage", "owner", "start" and "deadline" (store.TimeKey) and "origin" (the origin's
// kind), so List can filter on them, for example
// store.Between("deadline", store.TimeKey(from), store.TimeKey(to)).
func NewRepository(d store.Driver, opts ...store.CollectionOption) Repository {
	return collectionRepo{store.NewCollection(d, Kind, index, opts...)}
}

func index(s *Strategy) map[string]string {
	m := map[string]string{}
	if s.Owner != "" {
		m["owner"] = s.Owner
	}
	if !s.Start.IsZero() {
		m["start"] = store.TimeKey(s.Start)
	}
	if !s.Deadline.IsZero() {
		m["deadline"] = store.TimeKey(s.Deadline)
	}
	if s.Stage == "" {
		m["stage"] = string(Draft)
	} else {
		m["stage"] = string(s.Stage)
	}
	if s.Origin != nil {
		m["origin"] = s.Origin.Kind
	}
	return m
}

func (r collectionRepo) Create(ctx context.Context, s Strategy) (Strategy, error) {
	return r.c.Create(ctx, s)
}

func (r collectionRepo) Get(ctx context.Context, id string) (Strategy, error) {
	return r.c.Get(ctx, id)
}

func (r collectionRepo) Mutate(ctx context.Context, id string, fn func(*Strategy) error) (Strategy, error) {
	return r.c.Mutate(ctx, id, fn)
}

func (r collectionRepo) List(ctx context.Context, filters ...store.Filter) iter.Seq2[Strategy, error] {
	return r.c.All(ctx, store.Query{Filters: filters})
}
