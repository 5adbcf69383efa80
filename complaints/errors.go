package complaints

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit"
)

// invalid is bad input: the field and the rule it broke.
func invalid(field, rule string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}

// refuse is a step the workflow does not allow from the complaint's state.
func refuse(c *Complaint, step Step, reason string) error {
	return &cxkit.TransitionError{ID: c.ID, From: string(c.Status), Step: string(step), Reason: reason}
}

// errNothing aborts a write that would change nothing (another writer got
// there first, or the record is not the customer's).
var errNothing = errors.New("nothing to do")
