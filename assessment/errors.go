package assessment

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
)

// ErrInvalid is wrapped by every error about bad input: a rating outside the
// scale, a statement that is not in the catalogue, a fourth "do well" pick
// when three are configured, an action without an owner. Such an error means
// nothing was written. errors.Is(err, store.ErrInvalid) holds as well, so
// callers that only know the store's sentinels still recognise it.
var ErrInvalid = errors.New("invalid")

// ErrUnknownScale is wrapped when a catalogue or assessment names a rating
// scale that the loader does not know.
var ErrUnknownScale = errors.New("unknown scale")

// ErrTransition is wrapped when an action is asked to move to a status that
// its current status does not lead to.
var ErrTransition = errors.New("status transition not allowed")

// A FieldError names the field that broke a rule and the rule, in the
// form "action.owner: must not be empty". Use errors.As to read the field.
type FieldError struct {
	// Field is the dotted path of the offending field, starting with the
	// kind of value: "assessment.team", "rating[3].score",
	// "catalogue.factors[2].statements[0].id".
	Field string
	// Rule is what the field must be, in words.
	Rule string
	// Cause, if set, is a more specific sentinel (ErrUnknownScale,
	// ErrTransition) that errors.Is also finds.
	Cause error
}

// Error returns "field: rule".
func (e *FieldError) Error() string { return e.Field + ": " + e.Rule }

// Unwrap lets errors.Is find ErrInvalid, store.ErrInvalid and the cause.
func (e *FieldError) Unwrap() []error {
	if e.Cause != nil {
		return []error{ErrInvalid, store.ErrInvalid, e.Cause}
	}
	return []error{ErrInvalid, store.ErrInvalid}
}

// invalidf builds a FieldError for field with a formatted rule.
func invalidf(field, rule string, args ...any) *FieldError {
	return &FieldError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}

func asValidation(err error, target **FieldError) bool { return errors.As(err, target) }
