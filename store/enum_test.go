package store_test

import (
	"fmt"
	"testing"

	"github.com/cxkit/cxkit/store"
)

// Enumerations print as words in messages, never as bare numbers or codes.
func TestEnumStrings(t *testing.T) {
	for v, want := range map[fmt.Stringer]string{
		store.OrderAscending:  "ascending",
		store.OrderDescending: "descending",
		store.Order(7):        "Order(7)",
		store.ActionCreate:    "create",
		store.ActionDelete:    "delete",
		store.Action(9):       "Action(9)",
		store.OpEq:            "equal to",
		store.OpIn:            "one of",
		store.OpGte:           "at least",
		store.OpLt:            "less than",
		store.Op("near"):      `operator "near"`,
	} {
		if got := fmt.Sprint(v); got != want {
			t.Errorf("%#v prints %q; want %q", v, got, want)
		}
	}
	if got := len(store.Ops()); got != 6 {
		t.Errorf("Ops() has %d operators; want 6", got)
	}
	for _, o := range store.Ops() {
		if o.String() == `operator "`+string(o)+`"` {
			t.Errorf("Ops() lists %q, which has no words", string(o))
		}
	}
	if got := store.Orders(); len(got) != 2 || got[0] != store.OrderAscending {
		t.Errorf("Orders() = %v", got)
	}
	if got := store.Actions(); len(got) != 3 || got[0] != store.ActionCreate {
		t.Errorf("Actions() = %v", got)
	}
}
