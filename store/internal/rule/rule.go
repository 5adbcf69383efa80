// Package rule holds the contract's rules on names, values and groupings,
// written once for the two places that apply them: store/driverkit, which
// drivers call on every argument, and store itself, for the few checks that
// happen where no driver is asked (a collection's kind, the grouping of a
// count made by listing).
package rule

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// The limits of the contract; package store exports the same numbers (its
// tests check that they agree).
const (
	MaxKindLen      = 64
	MaxIDLen        = 128
	MaxAttrNameLen  = 64
	MaxAttrValueLen = 512
	MaxGroupBy      = 2
)

// A Violation names the argument that broke a rule and says which rule.
type Violation struct {
	Field string
	Rule  string
}

func broke(field, rule string, args ...any) *Violation {
	return &Violation{Field: field, Rule: fmt.Sprintf(rule, args...)}
}

// Kind checks a record kind: 1 to 64 bytes of lower-case ASCII letters,
// digits, '_', '-' or '.', starting with a letter.
func Kind(kind string) *Violation {
	if kind == "" {
		return broke("kind", "must not be empty")
	}
	if len(kind) > MaxKindLen {
		return broke("kind", "must be at most %d bytes, got %d", MaxKindLen, len(kind))
	}
	for i := 0; i < len(kind); i++ {
		c := kind[i]
		ok := c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')
		if !ok {
			return broke("kind", "must be lower-case letters, digits, '_', '-' or '.' starting with a letter, got %q", kind)
		}
	}
	return nil
}

// ID checks a record ID: 1 to 128 bytes of ASCII letters, digits and
// "-_.:~@+=", not "." or "..". IDs are never used as file names, but keeping
// them plain lets every driver index them as they are.
func ID(id string) *Violation {
	if id == "" {
		return broke("id", "must not be empty")
	}
	if len(id) > MaxIDLen {
		return broke("id", "must be at most %d bytes, got %d", MaxIDLen, len(id))
	}
	if id == "." || id == ".." {
		return broke("id", "must not be %q", id)
	}
	for i := 0; i < len(id); i++ {
		if !idByte(id[i]) {
			return broke("id", "must be ASCII letters, digits or one of \"-_.:~@+=\", got %q", id)
		}
	}
	return nil
}

func idByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '-', '_', '.', ':', '~', '@', '+', '=':
		return true
	}
	return false
}

// AttrName checks an attribute name: 1 to 64 bytes of ASCII letters,
// digits, '_', '-' or '.', starting with a letter.
func AttrName(name string) *Violation {
	if name == "" || len(name) > MaxAttrNameLen {
		return broke("attribute name", "must be 1 to %d bytes, got %q", MaxAttrNameLen, name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')
		if !ok {
			return broke("attribute name", "must be ASCII letters, digits, '_', '-' or '.' starting with a letter, got %q", name)
		}
	}
	return nil
}

// AttrValue checks the value of attribute name: valid UTF-8 without NUL
// bytes (which PostgreSQL text cannot hold), at most 512 bytes.
func AttrValue(name, v string) *Violation {
	if len(v) > MaxAttrValueLen {
		return broke("attribute "+name, "must be at most %d bytes, got %d", MaxAttrValueLen, len(v))
	}
	if !utf8.ValidString(v) {
		return broke("attribute "+name, "must be valid UTF-8")
	}
	for i := 0; i < len(v); i++ {
		if v[i] == 0 {
			return broke("attribute "+name, "must not contain NUL bytes")
		}
	}
	return nil
}

// GroupBy checks the attributes a count groups by: at most two valid
// names, not the same one twice.
func GroupBy(groupBy []string) *Violation {
	if len(groupBy) > MaxGroupBy {
		return broke("group by", "takes at most %d attributes, got %d", MaxGroupBy, len(groupBy))
	}
	for _, a := range groupBy {
		if v := AttrName(a); v != nil {
			return v
		}
	}
	if len(groupBy) == 2 && groupBy[0] == groupBy[1] {
		return broke("group by", "names %q twice", groupBy[0])
	}
	return nil
}

// GroupCounts turns counts keyed by up to MaxGroupBy values into groups
// with n values each, made by group and sorted in the canonical order of
// counts: by values, byte-wise, first attribute first. With n == 0 it
// returns one group even when nothing was counted, as a Counter must.
func GroupCounts[G any](counts map[[MaxGroupBy]string]int64, n int, group func(values []string, count int64) G) []G {
	if n == 0 {
		return []G{group([]string{}, counts[[MaxGroupBy]string{}])}
	}
	keys := make([][MaxGroupBy]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [MaxGroupBy]string) int { return CompareGroups(a[:n], b[:n]) })
	gs := make([]G, len(keys))
	for i, k := range keys {
		gs[i] = group(append([]string(nil), k[:n]...), counts[k])
	}
	return gs
}

// CompareGroups is the canonical order of grouped counts: by values,
// byte-wise, first attribute first.
func CompareGroups(a, b []string) int { return slices.Compare(a, b) }
