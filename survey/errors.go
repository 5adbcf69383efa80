package survey

import (
	"fmt"

	"github.com/cxkit/cxkit"
)

func invalidf(field, rule string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}
