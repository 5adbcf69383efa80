package storetest

import (
	"context"
	"testing"

	"github.com/cxkit/cxkit/store"
)

// The contract keeps a nil Attrs or Body apart from an empty one; the
// other subtests compare records loosely on that point, this one strictly,
// through every way a record comes back.
func init() {
	cases = append(cases, struct {
		name string
		fn   func(t *testing.T, d store.Driver)
	}{"NilAndEmpty", testNilAndEmpty})
}

func testNilAndEmpty(t *testing.T, d store.Driver) {
	ctx := context.Background()
	shapes := []struct {
		id    string
		attrs map[string]string
		body  []byte
	}{
		// The empty ones first: a driver that keeps the distinction only
		// once it has seen a non-empty value fails here.
		{"empty-empty", map[string]string{}, []byte{}},
		{"nil-nil", nil, nil},
		{"empty-nil", map[string]string{}, nil},
		{"nil-empty", nil, []byte{}},
	}
	check := func(how string, id string, r store.Record, attrs map[string]string, body []byte) {
		t.Helper()
		if (r.Attrs == nil) != (attrs == nil) || len(r.Attrs) != 0 {
			t.Errorf("%s %s: Attrs %#v, want %#v", how, id, r.Attrs, attrs)
		}
		if (r.Body == nil) != (body == nil) || len(r.Body) != 0 {
			t.Errorf("%s %s: Body %#v, want %#v", how, id, r.Body, body)
		}
	}
	for _, s := range shapes {
		r := rec(s.id, "", s.attrs)
		r.Body = s.body
		out := mustCreate(t, d, r)
		check("Create result of", s.id, out, s.attrs, s.body)
		check("Get of", s.id, mustGet(t, d, kindA, s.id), s.attrs, s.body)
		out.Attrs, out.Body = s.attrs, s.body
		up := mustUpdate(t, d, out)
		check("Update result of", s.id, up, s.attrs, s.body)
		check("Get after Update of", s.id, mustGet(t, d, kindA, s.id), s.attrs, s.body)
	}
	p, err := d.List(ctx, kindA, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Records {
		for _, s := range shapes {
			if s.id == r.ID {
				check("List of", s.id, r, s.attrs, s.body)
			}
		}
	}
	if len(p.Records) != len(shapes) {
		t.Fatalf("List: %d records, want %d", len(p.Records), len(shapes))
	}
}
