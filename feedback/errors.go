package feedback

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
)

// Sentinel errors; test for them with errors.Is.
var (
	// ErrInvalid: an argument broke one of the package's rules. Nothing was
	// stored. It wraps store.ErrInvalid too, so a caller that only knows the
	// store's errors still recognises bad input.
	ErrInvalid = fmt.Errorf("feedback: invalid input: %w", store.ErrInvalid)
	// ErrUnknownMetric: Measure was asked for a metric it does not define.
	ErrUnknownMetric = errors.New("feedback: unknown metric")
	// ErrUnknownCategory: a rule, route or correction named a category the
	// organisation has not defined.
	ErrUnknownCategory = errors.New("feedback: unknown category")
	// ErrUnsupportedModel: a saved model is not in a format this version
	// can read.
	ErrUnsupportedModel = errors.New("feedback: unsupported model format")
	// ErrNoHandOff: a complaint-kind item was to be handed to the complaints
	// package but no hand-off was configured.
	ErrNoHandOff = errors.New("feedback: no complaints hand-off configured")
)

// A FieldError names the field that broke a rule and the rule. It
// wraps ErrInvalid (and so store.ErrInvalid); reach it with errors.As.
type FieldError struct {
	Field string // e.g. "item.ratings[service]"
	Rule  string // e.g. "must be between 1 and 5, got 7"
	Err   error  // an extra cause, such as ErrUnknownCategory; may be nil
}

// Error says which field broke which rule.
func (e *FieldError) Error() string {
	return fmt.Sprintf("feedback: %s: %s", e.Field, e.Rule)
}

// Unwrap lets errors.Is see ErrInvalid and any extra cause.
func (e *FieldError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalid, e.Err}
	}
	return []error{ErrInvalid}
}

func invalidf(field, rule string, args ...any) error {
	return &FieldError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}

func invalidCause(cause error, field, rule string, args ...any) error {
	return &FieldError{Field: field, Rule: fmt.Sprintf(rule, args...), Err: cause}
}
