package complaints

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
)

// Sentinel errors, for errors.Is.
var (
	// ErrInvalid: an argument broke a rule (missing field, unknown value,
	// negative money, wrong currency). Nothing was changed. Errors that wrap
	// it also wrap store.ErrInvalid, so callers that only know the store's
	// sentinel still recognise bad input.
	ErrInvalid = errors.New("complaints: invalid")
	// ErrIllegalTransition: the step is not allowed from the complaint's
	// current state. The error is a *TransitionError.
	ErrIllegalTransition = errors.New("complaints: illegal transition")
	// ErrNotAuthorized: the person lacks the authority the policy requires
	// (a remedy above their limit, an approval beyond it).
	ErrNotAuthorized = errors.New("complaints: not authorized")
	// ErrPolicy: the remedy is outside what the organisation's policy allows
	// (too late, no proof of purchase, used goods).
	ErrPolicy = errors.New("complaints: outside policy")
	// ErrUnknownMetric: Measure was asked for a metric this package does not
	// provide.
	ErrUnknownMetric = errors.New("complaints: unknown metric")
)

// A FieldError names the field that was wrong and the rule it broke. It
// wraps ErrInvalid (and store.ErrInvalid), or ErrPolicy when Policy is set.
type FieldError struct {
	Field  string // e.g. "complaint.severity"
	Rule   string // e.g. "must be one of low, medium, high, critical"
	Policy bool   // the rule comes from the organisation's policy, not the data model
}

// Error implements error.
func (e *FieldError) Error() string { return e.Field + ": " + e.Rule }

// Unwrap lets errors.Is see ErrInvalid and store.ErrInvalid (or ErrPolicy).
func (e *FieldError) Unwrap() []error {
	if e.Policy {
		return []error{ErrPolicy}
	}
	return []error{ErrInvalid, store.ErrInvalid}
}

func invalid(field, rule string, args ...any) error {
	return &FieldError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}

func policyErr(field, rule string, args ...any) error {
	return &FieldError{Field: field, Rule: fmt.Sprintf(rule, args...), Policy: true}
}

// A TransitionError says that Step cannot be taken from State. It wraps
// ErrIllegalTransition; Reason, when set, says which precondition failed
// (for a step the table allows but the complaint is not ready for).
type TransitionError struct {
	ID     string
	State  Status
	Step   Step
	Reason string
}

// Error implements error.
func (e *TransitionError) Error() string {
	s := fmt.Sprintf("complaint %s: cannot %s from state %s", e.ID, e.Step, e.State)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap lets errors.Is see ErrIllegalTransition.
func (e *TransitionError) Unwrap() error { return ErrIllegalTransition }

// An AuthorityError says that Actor's role is not allowed to commit the
// organisation to Amount. It wraps ErrNotAuthorized.
type AuthorityError struct {
	Actor  Actor
	Action string // "decide" or "approve"
	Amount string
	Limit  string // the actor's limit, "none" if the role has no authority
	Need   string // the lowest role that could, if any
}

// Error implements error.
func (e *AuthorityError) Error() string {
	s := fmt.Sprintf("%s (%s) may not %s %s: limit %s", e.Actor.Name, e.Actor.Role, e.Action, e.Amount, e.Limit)
	if e.Need != "" {
		s += "; needs " + e.Need
	}
	return s
}

// Unwrap lets errors.Is see ErrNotAuthorized.
func (e *AuthorityError) Unwrap() error { return ErrNotAuthorized }
