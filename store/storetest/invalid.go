package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/store"
)

// badKinds and badIDs break CheckKind and CheckID; "a/b" and ".." matter
// most, since a driver that names files after them could escape its
// directory.
var (
	badKinds = []string{"", "A", "1a", "_a", "a/b", "a b", "../a", "é", "a\x00", strings.Repeat("k", store.MaxKindLen+1)}
	badIDs   = []string{"", ".", "..", "a/b", "../x", "a\\b", "a b", "é", "a\x00b", "a\n", strings.Repeat("i", store.MaxIDLen+1)}
)

func testInvalid(t *testing.T, d store.Driver) {
	ctx := context.Background()
	existing := mustCreate(t, d, rec("keep", "kept", map[string]string{"a": "1"}))

	check := func(what string, err error) {
		t.Helper()
		wantErr(t, what, err, store.ErrInvalid)
	}
	for _, k := range badKinds {
		r := rec("new", "{}", nil)
		r.Kind = k
		_, err := d.Create(ctx, r)
		check("Create kind "+quote(k), err)
		_, err = d.Get(ctx, k, "keep")
		check("Get kind "+quote(k), err)
		r.Version = 1
		_, err = d.Update(ctx, r)
		check("Update kind "+quote(k), err)
		check("Delete kind "+quote(k), d.Delete(ctx, k, "keep", 1))
		_, err = d.List(ctx, k, store.Query{})
		check("List kind "+quote(k), err)
		if c, ok := d.(store.Counter); ok {
			_, err = c.Count(ctx, k, nil)
			check("Count kind "+quote(k), err)
		}
	}
	for _, id := range badIDs {
		_, err := d.Create(ctx, rec(id, "{}", nil))
		check("Create id "+quote(id), err)
		_, err = d.Get(ctx, kindA, id)
		check("Get id "+quote(id), err)
		_, err = d.Update(ctx, rec2(rec(id, "{}", nil), 1))
		check("Update id "+quote(id), err)
		check("Delete id "+quote(id), d.Delete(ctx, kindA, id, 1))
		if id != "" { // "" is the first page, not a bad cursor
			_, err = d.List(ctx, kindA, store.Query{After: id})
			check("List after "+quote(id), err)
		}
	}

	// Versions: 0 on create, positive on update and delete.
	for _, v := range []int64{-1, 1, 7} {
		_, err := d.Create(ctx, rec2(rec("new", "{}", nil), v))
		check("Create with version", err)
	}
	for _, v := range []int64{0, -1, -1 << 62} {
		_, err := d.Update(ctx, rec2(rec("keep", "changed", nil), v))
		check("Update with version", err)
		check("Delete with version", d.Delete(ctx, kindA, "keep", v))
	}

	// Attributes and bodies.
	badAttrs := []map[string]string{
		{"": "x"},
		{"1a": "x"},
		{"a b": "x"},
		{"a/b": "x"},
		{strings.Repeat("a", store.MaxAttrNameLen+1): "x"},
		{"a": "nul\x00byte"},
		{"a": "bad\xffutf8"},
		{"a": strings.Repeat("v", store.MaxAttrValueLen+1)},
		manyAttrs(store.MaxAttrs + 1),
	}
	for i, a := range badAttrs {
		_, err := d.Create(ctx, rec("new", "{}", a))
		check("Create with bad attrs "+itoa(i), err)
		_, err = d.Update(ctx, rec2(rec("keep", "{}", a), 1))
		check("Update with bad attrs "+itoa(i), err)
	}
	huge := rec("new", "", nil)
	huge.Body = make([]byte, store.MaxBodyLen+1)
	_, err := d.Create(ctx, huge)
	check("Create with body over MaxBodyLen", err)

	// Queries.
	badQueries := map[string]store.Query{
		"negative limit":        {Limit: -1},
		"limit over MaxLimit":   {Limit: store.MaxLimit + 1},
		"unknown operator":      {Filters: []store.Filter{{Attr: "a", Op: "like", Values: []string{"1"}}}},
		"empty operator":        {Filters: []store.Filter{{Attr: "a", Values: []string{"1"}}}},
		"eq without value":      {Filters: []store.Filter{{Attr: "a", Op: store.OpEq}}},
		"gt with two values":    {Filters: []store.Filter{{Attr: "a", Op: store.OpGt, Values: []string{"1", "2"}}}},
		"in without values":     {Filters: []store.Filter{{Attr: "a", Op: store.OpIn}}},
		"in with too many":      {Filters: []store.Filter{{Attr: "a", Op: store.OpIn, Values: make([]string, store.MaxInValues+1)}}},
		"bad attribute name":    {Filters: []store.Filter{store.Where("a b", "1")}},
		"bad attribute value":   {Filters: []store.Filter{store.Where("a", "x\x00")}},
		"order out of range":    {Order: store.Order(7)},
		"negative order":        {Order: store.Order(-1)},
		"cursor with a slash":   {After: "a/b"},
		"cursor too long":       {After: strings.Repeat("c", store.MaxIDLen+1)},
		"cursor with non-ASCII": {After: "ü"},
	}
	for what, q := range badQueries {
		_, err := d.List(ctx, kindA, q)
		check("List with "+what, err)
		if c, ok := d.(store.Counter); ok && len(q.Filters) > 0 {
			_, err = c.Count(ctx, kindA, q.Filters)
			check("Count with "+what, err)
		}
	}
	if c, ok := d.(store.Counter); ok {
		for what, g := range map[string][]string{
			"three attributes": {"a", "b", "c"},
			"one twice":        {"a", "a"},
			"bad name":         {"a b"},
			"empty name":       {""},
		} {
			_, err := c.Count(ctx, kindA, nil, g...)
			check("Count grouped by "+what, err)
		}
	}
	if b, ok := d.(store.Batcher); ok {
		_, err := b.Batch(ctx, nil)
		check("empty Batch", err)
		_, err = b.Batch(ctx, []store.Write{
			{Action: store.ActionCreate, Record: rec("new", "{}", nil)},
			{Action: store.ActionCreate, Record: rec("new", "{}", nil)},
		})
		check("Batch naming one record twice", err)
		_, err = b.Batch(ctx, []store.Write{
			{Action: store.ActionCreate, Record: rec("new", "{}", nil)},
			{Action: store.ActionCreate, Record: rec("a/b", "{}", nil)},
		})
		check("Batch with a bad ID", err)
		_, err = b.Batch(ctx, []store.Write{
			{Action: store.ActionCreate, Record: rec("new", "{}", nil)},
			{Action: store.Action(99), Record: rec("new2", "{}", nil)},
		})
		check("Batch with an unknown action", err)
		_, err = b.Batch(ctx, []store.Write{
			{Action: store.ActionCreate, Record: rec("new", "{}", nil)},
			{Action: store.ActionDelete, Record: rec("keep", "", nil)}, // version 0
		})
		check("Batch deleting version 0", err)
	}

	// Nothing was written by any of it.
	wantRecord(t, "record after invalid calls", mustGet(t, d, kindA, "keep"), existing)
	if rs := all(t, d, kindA); len(rs) != 1 {
		t.Fatalf("after invalid calls, %s holds %q; the contract says an invalid call writes nothing, so only \"keep\" is stored", kindA, ids(rs))
	}
}

