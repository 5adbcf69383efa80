// Package storetest is the conformance suite of the store contract: one
// call runs every rule a store.Driver must follow as subtests, so that a
// driver proves itself in a few lines:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Driver {
//			d, err := mydriver.Open(t.TempDir())
//			if err != nil {
//				t.Fatal(err)
//			}
//			return d
//		})
//	}
//
// The suite imports only the standard library, store and store/driverkit,
// because every adapter that runs it inherits its imports.
//
// # Unavailable and unknown outcomes
//
// A driver for a networked store wraps store.ErrUnavailable when it could
// not reach the store and applied nothing (connection refused, a standby
// not yet promoted), and store.ErrOutcomeUnknown when a write was sent but
// its reply never came (connection lost, deadline passed): it may have been
// applied. store.Collection retries the first and resolves the second by
// reading again. A driver that cannot lose a reply, such as store/memory
// and store/file, never returns ErrOutcomeUnknown. Faults makes any driver
// fail both ways on demand, for testing the code above it.
//
// What it checks, beyond the doc comments of store.Driver:
//
//   - Pages are strictly ordered by ID, never longer than the limit, and
//     Next is "" exactly on the last page: a page with a Next is full and
//     the page after it is not empty.
//   - A cursor need not name a stored record: After is a key, and the page
//     starts at the first ID beyond it in the order of the query.
//   - A record deleted can be created again, at Version 1.
//   - Every method, readers included, fails with an error wrapping
//     context.Canceled when its context is cancelled, and writes nothing.
//   - Times survive to the microsecond (time.Time.Equal, any location).
//   - Comparisons of attributes are byte-wise, whatever the driver's
//     collation, and a record without the attribute matches no filter on it,
//     not even one against "".
//
// Counter and Batcher are optional: their subtests skip, naming the
// interface, when the driver does not implement them.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// Run runs the whole contract as subtests of t. Each subtest calls open for
// a fresh, empty driver and closes it when the subtest ends (a Close that
// returns store.ErrClosed is accepted, since some subtests close the driver
// themselves). open may call t.Fatal; it should use t.TempDir and
// t.Cleanup for anything beyond the driver.
//
// Subtests do not call t.Parallel, so a failure is reproducible with
// -run 'TestX/Name' alone.
func Run(t *testing.T, open func(t *testing.T) store.Driver) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn(t, openDriver(t, open))
		})
	}
}

// cases are the subtests, in an order that puts the basic ones first so
// that the first failure is usually the most telling.
var cases = []struct {
	name string
	fn   func(t *testing.T, d store.Driver)
}{
	{"CRUD", testCRUD},
	{"Versions", testVersions},
	{"Timestamps", testTimestamps},
	{"Errors", testErrors},
	{"Kinds", testKinds},
	{"RecreateAfterDelete", testRecreate},
	{"Values", testValues},
	{"Limits", testLimits},
	{"Copies", testCopies},
	{"Invalid", testInvalid},
	{"ContextCanceled", testContextCanceled},
	{"RaceUpdate", testRaceUpdate},
	{"RaceDelete", testRaceDelete},
	{"RaceUpdateDelete", testRaceUpdateDelete},
	{"ConcurrentCreates", testConcurrentCreates},
	{"Paging", testPaging},
	{"PagingCursor", testPagingCursor},
	{"PagingConcurrentInserts", testPagingConcurrentInserts},
	{"Filters", testFilters},
	{"FilterUnicode", testFilterUnicode},
	{"FilterMissingAttr", testFilterMissing},
	{"Count", testCount},
	{"CountEmpty", testCountEmpty},
	{"Batch", testBatch},
	{"BatchAtomic", testBatchAtomic},
	{"Closed", testClosed},
}

func openDriver(t *testing.T, open func(t *testing.T) store.Driver) store.Driver {
	t.Helper()
	d := open(t)
	if d == nil {
		t.Fatal("storetest: open returned a nil driver")
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil && !errors.Is(err, store.ErrClosed) {
			t.Errorf("Close: %v", err)
		}
	})
	return d
}

