package feedback

import (
	"fmt"
	"strings"
)

// MaxOwnerLen bounds the name of a manager or team in a routing table.
const MaxOwnerLen = 200

// A Route passes feedback of a category, and optionally of one kind only,
// to the manager or team responsible for it.
type Route struct {
	Category string `json:"category"`
	// Kind, if set, limits the route to that kind: a compliment about the
	// rooms can go to the front-desk manager while complaints about them go
	// to housekeeping.
	Kind  Kind   `json:"kind,omitempty"`
	Owner string `json:"owner"`
}

// A RoutingTable decides who an item is passed to. Lookups try the
// category with the item's kind, then the category for any kind, then the
// fallback owner, so every item has somebody responsible for it, including
// uncategorised ones.
type RoutingTable struct {
	routes   map[routeKey]string
	fallback string
}

type routeKey struct {
	category string
	kind     Kind
}

// NewRoutingTable checks routes against the organisation's categories (plus
// Uncategorised) and returns the table. An unknown category fails with an
// error wrapping ErrUnknownCategory; a blank owner or fallback, an unknown
// kind or two routes for the same category and kind fail with ErrInvalid.
func NewRoutingTable(categories []string, routes []Route, fallback string) (*RoutingTable, error) {
	if strings.TrimSpace(fallback) == "" {
		return nil, invalidf("routing.fallback", "must name an owner for feedback no route covers")
	}
	if len(fallback) > MaxOwnerLen {
		return nil, invalidf("routing.fallback", "must be at most %d bytes, got %d", MaxOwnerLen, len(fallback))
	}
	known := map[string]bool{Uncategorised: true}
	for _, c := range categories {
		known[c] = true
	}
	t := &RoutingTable{routes: map[routeKey]string{}, fallback: fallback}
	for i, r := range routes {
		field := fmt.Sprintf("routing.routes[%d]", i)
		if !known[r.Category] {
			return nil, invalidCause(ErrUnknownCategory, field+".category", "must be one of the organisation's categories or %q, got %q", Uncategorised, r.Category)
		}
		if r.Kind != "" && !r.Kind.Valid() {
			return nil, invalidf(field+".kind", "must be empty or one of compliment, complaint, suggestion, question, got %q", r.Kind)
		}
		if strings.TrimSpace(r.Owner) == "" || len(r.Owner) > MaxOwnerLen {
			return nil, invalidf(field+".owner", "must be 1 to %d bytes, not blank", MaxOwnerLen)
		}
		k := routeKey{r.Category, r.Kind}
		if _, dup := t.routes[k]; dup {
			return nil, invalidf(field, "repeats the route for category %q and kind %q", r.Category, r.Kind)
		}
		t.routes[k] = r.Owner
	}
	return t, nil
}

// Owner returns who feedback of category and kind goes to.
func (t *RoutingTable) Owner(category string, kind Kind) string {
	if o, ok := t.routes[routeKey{category, kind}]; ok {
		return o
	}
	if o, ok := t.routes[routeKey{category, ""}]; ok {
		return o
	}
	return t.fallback
}

// Fallback returns the owner of feedback no route covers.
func (t *RoutingTable) Fallback() string { return t.fallback }
