package store

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store/internal/rule"
)

// Sentinel errors. Drivers wrap them (usually in an *Error) with %w so that
// callers can test for them with errors.Is; no caller ever needs to compare
// error strings.
var (
	// ErrNotFound: no record has that kind and ID.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: a record with that kind and ID exists already.
	ErrAlreadyExists = errors.New("already exists")
	// ErrConflict: the write named a version that is not the stored one;
	// somebody else wrote first. Nothing was changed.
	ErrConflict = errors.New("version conflict")
	// ErrInvalid: an argument broke a rule of the contract (empty kind, bad
	// ID, negative limit, ...). Nothing was written.
	ErrInvalid = errors.New("invalid argument")
	// ErrLocked: the storage is held by another process or another open
	// handle in this one (the file driver's directory lock).
	ErrLocked = errors.New("locked by another user")
	// ErrClosed: the driver was closed.
	ErrClosed = errors.New("store closed")
	// ErrReadOnly: the driver stopped accepting writes, for example after a
	// failed fsync. The error that caused it is wrapped alongside.
	ErrReadOnly = errors.New("store is read-only")
	// ErrUnavailable: the store could not be reached or would not take the
	// operation just now (connection refused, a server starting, shutting
	// down or not yet promoted), and nothing was applied, so the call is
	// safe to repeat as it was. A driver that retries by itself returns it
	// once its own retry time is spent; Collection retries it within its
	// retry attempts.
	ErrUnavailable = errors.New("store unavailable, nothing applied")
	// ErrOutcomeUnknown: a write was sent, but its answer was lost (the
	// connection broke, or the deadline passed, after sending), so it may
	// or may not have been applied. Read before writing again, or repeat a
	// write that is safe to repeat; Collection resolves it by reading the
	// record again (see Create and Mutate). Only drivers that talk to a
	// server return it; store/file and store/memory never do.
	ErrOutcomeUnknown = errors.New("outcome unknown: the write may or may not have been applied")
)

// Error describes a failed operation on one record or one kind. Err is the
// cause, usually one of the sentinels above, possibly wrapping a driver's own
// error too.
type Error struct {
	Op   string // "get", "create", "update", "delete", "list", "count", "batch"
	Kind string // record kind, when known
	ID   string // record ID, when the operation names one
	Err  error
}

// Error formats the operation, the record and the cause:
// "store: update complaint/01J...: version conflict: ...".
func (e *Error) Error() string {
	switch {
	case e.Kind != "" && e.ID != "":
		return fmt.Sprintf("store: %s %s/%s: %v", e.Op, e.Kind, e.ID, e.Err)
	case e.Kind != "":
		return fmt.Sprintf("store: %s %s: %v", e.Op, e.Kind, e.Err)
	default:
		return fmt.Sprintf("store: %s: %v", e.Op, e.Err)
	}
}

// Unwrap returns the cause so that errors.Is and errors.As see through.
func (e *Error) Unwrap() error { return e.Err }

// invalid turns a broken rule into an *Error wrapping ErrInvalid, naming
// the field and the rule.
func invalid(op, kind, id string, v *rule.Violation) error {
	return &Error{Op: op, Kind: kind, ID: id, Err: fmt.Errorf("%w: %s %s", ErrInvalid, v.Field, v.Rule)}
}
