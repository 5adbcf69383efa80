package store

import "strconv"

// Op is a filter's comparison. Comparisons are byte-wise on the attribute's
// string value; a record that lacks the attribute matches no filter on it.
type Op string

// The filter operators.
const (
	OpEq  Op = "eq"  // value == Values[0]
	OpIn  Op = "in"  // value is one of Values (1 to MaxInValues of them)
	OpGt  Op = "gt"  // value > Values[0]
	OpGte Op = "gte" // value >= Values[0]
	OpLt  Op = "lt"  // value < Values[0]
	OpLte Op = "lte" // value <= Values[0]
)

// Ops returns every filter operator, in the order of their declaration.
func Ops() []Op { return []Op{OpEq, OpIn, OpGt, OpGte, OpLt, OpLte} }

// String says what the operator compares, in words: "equal to", "one of",
// "greater than", ... An unknown operator reads as its code, quoted.
func (o Op) String() string {
	switch o {
	case OpEq:
		return "equal to"
	case OpIn:
		return "one of"
	case OpGt:
		return "greater than"
	case OpGte:
		return "at least"
	case OpLt:
		return "less than"
	case OpLte:
		return "at most"
	}
	return "operator " + `"` + string(o) + `"`
}

// A Filter restricts a list or count to records whose attribute Attr
// compares to Values by Op. Several filters in a query all apply (AND); two
// range filters on one attribute make a range.
type Filter struct {
	Attr   string
	Op     Op
	Values []string
}

// Where is shorthand for an equality filter.
func Where(attr, value string) Filter { return Filter{Attr: attr, Op: OpEq, Values: []string{value}} }

// WhereIn is shorthand for a set-membership filter.
func WhereIn(attr string, values ...string) Filter {
	return Filter{Attr: attr, Op: OpIn, Values: values}
}

// Between is shorthand for the range from from (included) up to to (not
// included), as two filters.
func Between(attr, from, to string) []Filter {
	return []Filter{{Attr: attr, Op: OpGte, Values: []string{from}}, {Attr: attr, Op: OpLt, Values: []string{to}}}
}

// Order is the direction of a list, by ID. ULID IDs make ascending the order
// of arrival.
type Order int

// The two orders. The zero value is ascending.
const (
	OrderAscending Order = iota
	OrderDescending
)

// Orders returns both orders, ascending first.
func Orders() []Order { return []Order{OrderAscending, OrderDescending} }

// String returns "ascending" or "descending" ("Order(n)" for anything
// else), so that messages never show a bare number.
func (o Order) String() string {
	switch o {
	case OrderAscending:
		return "ascending"
	case OrderDescending:
		return "descending"
	}
	return "Order(" + strconv.Itoa(int(o)) + ")"
}

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

// A Group is one row of a grouped count: the values of the grouped
// attributes, in the order they were named ("" where a record lacks one),
// and how many records have them.
type Group struct {
	Values []string
	Count  int64
}
