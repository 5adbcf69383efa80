package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

func testCRUD(t *testing.T, d store.Driver) {
	ctx := context.Background()
	in := rec("a1", `{"n":1}`, map[string]string{"cat": "x", "n": store.IntKey(1)})
	got := mustCreate(t, d, in)
	want := in
	want.Version = 1
	wantRecord(t, "Create result", got, want)
	wantRecord(t, "Get after Create", mustGet(t, d, kindA, "a1"), want)

	up := want
	up.Body = []byte(`{"n":2}`)
	up.Attrs = map[string]string{"cat": "y"} // "n" removed: attributes are replaced, not merged
	up.Updated = t0.Add(time.Second)
	got = mustUpdate(t, d, up)
	want = up
	want.Version = 2
	wantRecord(t, "Update result", got, want)
	wantRecord(t, "Get after Update", mustGet(t, d, kindA, "a1"), want)
	if rs := all(t, d, kindA); len(rs) != 1 {
		t.Fatalf("List after one Create: %d records %q", len(rs), ids(rs))
	} else {
		wantRecord(t, "List after Update", rs[0], want)
	}

	if err := d.Delete(ctx, kindA, "a1", 2); err != nil {
		t.Fatalf("Delete v2: %v", err)
	}
	wantGone(t, d, kindA, "a1")
	if rs := all(t, d, kindA); len(rs) != 0 {
		t.Fatalf("List after Delete: %q", ids(rs))
	}
}

func testVersions(t *testing.T, d store.Driver) {
	r := mustCreate(t, d, rec("v", "0", nil))
	if r.Version != 1 {
		t.Fatalf("Create: returned version %d; the contract says a new record is at version 1", r.Version)
	}
	for i := 2; i <= 5; i++ {
		r.Body = []byte{byte('0' + i)}
		r = mustUpdate(t, d, r)
		if r.Version != int64(i) {
			t.Fatalf("update %d: returned version %d; the contract says every update adds one to the version, so %d", i-1, r.Version, i)
		}
		if g := mustGet(t, d, kindA, "v"); g.Version != int64(i) || string(g.Body) != string(r.Body) {
			t.Fatalf("Get after update %d: version %d, body %q; the contract says Get returns what the last update stored, at version %d", i-1, g.Version, g.Body, i)
		}
	}
}