// kindA and kindB are the kinds the suite writes; two, so that it can check
// that kinds do not see each other.
const (
	kindA = "storetest"
	kindB = "storetest.other"
)

// t0 has microseconds, the finest precision the contract promises.
var t0 = time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)

// rec builds a valid record of kindA for Create.
func rec(id string, body string, attrs map[string]string) store.Record {
	return store.Record{Kind: kindA, ID: id, Body: []byte(body), Attrs: attrs, Created: t0, Updated: t0}
}

// idOf names the i-th record so that ID order is numeric order.
func idOf(i int) string { return fmt.Sprintf("r%05d", i) }

func mustCreate(t *testing.T, d store.Driver, r store.Record) store.Record {
	t.Helper()
	got, err := d.Create(context.Background(), r)
	if err != nil {
		t.Fatalf("Create %s/%s: %v", r.Kind, r.ID, err)
	}
	return got
}

func mustGet(t *testing.T, d store.Driver, kind, id string) store.Record {
	t.Helper()
	got, err := d.Get(context.Background(), kind, id)
	if err != nil {
		t.Fatalf("Get %s/%s: %v", kind, id, err)
	}
	return got
}

func mustUpdate(t *testing.T, d store.Driver, r store.Record) store.Record {
	t.Helper()
	got, err := d.Update(context.Background(), r)
	if err != nil {
		t.Fatalf("Update %s/%s v%d: %v", r.Kind, r.ID, r.Version, err)
	}
	return got
}

// wantGone fails unless kind/id is not stored.
func wantGone(t *testing.T, d store.Driver, kind, id string) {
	t.Helper()
	if r, err := d.Get(context.Background(), kind, id); !errors.Is(err, store.ErrNotFound) {
		if err == nil {
			t.Fatalf("Get %s/%s, which must not be stored (deleted, or never validly written): found version %d; %s", kind, id, r.Version, contract(store.ErrNotFound))
		}
		t.Fatalf("Get %s/%s, which must not be stored (deleted, or never validly written): %s; %s", kind, id, gotErr(err), contract(store.ErrNotFound))
	}
}

// wantErr fails unless err wraps target and, when names are given, its
// message contains each of them (the kind and ID it is about).
func wantErr(t *testing.T, what string, err, target error, names ...string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: %s; %s", what, gotErr(err), contract(target))
	}
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("%s: error %q does not name %q; the contract says an error names the kind and ID it is about", what, err, n)
		}
	}
}

// sameRecord compares what a driver must keep: everything but a nil/empty
// distinction of Attrs and Body, and times by Equal.
func sameRecord(a, b store.Record) string {
	var d []string
	if a.Kind != b.Kind || a.ID != b.ID {
		d = append(d, fmt.Sprintf("key %s/%s != %s/%s", a.Kind, a.ID, b.Kind, b.ID))
	}
	if a.Version != b.Version {
		d = append(d, fmt.Sprintf("version %d != %d", a.Version, b.Version))
	}
	if !sameAttrs(a.Attrs, b.Attrs) {
		d = append(d, fmt.Sprintf("attrs %q != %q", a.Attrs, b.Attrs))
	}
	if string(a.Body) != string(b.Body) {
		d = append(d, fmt.Sprintf("body (%d bytes) %s != (%d bytes) %s", len(a.Body), short(a.Body), len(b.Body), short(b.Body)))
	}
	if !a.Created.Equal(b.Created) {
		d = append(d, fmt.Sprintf("created %s != %s", a.Created.Format(time.RFC3339Nano), b.Created.Format(time.RFC3339Nano)))
	}
	if !a.Updated.Equal(b.Updated) {
		d = append(d, fmt.Sprintf("updated %s != %s", a.Updated.Format(time.RFC3339Nano), b.Updated.Format(time.RFC3339Nano)))
	}
	return strings.Join(d, "; ")
}

