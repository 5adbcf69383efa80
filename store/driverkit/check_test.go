package driverkit_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

func TestCheckKind(t *testing.T) {
	ok := []string{"a", "complaint", "a1", "a_b", "a-b", "a.b", strings.Repeat("k", store.MaxKindLen)}
	bad := []string{"", "A", "Ab", "1a", "_a", ".a", "a/b", "a b", "a\x00", "é", "..", strings.Repeat("k", store.MaxKindLen+1)}
	for _, k := range ok {
		if err := driverkit.CheckKind("t", k); err != nil {
			t.Errorf("CheckKind(%q): %v", k, err)
		}
	}
	for _, k := range bad {
		if err := driverkit.CheckKind("t", k); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("CheckKind(%q): %v; want ErrInvalid", k, err)
		}
	}
}

func TestCheckID(t *testing.T) {
	ok := []string{"a", "A", "0", "01HZX3", "a.b", "...", ".a", "a-_.:~@+=", strings.Repeat("i", store.MaxIDLen)}
	bad := []string{"", ".", "..", "a/b", "/", "\\", "a b", "a\x00", "é", "a\n", "a%2f", strings.Repeat("i", store.MaxIDLen+1)}
	for _, id := range ok {
		if err := driverkit.CheckID("t", "k", id); err != nil {
			t.Errorf("CheckID(%q): %v", id, err)
		}
	}
	for _, id := range bad {
		if err := driverkit.CheckID("t", "k", id); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("CheckID(%q): %v; want ErrInvalid", id, err)
		}
	}
}

func TestCheckAttrs(t *testing.T) {
	for _, n := range []string{"a", "A", "aB9_-.", strings.Repeat("n", store.MaxAttrNameLen)} {
		if err := driverkit.CheckAttrName("t", "k", n); err != nil {
			t.Errorf("CheckAttrName(%q): %v", n, err)
		}
	}
	for _, n := range []string{"", "1a", "_a", "a b", "a/b", "é", strings.Repeat("n", store.MaxAttrNameLen+1)} {
		if err := driverkit.CheckAttrName("t", "k", n); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("CheckAttrName(%q): %v; want ErrInvalid", n, err)
		}
	}
	for _, v := range []string{"", "x", "日本語 🚀", "\n\t", strings.Repeat("v", store.MaxAttrValueLen)} {
		if err := driverkit.CheckAttrValue("t", "k", "a", v); err != nil {
			t.Errorf("CheckAttrValue(%q): %v", v, err)
		}
	}
	for _, v := range []string{"a\x00", "\xff", "\xc3", strings.Repeat("v", store.MaxAttrValueLen+1)} {
		if err := driverkit.CheckAttrValue("t", "k", "a", v); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("CheckAttrValue(%q): %v; want ErrInvalid", v, err)
		}
	}
}

func TestCheckRecord(t *testing.T) {
	good := store.Record{Kind: "k", ID: "i", Attrs: map[string]string{"a": "1"}, Body: []byte("{}")}
	if err := driverkit.CheckRecord("create", good); err != nil {
		t.Fatalf("create: %v", err)
	}
	up := good
	up.Version = 3
	if err := driverkit.CheckRecord("update", up); err != nil {
		t.Fatalf("update: %v", err)
	}
	many := map[string]string{}
	for i := range store.MaxAttrs + 1 {
		many["a"+strings.Repeat("x", i)] = ""
	}
	for name, c := range map[string]struct {
		op string
		r  store.Record
	}{
		"create with version":  {"create", up},
		"update at version 0":  {"update", good},
		"update negative":      {"update", store.Record{Kind: "k", ID: "i", Version: -1}},
		"bad kind":             {"create", store.Record{Kind: "K", ID: "i"}},
		"bad id":               {"create", store.Record{Kind: "k", ID: ".."}},
		"too many attrs":       {"create", store.Record{Kind: "k", ID: "i", Attrs: many}},
		"bad attr name":        {"create", store.Record{Kind: "k", ID: "i", Attrs: map[string]string{"9": ""}}},
		"bad attr value":       {"create", store.Record{Kind: "k", ID: "i", Attrs: map[string]string{"a": "\x00"}}},
		"body over MaxBodyLen": {"create", store.Record{Kind: "k", ID: "i", Body: make([]byte, store.MaxBodyLen+1)}},
	} {
		err := driverkit.CheckRecord(c.op, c.r)
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v; want ErrInvalid", name, err)
		}
	}
	if err := driverkit.CheckDelete("k", "i", 0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("CheckDelete version 0: %v", err)
	}
	if err := driverkit.CheckDelete("k", "i", 1); err != nil {
		t.Errorf("CheckDelete: %v", err)
	}
}

func TestCheckQuery(t *testing.T) {
	if l, err := driverkit.CheckQuery("k", store.Query{}); err != nil || l != store.DefaultLimit {
		t.Fatalf("zero Query: limit %d, %v", l, err)
	}
	if l, err := driverkit.CheckQuery("k", store.Query{Limit: store.MaxLimit, Order: store.OrderDescending, After: "x"}); err != nil || l != store.MaxLimit {
		t.Fatalf("max Query: limit %d, %v", l, err)
	}
	for name, q := range map[string]store.Query{
		"negative limit": {Limit: -1},
		"limit too big":  {Limit: store.MaxLimit + 1},
		"bad order":      {Order: 2},
		"bad cursor":     {After: "a/b"},
		"unknown op":     {Filters: []store.Filter{{Attr: "a", Op: "ne", Values: []string{"x"}}}},
		"eq two values":  {Filters: []store.Filter{{Attr: "a", Op: store.OpEq, Values: []string{"x", "y"}}}},
		"in no values":   {Filters: []store.Filter{store.WhereIn("a")}},
		"bad attr":       {Filters: []store.Filter{store.Where("", "x")}},
		"bad value":      {Filters: []store.Filter{store.Where("a", "\xff")}},
	} {
		if _, err := driverkit.CheckQuery("k", q); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v; want ErrInvalid", name, err)
		}
	}
	for name, g := range map[string][]string{"three": {"a", "b", "c"}, "twice": {"a", "a"}, "bad": {"a b"}} {
		if err := driverkit.CheckCount("k", nil, g); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("CheckCount %s: %v", name, err)
		}
	}
}

