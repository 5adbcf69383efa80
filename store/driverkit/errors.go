package driverkit

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/internal/rule"
)

// Errorf builds a *store.Error for op on kind/id whose cause wraps
// sentinel, with a message saying which rule was broken, so that every
// error a driver returns names the record it is about.
func Errorf(op, kind, id string, sentinel error, format string, args ...any) error {
	return &store.Error{Op: op, Kind: kind, ID: id, Err: fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))}
}

// invalid is an ErrInvalid naming the field and the rule.
func invalid(op, kind, id, field, format string, args ...any) error {
	return &store.Error{Op: op, Kind: kind, ID: id, Err: fmt.Errorf("%w: %s %s", store.ErrInvalid, field, fmt.Sprintf(format, args...))}
}

// broken turns a rule's violation into an ErrInvalid.
func broken(op, kind, id string, v *rule.Violation) error {
	return invalid(op, kind, id, v.Field, "%s", v.Rule)
}

// wrapIndex says which write of a batch failed, without repeating the
// operation prefix of an inner *store.Error.
func wrapIndex(i int, err error) error {
	var se *store.Error
	if errors.As(err, &se) {
		return fmt.Errorf("write %d (%s): %w", i, se.Op, se.Err)
	}
	return fmt.Errorf("write %d: %w", i, err)
}
