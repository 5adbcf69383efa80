package complaints

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit"
)

// ErrNotAuthorized is wrapped by the *cxkit.ValidationError returned when
// the person lacks the authority the policy gives their role (a remedy
// above every approver's limit, an approval beyond theirs, approving their
// own decision). It wraps cxkit.ErrPolicy: a manager could change it.
var ErrNotAuthorized = fmt.Errorf("%w: beyond the person's authority", cxkit.ErrPolicy)

// invalid is bad input: the field and the rule it broke.
func invalid(field, rule string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}

// policyErr is well-formed input the organisation's policy refuses.
func policyErr(field, rule string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(rule, args...), Err: cxkit.ErrPolicy}
}

// unauthorised is a decision or approval beyond the actor's authority.
func unauthorised(a Actor, action, amount, limit, need string) error {
	rule := fmt.Sprintf("%s (%s) may not %s %s: limit %s", a.Name, a.Role, action, amount, limit)
	if need != "" {
		rule += "; needs " + need
	}
	return &cxkit.ValidationError{Field: "remedy.amount", Rule: rule, Err: ErrNotAuthorized}
}

// refuse is a step the workflow does not allow from the complaint's state.
func refuse(c *Complaint, step Step, reason string) error {
	return &cxkit.TransitionError{ID: c.ID, From: string(c.Status), Step: string(step), Reason: reason}
}

// errNothing aborts a write that would change nothing (another writer got
// there first, or the record is not the customer's).
var errNothing = errors.New("nothing to do")