func TestCheckBatch(t *testing.T) {
	c := store.Write{Action: store.ActionCreate, Record: store.Record{Kind: "k", ID: "a"}}
	u := store.Write{Action: store.ActionUpdate, Record: store.Record{Kind: "k", ID: "b", Version: 1}}
	d := store.Write{Action: store.ActionDelete, Record: store.Record{Kind: "j", ID: "a", Version: 2}}
	if err := driverkit.CheckBatch([]store.Write{c, u, d}); err != nil {
		t.Fatalf("valid batch: %v", err)
	}
	dup := u
	dup.Record.ID = "a"
	for name, ws := range map[string][]store.Write{
		"empty":          nil,
		"same twice":     {c, dup},
		"unknown action": {c, {Action: 0, Record: u.Record}},
		"bad write":      {c, {Action: store.ActionDelete, Record: store.Record{Kind: "k", ID: "z"}}},
	} {
		err := driverkit.CheckBatch(ws)
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v; want ErrInvalid", name, err)
		}
	}
	// The error names the write that failed.
	if err := driverkit.CheckBatch([]store.Write{c, {Action: store.ActionDelete, Record: store.Record{Kind: "k", ID: "z"}}}); !strings.Contains(err.Error(), "write 1") {
		t.Errorf("error %q does not name write 1", err)
	}
}

func TestFilterMatch(t *testing.T) {
	attrs := map[string]string{"a": "m", "e": ""}
	for _, c := range []struct {
		f    store.Filter
		want bool
	}{
		{store.Where("a", "m"), true},
		{store.Where("a", "n"), false},
		{store.WhereIn("a", "x", "m"), true},
		{store.Filter{Attr: "a", Op: store.OpGt, Values: []string{"l"}}, true},
		{store.Filter{Attr: "a", Op: store.OpGt, Values: []string{"m"}}, false},
		{store.Filter{Attr: "a", Op: store.OpGte, Values: []string{"m"}}, true},
		{store.Filter{Attr: "a", Op: store.OpLt, Values: []string{"m"}}, false},
		{store.Filter{Attr: "a", Op: store.OpLte, Values: []string{"m"}}, true},
		{store.Where("e", ""), true},
		{store.Where("missing", ""), false},
		{store.Filter{Attr: "missing", Op: store.OpLt, Values: []string{"z"}}, false},
		{store.Filter{Attr: "a", Op: "bogus", Values: []string{"m"}}, false},
	} {
		if got := driverkit.Match(c.f, attrs); got != c.want {
			t.Errorf("%+v.Match = %v; want %v", c.f, got, c.want)
		}
	}
	if !driverkit.MatchAll(store.Between("a", "a", "n"), attrs) || driverkit.MatchAll(store.Between("a", "a", "m"), attrs) {
		t.Error("Between is not half-open [from, to)")
	}
}

func TestErrors(t *testing.T) {
	err := driverkit.Errorf("update", "ticket", "01X", store.ErrConflict, "stored version is %d", 3)
	if !errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		t.Fatalf("errors.Is broken: %v", err)
	}
	var se *store.Error
	if !errors.As(err, &se) || se.Op != "update" || se.Kind != "ticket" || se.ID != "01X" {
		t.Fatalf("errors.As: %+v", se)
	}
	if got, want := err.Error(), "store: update ticket/01X: version conflict: stored version is 3"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	if got := (&store.Error{Op: "list", Kind: "ticket", Err: store.ErrClosed}).Error(); got != "store: list ticket: store closed" {
		t.Errorf("Error() = %q", got)
	}
	if got := (&store.Error{Op: "batch", Err: store.ErrInvalid}).Error(); got != "store: batch: invalid argument" {
		t.Errorf("Error() = %q", got)
	}
	for a, s := range map[store.Action]string{store.ActionCreate: "create", store.ActionUpdate: "update", store.ActionDelete: "delete", 0: "Action(0)"} {
		if a.String() != s {
			t.Errorf("Action(%d).String() = %q", a, a.String())
		}
	}
}

func TestGroupCounts(t *testing.T) {
	gs := driverkit.GroupCounts(map[[store.MaxGroupBy]string]int64{{"b", "x"}: 2, {"a", "y"}: 1, {"a", "x"}: 3}, 2)
	want := "[{[a x] 3} {[a y] 1} {[b x] 2}]"
	if got := fmt.Sprint(gs); got != want {
		t.Fatalf("GroupCounts = %s; want %s", got, want)
	}
	if gs := driverkit.GroupCounts(nil, 0); len(gs) != 1 || gs[0].Count != 0 || gs[0].Values == nil {
		t.Fatalf("GroupCounts(nil, 0) = %#v; want one empty group", gs)
	}
	if gs := driverkit.GroupCounts(nil, 1); len(gs) != 0 {
		t.Fatalf("GroupCounts(nil, 1) = %v", gs)
	}
}
