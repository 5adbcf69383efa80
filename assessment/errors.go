package assessment

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit"
)

// ErrUnknownScale is wrapped when a catalogue or assessment names a rating
// scale that the loader does not know.
var ErrUnknownScale = errors.New("unknown scale")

// invalidf builds the library's validation error for field with a
// formatted rule.
func invalidf(field, rule string, args ...any) *cxkit.ValidationError {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}