func sameAttrs(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func short(b []byte) string {
	if len(b) > 40 {
		return fmt.Sprintf("%q...", b[:40])
	}
	return fmt.Sprintf("%q", b)
}

func wantRecord(t *testing.T, what string, got, want store.Record) {
	t.Helper()
	if diff := sameRecord(got, want); diff != "" {
		t.Fatalf("%s: the record differs from what was written (%s); the contract says a driver keeps kind, ID, attributes, body and times as given, and counts versions from 1", what, diff)
	}
}

// listAll pages through q from its cursor on and returns every record,
// checking the paging rules on each page.
func listAll(t *testing.T, d store.Driver, kind string, q store.Query) []store.Record {
	t.Helper()
	limit := q.Limit
	if limit == 0 {
		limit = store.DefaultLimit
	}
	var all []store.Record
	for pages := 0; ; pages++ {
		if pages > 100000 {
			t.Fatalf("List %s: no last page after %d pages", kind, pages)
		}
		p, err := d.List(context.Background(), kind, q)
		if err != nil {
			t.Fatalf("List %s %+v: %v", kind, q, err)
		}
		checkPage(t, kind, q, limit, p, pages > 0)
		all = append(all, p.Records...)
		if p.Next == "" {
			return all
		}
		q.After = p.Next
	}
}

// checkPage checks one page: size, order, cursor and filters.
func checkPage(t *testing.T, kind string, q store.Query, limit int, p store.Page, later bool) {
	t.Helper()
	if len(p.Records) > limit {
		t.Fatalf("List %s: a page of %d records with limit %d; the contract says a page holds at most Limit records", kind, len(p.Records), limit)
	}
	if p.Next != "" && len(p.Records) < limit {
		t.Fatalf("List %s: a page of %d records, fewer than the limit %d, has Next %q; the contract says only the last page may be short, and it has Next \"\"", kind, len(p.Records), limit, p.Next)
	}
	if later && len(p.Records) == 0 {
		t.Fatalf("List %s: an empty page after a page with Next; the contract says Next is \"\" on the last page, so a page with Next is never followed by an empty one", kind)
	}
	for i, r := range p.Records {
		if r.Kind != kind {
			t.Fatalf("List %s: returned %s/%s; the contract says a list returns records of its kind only", kind, r.Kind, r.ID)
		}
		if q.After != "" && !after(q.Order, r.ID, q.After) {
			t.Fatalf("List %s, %v, after %q: returned %q; the contract says a page starts at the first ID beyond the cursor in the query's order", kind, q.Order, q.After, r.ID)
		}
		if i > 0 && !after(q.Order, r.ID, p.Records[i-1].ID) {
			t.Fatalf("List %s, %v: %q follows %q; the contract says a page is strictly ordered by ID, %v", kind, q.Order, r.ID, p.Records[i-1].ID, q.Order)
		}
		if !matchAll(q.Filters, r.Attrs) {
			t.Fatalf("List %s: record %s with attributes %q does not match %s; the contract says a list returns only records that match every filter", kind, r.ID, r.Attrs, describeFilters(q.Filters))
		}
	}
}

// after reports whether id comes strictly after prev in order o.
func after(o store.Order, id, prev string) bool {
	if o == store.OrderDescending {
		return id < prev
	}
	return id > prev
}

// matchAll is the suite's own reading of the filter semantics, written
// apart from driverkit.Match so that a mistake there does not hide one
// in a driver.
func matchAll(fs []store.Filter, attrs map[string]string) bool {
	for _, f := range fs {
		v, ok := attrs[f.Attr]
		if !ok {
			return false
		}
		var m bool
		switch f.Op {
		case store.OpEq:
			m = v == f.Values[0]
		case store.OpIn:
			m = slices.Contains(f.Values, v)
		case store.OpGt:
			m = strings.Compare(v, f.Values[0]) > 0
		case store.OpGte:
			m = strings.Compare(v, f.Values[0]) >= 0
		case store.OpLt:
			m = strings.Compare(v, f.Values[0]) < 0
		case store.OpLte:
			m = strings.Compare(v, f.Values[0]) <= 0
		}
		if !m {
			return false
		}
	}
	return true
}

func ids(rs []store.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// all lists every record of kind, ascending.
func all(t *testing.T, d store.Driver, kind string) []store.Record {
	t.Helper()
	return listAll(t, d, kind, store.Query{Limit: store.MaxLimit})
}
