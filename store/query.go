package store

import (
	"slices"
)

// Op is a filter's comparison. Comparisons are byte-wise on the attribute's
// string value; a record that lacks the attribute matches no filter on it.
type Op string

// The filter operators.
const (
	Eq  Op = "eq"  // value == Values[0]
	In  Op = "in"  // value is one of Values (1 to MaxInValues of them)
	Gt  Op = "gt"  // value > Values[0]
	Gte Op = "gte" // value >= Values[0]
	Lt  Op = "lt"  // value < Values[0]
	Lte Op = "lte" // value <= Values[0]
)

// MaxInValues bounds the set of an In filter.
const MaxInValues = 1000

// A Filter restricts a list or count to records whose attribute Attr
// compares to Values by Op. Several filters in a query all apply (AND); two
// range filters on one attribute make a range.
type Filter struct {
	Attr   string
	Op     Op
	Values []string
}

// Where is shorthand for an equality filter.
func Where(attr, value string) Filter { return Filter{Attr: attr, Op: Eq, Values: []string{value}} }

// WhereIn is shorthand for a set-membership filter.
func WhereIn(attr string, values ...string) Filter {
	return Filter{Attr: attr, Op: In, Values: values}
}

// Between is shorthand for the half-open range from <= value < to, as two
// filters.
func Between(attr, from, to string) []Filter {
	return []Filter{{Attr: attr, Op: Gte, Values: []string{from}}, {Attr: attr, Op: Lt, Values: []string{to}}}
}

// Match reports whether attrs satisfy the filter. Drivers that filter in
// memory use it so that every driver agrees on the semantics.
func (f Filter) Match(attrs map[string]string) bool {
	v, ok := attrs[f.Attr]
	if !ok {
		return false
	}
	switch f.Op {
	case Eq:
		return v == f.Values[0]
	case In:
		return slices.Contains(f.Values, v)
	case Gt:
		return v > f.Values[0]
	case Gte:
		return v >= f.Values[0]
	case Lt:
		return v < f.Values[0]
	case Lte:
		return v <= f.Values[0]
	}
	return false
}

// MatchAll reports whether attrs satisfy every filter.
func MatchAll(filters []Filter, attrs map[string]string) bool {
	for _, f := range filters {
		if !f.Match(attrs) {
			return false
		}
	}
	return true
}

// Order is the direction of a list, by ID. ULID IDs make ascending the order
// of arrival.
type Order int

// The two orders. The zero value is ascending.
const (
	Ascending Order = iota
	Descending
)

// A Query selects a page of records of one kind.
type Query struct {
	// Filters all apply.
	Filters []Filter
	// Order of the IDs.
	Order Order
	// After is the cursor: the Next of the previous page, or "" for the
	// first page. Pages are keyset-paged by ID, so records inserted while a
	// caller pages never make it see a record twice or skip one that was
	// there when it started.
	After string
	// Limit is the page size: 0 means DefaultLimit; at most MaxLimit.
	Limit int
}

// A Page is one page of a list.
type Page struct {
	Records []Record
	// Next is the cursor for the following page; "" when this is the last.
	Next string
}

// CheckFilters validates filters for op on kind.
func CheckFilters(op, kind string, filters []Filter) error {
	for _, f := range filters {
		if err := CheckAttrName(op, kind, f.Attr); err != nil {
			return err
		}
		switch f.Op {
		case Eq, Gt, Gte, Lt, Lte:
			if len(f.Values) != 1 {
				return invalid(op, kind, "", "filter on "+f.Attr, "operator %q takes exactly one value, got %d", f.Op, len(f.Values))
			}
		case In:
			if len(f.Values) == 0 || len(f.Values) > MaxInValues {
				return invalid(op, kind, "", "filter on "+f.Attr, "operator \"in\" takes 1 to %d values, got %d", MaxInValues, len(f.Values))
			}
		default:
			return invalid(op, kind, "", "filter on "+f.Attr, "unknown operator %q", f.Op)
		}
		for _, v := range f.Values {
			if err := CheckAttrValue(op, kind, f.Attr, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckQuery validates a list query on kind and returns the effective limit.
func CheckQuery(kind string, q Query) (limit int, err error) {
	if err := CheckKind("list", kind); err != nil {
		return 0, err
	}
	if err := CheckFilters("list", kind, q.Filters); err != nil {
		return 0, err
	}
	if q.Order != Ascending && q.Order != Descending {
		return 0, invalid("list", kind, "", "order", "must be Ascending or Descending, got %d", q.Order)
	}
	if q.After != "" {
		if err := CheckID("list", kind, q.After); err != nil {
			return 0, invalid("list", kind, "", "after", "must be a cursor returned as Next, got %q", q.After)
		}
	}
	switch {
	case q.Limit < 0:
		return 0, invalid("list", kind, "", "limit", "must not be negative, got %d", q.Limit)
	case q.Limit > MaxLimit:
		return 0, invalid("list", kind, "", "limit", "must be at most %d, got %d", MaxLimit, q.Limit)
	case q.Limit == 0:
		return DefaultLimit, nil
	}
	return q.Limit, nil
}

// MaxGroupBy is the most attributes a count can group by.
const MaxGroupBy = 2

// A Group is one row of a grouped count: the values of the grouped
// attributes, in the order they were named ("" where a record lacks one),
// and how many records have them.
type Group struct {
	Values []string
	Count  int64
}

// CheckCount validates a grouped count's arguments.
func CheckCount(kind string, filters []Filter, groupBy []string) error {
	if err := CheckKind("count", kind); err != nil {
		return err
	}
	if err := CheckFilters("count", kind, filters); err != nil {
		return err
	}
	if len(groupBy) > MaxGroupBy {
		return invalid("count", kind, "", "group by", "takes at most %d attributes, got %d", MaxGroupBy, len(groupBy))
	}
	for _, a := range groupBy {
		if err := CheckAttrName("count", kind, a); err != nil {
			return err
		}
	}
	if len(groupBy) == 2 && groupBy[0] == groupBy[1] {
		return invalid("count", kind, "", "group by", "names %q twice", groupBy[0])
	}
	return nil
}

// SortGroups puts groups in the canonical order every driver returns:
// by values, byte-wise, first attribute first.
func SortGroups(gs []Group) {
	slices.SortFunc(gs, func(a, b Group) int { return slices.Compare(a.Values, b.Values) })
}
