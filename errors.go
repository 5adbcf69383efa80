package cxkit

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
)

// ErrPolicy is wrapped by a ValidationError whose input was well formed but
// which the organisation's own rules refuse: a refund after the time limit,
// a remedy above what the policy allows. errors.Is(err, ErrPolicy) tells a
// refusal a manager could change from a mistake in the data.
var ErrPolicy = errors.New("refused by the organisation's policy")

// ErrTransition is wrapped by every TransitionError: the step asked for is
// not open from the record's current state. Nothing was changed.
var ErrTransition = errors.New("step not allowed from the current state")

// ErrUnknownMetric is returned by a measurement source asked for a metric it
// does not provide.
var ErrUnknownMetric = errors.New("unknown metric")

// A ValidationError is bad input, from any package of cxkit: Field is the
// path of the offending field and Rule says what it must be. Nothing was
// changed. One errors.As target finds it whichever package returned it:
//
//	var verr *cxkit.ValidationError
//	if errors.As(err, &verr) {
//		fmt.Println(verr.Field, verr.Rule)
//	}
//
// It wraps store.ErrInvalid, so code that only knows the store's errors
// still recognises bad input, and Err when set (ErrPolicy for a policy
// refusal, or a more specific cause such as money.ErrUnknownCurrency).
type ValidationError struct {
	// Field is the dotted path of the field, starting with the kind of
	// value: "complaint.customer.email", "strategy.targets[0].goal".
	Field string
	// Rule is what the field must be, in words a person can act on.
	Rule string
	// Err is a more specific cause, reachable with errors.Is; may be nil.
	Err error
}

// Error returns "field: rule".
func (e *ValidationError) Error() string { return e.Field + ": " + e.Rule }

// Unwrap lets errors.Is find store.ErrInvalid and the cause.
func (e *ValidationError) Unwrap() []error {
	if e.Err != nil {
		return []error{store.ErrInvalid, e.Err}
	}
	return []error{store.ErrInvalid}
}

// A TransitionError says that a step cannot be taken from the state a
// record is in: a complaint cannot be closed before it is followed up, a
// draft strategy cannot be completed. It wraps ErrTransition.
type TransitionError struct {
	// ID is the record the step was asked of.
	ID string
	// From is the state the record is in.
	From string
	// Step is what was asked: a workflow step or the state asked for.
	Step string
	// Reason, when set, says which precondition failed, for a step the
	// state allows but the record is not ready for.
	Reason string
}

// Error says which step was refused from which state, and why.
func (e *TransitionError) Error() string {
	s := fmt.Sprintf("%s: cannot %s from %s", e.ID, e.Step, e.From)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap lets errors.Is find ErrTransition.
func (e *TransitionError) Unwrap() error { return ErrTransition }
