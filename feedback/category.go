package feedback

import (
	"strings"
	"unicode/utf8"
)

// Uncategorised is the category of an item no rule matched and the
// classifier was not confident about: it waits in a queue for a person.
const Uncategorised = "uncategorised"

// MaxCategoryLen bounds a category name, so it can be stored as an
// attribute and printed in a table.
const MaxCategoryLen = 64

// checkCategoryName applies the rules every category name follows: not
// blank, no surrounding space, at most MaxCategoryLen bytes, valid UTF-8, no
// control characters.
func checkCategoryName(field, c string) error {
	switch {
	case strings.TrimSpace(c) == "":
		return invalidf(field, "must not be blank")
	case strings.TrimSpace(c) != c:
		return invalidf(field, "must not start or end with spaces, got %q", c)
	case len(c) > MaxCategoryLen:
		return invalidf(field, "must be at most %d bytes, got %d", MaxCategoryLen, len(c))
	case !utf8.ValidString(c):
		return invalidf(field, "must be valid UTF-8")
	}
	for _, r := range c {
		if r < 0x20 || r == 0x7f {
			return invalidf(field, "must not contain control characters, got %q", c)
		}
	}
	return nil
}
