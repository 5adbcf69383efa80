package store

import "context"

// KindLister is an optional Driver interface: naming the kinds that hold
// at least one record, in byte order. The portable layer never needs it;
// tools that work on a whole store (copy, export, backup checks) do, since
// a store cannot otherwise say what it holds.
type KindLister interface {
	Kinds(ctx context.Context) ([]string, error)
}
