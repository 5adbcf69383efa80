package strategy

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
)

// Errors, for errors.Is.
var (
	// ErrInvalid: an argument broke one of this package's rules. The error is
	// a *FieldError naming the field and the rule, and it also matches
	// store.ErrInvalid so callers that only know the store contract can still
	// tell bad input from a failed write. Nothing was written.
	ErrInvalid = errors.New("strategy: invalid")
	// ErrUnknownSource: a target names a measurement source that is not in
	// the Sources the caller passed.
	ErrUnknownSource = errors.New("strategy: unknown measurement source")
	// ErrNoData: the source had nothing to measure in the window (no survey
	// answers, no resolved complaints): no value is better than a made-up one.
	ErrNoData = errors.New("strategy: no data to measure")
	// ErrUnknownTarget: no target of the strategy has that ID.
	ErrUnknownTarget = errors.New("strategy: unknown target")
)

// A FieldError is bad input: Field is the path of the offending field
// ("strategy.targets[0].goal") and Rule says what it must be. It matches
// ErrInvalid and store.ErrInvalid with errors.Is.
type FieldError struct {
	Field string
	Rule  string
	// Err is the underlying cause when there is one (money.ErrUnknownCurrency
	// for a bad currency), reachable with errors.Is.
	Err error
}

// Error returns "field: rule".
func (e *FieldError) Error() string { return e.Field + ": " + e.Rule }

// Unwrap returns the underlying cause, if any.
func (e *FieldError) Unwrap() error { return e.Err }

// Is makes a FieldError match both this package's and the store's notion of
// invalid input, so a validation failure reads the same at every layer.
func (e *FieldError) Is(target error) bool {
	return target == ErrInvalid || target == store.ErrInvalid
}

func invalidf(field, format string, args ...any) error {
	return &FieldError{Field: field, Rule: fmt.Sprintf(format, args...)}
}