func manyAttrs(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m["a"+itoa(i)] = "v"
	}
	return m
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func quote(s string) string {
	if len(s) > 20 {
		return "(" + itoa(len(s)) + " bytes)"
	}
	return "\"" + strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", `\x00`), "?") + "\""
}

func testContextCanceled(t *testing.T, d store.Driver) {
	existing := mustCreate(t, d, rec("keep", "kept", map[string]string{"a": "1"}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	check := func(what string, err error) {
		t.Helper()
		wantErr(t, what+" with a cancelled context", err, context.Canceled)
	}
	_, err := d.Create(ctx, rec("new", "{}", nil))
	check("Create", err)
	_, err = d.Update(ctx, rec2(rec("keep", "changed", nil), 1))
	check("Update", err)
	check("Delete", d.Delete(ctx, kindA, "keep", 1))
	_, err = d.Get(ctx, kindA, "keep")
	check("Get", err)
	_, err = d.List(ctx, kindA, store.Query{})
	check("List", err)
	if c, ok := d.(store.Counter); ok {
		_, err = c.Count(ctx, kindA, nil, "a")
		check("Count", err)
	}
	if b, ok := d.(store.Batcher); ok {
		_, err = b.Batch(ctx, []store.Write{{Action: store.ActionCreate, Record: rec("new2", "{}", nil)}})
		check("Batch", err)
	}
	wantGone(t, d, kindA, "new")
	wantGone(t, d, kindA, "new2")
	wantRecord(t, "record after cancelled writes", mustGet(t, d, kindA, "keep"), existing)
}
