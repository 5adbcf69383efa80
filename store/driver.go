package store

import (
	"context"
	"strconv"
)

// Driver is what a storage adapter implements: a few records operations,
// free of any domain knowledge. Every method takes a context first and
// returns errors that wrap the sentinels of this package.
//
// A Driver must be safe for concurrent use. It is the one place where
// arguments are checked: it must validate them with the Check functions of
// store/driverkit (or equivalent rules) and return ErrInvalid without
// writing anything; Collection does not check them again. Records handed in and out must not
// share memory with the driver's own state. The conformance suite in
// store/storetest checks all of this.
type Driver interface {
	// Get returns the record kind/id, or ErrNotFound.
	Get(ctx context.Context, kind, id string) (Record, error)
	// Create stores r with Version 1 and returns what was stored. r.Version
	// must be 0. An existing kind/ID gives ErrAlreadyExists.
	Create(ctx context.Context, r Record) (Record, error)
	// Update replaces the record whose stored version is r.Version with r,
	// at version r.Version+1, keeping the stored Created. A different stored
	// version gives ErrConflict and changes nothing; a missing record gives
	// ErrNotFound.
	Update(ctx context.Context, r Record) (Record, error)
	// Delete removes kind/id if its stored version is version: ErrConflict
	// otherwise, ErrNotFound if there is none.
	Delete(ctx context.Context, kind, id string, version int64) error
	// List returns one page of the records of kind that match q.Filters,
	// ordered by ID.
	List(ctx context.Context, kind string, q Query) (Page, error)
	// Close releases the driver's resources. Later calls give ErrClosed.
	Close() error
}

// Counter is an optional Driver interface: counting the records of kind that
// match filters, grouped by zero, one or two attributes, without reading
// bodies. Groups come back sorted by their values, byte-wise, first
// attribute first (driverkit.SortGroups); with no groupBy, one group
// with no values. The portable layer streams List when a driver lacks it.
type Counter interface {
	Count(ctx context.Context, kind string, filters []Filter, groupBy ...string) ([]Group, error)
}

// Action is what a Write does.
type Action int

// The write actions.
const (
	ActionCreate Action = iota + 1
	ActionUpdate
	ActionDelete
)

// String returns the action's name, as used in error messages.
func (a Action) String() string {
	switch a {
	case ActionCreate:
		return "create"
	case ActionUpdate:
		return "update"
	case ActionDelete:
		return "delete"
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// Actions returns the write actions: create, update, delete.
func Actions() []Action { return []Action{ActionCreate, ActionUpdate, ActionDelete} }

// A Write is one step of a batch: Record as for Create or Update, or for
// Delete its Kind, ID and Version.
type Write struct {
	Action Action
	Record Record
}

// Batcher is an optional Driver interface: applying several writes, across
// kinds, atomically. Either every write takes effect or none does; the first
// failing write's error (ErrConflict, ErrNotFound, ...) is returned. The
// results are the stored records in order (zero Records for deletes).
//
// There is no fallback: without a Batcher, batch calls in the portable
// layer return an error wrapping errors.ErrUnsupported rather than pretend
// that a sequence of writes is atomic.
type Batcher interface {
	Batch(ctx context.Context, writes []Write) ([]Record, error)
}
