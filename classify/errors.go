package classify

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cxkit/cxkit"
)

// ErrUnsupportedModel is wrapped when a saved model is not in a format this
// version can read.
var ErrUnsupportedModel = errors.New("classify: unsupported model format")

// MaxCategoryLen bounds a category name, so it can be stored as an
// attribute and printed in a table.
const MaxCategoryLen = 64

// CheckCategory applies the rules every category name follows (not blank,
// no surrounding space, at most MaxCategoryLen bytes, valid UTF-8, no
// control characters) and returns a *cxkit.ValidationError for field when
// name breaks one.
func CheckCategory(field, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return invalidf(field, "must not be blank")
	case strings.TrimSpace(name) != name:
		return invalidf(field, "must not start or end with spaces, got %q", name)
	case len(name) > MaxCategoryLen:
		return invalidf(field, "must be at most %d bytes, got %d", MaxCategoryLen, len(name))
	case !utf8.ValidString(name):
		return invalidf(field, "must be valid UTF-8")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return invalidf(field, "must not contain control characters, got %q", name)
		}
	}
	return nil
}

func invalidf(field, rule string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}