func testTimestamps(t *testing.T, d store.Driver) {
	// Microseconds must survive, in any location; a driver may drop what
	// is finer, so the suite never asks for nanoseconds.
	east := time.FixedZone("UTC+5:30", 5*3600+1800)
	cases := []time.Time{
		t0,
		time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(2038, 1, 19, 3, 14, 8, 1000, east),
		time.Date(2200, 2, 3, 4, 5, 6, 7000, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i, tm := range cases {
		r := rec(idOf(i), "{}", nil)
		r.Created = tm
		r.Updated = tm.Add(time.Microsecond)
		mustCreate(t, d, r)
		g := mustGet(t, d, kindA, r.ID)
		if !g.Created.Equal(r.Created) || !g.Updated.Equal(r.Updated) {
			t.Errorf("times of %s: wrote created %s updated %s, Get returned %s and %s; the contract says times are kept to the microsecond, in any location", r.ID,
				r.Created.Format(time.RFC3339Nano), r.Updated.Format(time.RFC3339Nano),
				g.Created.Format(time.RFC3339Nano), g.Updated.Format(time.RFC3339Nano))
		}
		// Update keeps the stored Created, whatever the caller sends.
		g.Created = tm.Add(time.Hour)
		g.Updated = tm.Add(2 * time.Microsecond)
		u := mustUpdate(t, d, g)
		for what, x := range map[string]store.Record{"Update result": u, "Get after Update": mustGet(t, d, kindA, r.ID)} {
			if !x.Created.Equal(r.Created) {
				t.Errorf("%s %s: created %s; the contract says Update keeps the stored Created, %s", what, r.ID, x.Created.Format(time.RFC3339Nano), r.Created.Format(time.RFC3339Nano))
			}
			if !x.Updated.Equal(g.Updated) {
				t.Errorf("%s %s: updated %s; the contract says Update stores the Updated it is given, %s", what, r.ID, x.Updated.Format(time.RFC3339Nano), g.Updated.Format(time.RFC3339Nano))
			}
		}
	}
}

func testErrors(t *testing.T, d store.Driver) {
	ctx := context.Background()
	_, err := d.Get(ctx, kindA, "nope")
	wantErr(t, "Get of a record never created", err, store.ErrNotFound, kindA, "nope")
	_, err = d.Update(ctx, rec2(rec("nope", "{}", nil), 1))
	wantErr(t, "Update of a record never created", err, store.ErrNotFound, kindA, "nope")
	wantGone(t, d, kindA, "nope")
	err = d.Delete(ctx, kindA, "nope", 1)
	wantErr(t, "Delete of a record never created", err, store.ErrNotFound, kindA, "nope")

	orig := mustCreate(t, d, rec("e1", "first", map[string]string{"a": "1"}))
	_, err = d.Create(ctx, rec("e1", "second", nil))
	wantErr(t, "Create of an ID already stored", err, store.ErrAlreadyExists, kindA, "e1")
	wantRecord(t, "after Create existing", mustGet(t, d, kindA, "e1"), orig)

	for _, v := range []int64{2, 3, 1 << 40} {
		_, err = d.Update(ctx, rec2(rec("e1", "stale", nil), v))
		wantErr(t, "Update naming a version never stored", err, store.ErrConflict, kindA, "e1")
		err = d.Delete(ctx, kindA, "e1", v)
		wantErr(t, "Delete naming a version never stored", err, store.ErrConflict, kindA, "e1")
		wantRecord(t, "after conflicts", mustGet(t, d, kindA, "e1"), orig)
	}
	up := mustUpdate(t, d, orig)
	_, err = d.Update(ctx, orig) // version 1 again: stale now
	wantErr(t, "Update naming the version before the last update", err, store.ErrConflict, kindA, "e1")
	err = d.Delete(ctx, kindA, "e1", 1)
	wantErr(t, "Delete naming the version before the last update", err, store.ErrConflict, kindA, "e1")
	wantRecord(t, "after stale writes", mustGet(t, d, kindA, "e1"), up)
}

// rec2 returns r at version v, for updates.
func rec2(r store.Record, v int64) store.Record { r.Version = v; return r }

func testKinds(t *testing.T, d store.Driver) {
	a := mustCreate(t, d, rec("same", "in a", map[string]string{"k": "a"}))
	rb := rec("same", "in b", map[string]string{"k": "b"})
	rb.Kind = kindB
	b := mustCreate(t, d, rb)
	wantRecord(t, "Get a", mustGet(t, d, kindA, "same"), a)
	wantRecord(t, "Get b", mustGet(t, d, kindB, "same"), b)
	if rs := all(t, d, kindA); len(rs) != 1 || string(rs[0].Body) != "in a" {
		t.Fatalf("List %s: %d records", kindA, len(rs))
	}
	if err := d.Delete(context.Background(), kindB, "same", 1); err != nil {
		t.Fatal(err)
	}
	wantRecord(t, "Get a after deleting b", mustGet(t, d, kindA, "same"), a)
	if rs := all(t, d, "storetest.never"); len(rs) != 0 {
		t.Fatalf("List of a kind never written: %d records; the contract says kinds do not see each other", len(rs))
	}
}

func testRecreate(t *testing.T, d store.Driver) {
	r := mustCreate(t, d, rec("re", "one", map[string]string{"gen": "1"}))
	r = mustUpdate(t, d, r)
	if err := d.Delete(context.Background(), kindA, "re", r.Version); err != nil {
		t.Fatal(err)
	}
	again := rec("re", "two", map[string]string{"gen": "2"})
	again.Created = t0.Add(time.Minute)
	got := mustCreate(t, d, again)
	if got.Version != 1 {
		t.Fatalf("Create after Delete: version %d; the contract says a record deleted can be created again, at version 1", got.Version)
	}
	again.Version = 1
	wantRecord(t, "Get after re-create", mustGet(t, d, kindA, "re"), again)
}

func testValues(t *testing.T, d store.Driver) {
	allBytes := make([]byte, 256*3)
	for i := range allBytes {
		allBytes[i] = byte(i)
	}
	big := make([]byte, 1<<20)
	x := uint32(1)
	for i := range big { // xorshift: deterministic, incompressible
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		big[i] = byte(x)
	}
	cases := []struct {
		name  string
		body  []byte
		attrs map[string]string
	}{
		{"nil-body", nil, map[string]string{"a": "b"}},
		{"empty-body", []byte{}, nil},
		{"nil-attrs", []byte("x"), nil},
		{"empty-attrs", []byte("x"), map[string]string{}},
		{"empty-attr-value", []byte("x"), map[string]string{"e": ""}},
		{"all-bytes", allBytes, nil},
		{"nul-and-newlines", []byte("\x00\n\r\n\x00\xff\xfe"), nil},
		{"unicode", []byte("日本語 ✓ Ελληνικά 🚀 \u200d\ufeff"), map[string]string{"name": "Zoë 日本 🚀", "rtl": "שלום"}},
		{"1MiB", big, map[string]string{"size": "1MiB"}},
		{"json-like", []byte(`{"a":"\u0000","b":[1,2,3]}`), map[string]string{"quote": `"'\%_*?[]`}},
	}
	for i, c := range cases {
		r := rec(idOf(i), "", c.attrs)
		r.Body = c.body
		got := mustCreate(t, d, r)
		r.Version = 1
		wantRecord(t, c.name+": Create result", got, r)
		wantRecord(t, c.name+": Get", mustGet(t, d, kindA, r.ID), r)
		// and through an update, since drivers often write updates apart
		r.Body = append(append([]byte(nil), c.body...), c.body...)
		u := mustUpdate(t, d, r)
		r.Version = 2
		wantRecord(t, c.name+": Update result", u, r)
		wantRecord(t, c.name+": Get after Update", mustGet(t, d, kindA, r.ID), r)
	}
	rs := all(t, d, kindA)
	if len(rs) != len(cases) {
		t.Fatalf("List: %d records, want %d", len(rs), len(cases))
	}
	for i, g := range rs {
		c := cases[i]
		want := append(append([]byte(nil), c.body...), c.body...)
		if !bytes.Equal(g.Body, want) || !sameAttrs(g.Attrs, c.attrs) {
			t.Errorf("List %s: body or attrs differ from what was stored", c.name)
		}
	}
}

// testLimits stores values at every maximum of the contract: a driver must
// accept them all.
func testLimits(t *testing.T, d store.Driver) {
	attrs := map[string]string{}
	for i := range store.MaxAttrs {
		name := strings.Repeat("n", store.MaxAttrNameLen-2) + string(rune('a'+i/26)) + string(rune('a'+i%26))
		attrs[name] = strings.Repeat("é", store.MaxAttrValueLen/2) // 2 bytes each
	}
	kind := "k" + strings.Repeat("x", store.MaxKindLen-1)
	id := strings.Repeat("Z", store.MaxIDLen-8) + "-_.:~@+="
	r := store.Record{Kind: kind, ID: id, Attrs: attrs, Body: []byte("limits"), Created: t0, Updated: t0}
	got := mustCreate(t, d, r)
	r.Version = 1
	wantRecord(t, "Create at limits", got, r)
	wantRecord(t, "Get at limits", mustGet(t, d, kind, id), r)
	if rs := all(t, d, kind); len(rs) != 1 {
		t.Fatalf("List at limits: %d records", len(rs))
	}
	name := strings.Repeat("n", store.MaxAttrNameLen-2) + "ab"
	if rs := listAll(t, d, kind, store.Query{Filters: []store.Filter{store.Where(name, attrs[name])}}); len(rs) != 1 {
		t.Fatalf("List where %s = max-length value: %d records", name, len(rs))
	}
	if rs := listAll(t, d, kind, store.Query{After: id, Order: store.OrderDescending}); len(rs) != 0 {
		t.Fatalf("List before the only ID, descending: %d records", len(rs))
	}
}

func testCopies(t *testing.T, d store.Driver) {
	ctx := context.Background()
	in := rec("c", "body", map[string]string{"a": "1"})
	want := in.Clone()
	want.Version = 1
	out, err := d.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Body[0] = 'X'
	in.Attrs["a"] = "changed"
	in.Attrs["new"] = "x"
	wantRecord(t, "after changing the record passed to Create", mustGet(t, d, kindA, "c"), want)
	scribble(out)
	wantRecord(t, "after changing the record Create returned", mustGet(t, d, kindA, "c"), want)
	scribble(mustGet(t, d, kindA, "c"))
	wantRecord(t, "after changing the record Get returned", mustGet(t, d, kindA, "c"), want)
	for _, r := range all(t, d, kindA) {
		scribble(r)
	}
	wantRecord(t, "after changing the records List returned", mustGet(t, d, kindA, "c"), want)

	up := want.Clone()
	up.Body = []byte("body2")
	up.Attrs = map[string]string{"a": "2"}
	want2 := up.Clone()
	want2.Version = 2
	out, err = d.Update(ctx, up)
	if err != nil {
		t.Fatal(err)
	}
	scribble(up)
	wantRecord(t, "after changing the record passed to Update", mustGet(t, d, kindA, "c"), want2)
	scribble(out)
	wantRecord(t, "after changing the record Update returned", mustGet(t, d, kindA, "c"), want2)

	if b, ok := d.(store.Batcher); ok {
		w := rec("cb", "batch", map[string]string{"b": "1"})
		wantB := w.Clone()
		wantB.Version = 1
		res, err := b.Batch(ctx, []store.Write{{Action: store.ActionCreate, Record: w}})
		if err != nil {
			t.Fatal(err)
		}
		scribble(w)
		for _, r := range res {
			scribble(r)
		}
		wantRecord(t, "after changing the records of a Batch", mustGet(t, d, kindA, "cb"), wantB)
	}
}

// scribble changes r's body and attributes in place.
func scribble(r store.Record) {
	for i := range r.Body {
		r.Body[i] = '#'
	}
	for k := range r.Attrs {
		r.Attrs[k] = "scribbled"
	}
	if r.Attrs != nil {
		r.Attrs["scribbled"] = "yes"
	}
}

func testClosed(t *testing.T, d store.Driver) {
	r := mustCreate(t, d, rec("x", "{}", map[string]string{"a": "1"}))
	if err := d.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ctx := context.Background()
	_, err := d.Get(ctx, kindA, "x")
	wantErr(t, "Get after Close", err, store.ErrClosed)
	_, err = d.Create(ctx, rec("y", "{}", nil))
	wantErr(t, "Create after Close", err, store.ErrClosed)
	_, err = d.Update(ctx, r)
	wantErr(t, "Update after Close", err, store.ErrClosed)
	err = d.Delete(ctx, kindA, "x", 1)
	wantErr(t, "Delete after Close", err, store.ErrClosed)
	_, err = d.List(ctx, kindA, store.Query{})
	wantErr(t, "List after Close", err, store.ErrClosed)
	if c, ok := d.(store.Counter); ok {
		_, err = c.Count(ctx, kindA, nil)
		wantErr(t, "Count after Close", err, store.ErrClosed)
	}
	if b, ok := d.(store.Batcher); ok {
		_, err = b.Batch(ctx, []store.Write{{Action: store.ActionCreate, Record: rec("z", "{}", nil)}})
		wantErr(t, "Batch after Close", err, store.ErrClosed)
	}
	if err := d.Close(); err != nil && !errors.Is(err, store.ErrClosed) {
		t.Fatalf("second Close: %s; the contract says it returns nil or wraps store.ErrClosed", gotErr(err))
	}
}
