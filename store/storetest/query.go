package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// pagingLimits are page sizes around the edges of a 57-record kind.
var pagingLimits = []int{0, 1, 2, 7, 56, 57, 58, store.MaxLimit}

func testPaging(t *testing.T, d store.Driver) {
	const n = 57
	var want []string
	for i := range n {
		j := i * 23 % n // insert out of order: the list must sort, not replay arrival
		mustCreate(t, d, rec(idOf(j), fmt.Sprint(j), map[string]string{"odd": fmt.Sprint(j % 2)}))
		want = append(want, idOf(i))
	}
	rev := slices.Clone(want)
	slices.Reverse(rev)
	for _, limit := range pagingLimits {
		for _, o := range []store.Order{store.OrderAscending, store.OrderDescending} {
			got := ids(listAll(t, d, kindA, store.Query{Limit: limit, Order: o}))
			w := want
			if o == store.OrderDescending {
				w = rev
			}
			if !slices.Equal(got, w) {
				t.Fatalf("List %v, %d a page: got IDs %q; the contract says every record, each once, ordered by ID %v: %q", o, limit, got, o, w)
			}
			// with a filter, so that pages skip records
			got = ids(listAll(t, d, kindA, store.Query{Limit: limit, Order: o, Filters: []store.Filter{store.Where("odd", "1")}}))
			var wf []string
			for _, id := range w {
				if (id[len(id)-1]-'0')%2 == 1 {
					wf = append(wf, id)
				}
			}
			if !slices.Equal(got, wf) {
				t.Fatalf("List %v, %d a page, where odd = 1: got IDs %q; the contract says every matching record, each once, ordered by ID %v: %q", o, limit, got, o, wf)
			}
		}
	}
}

func testPagingCursor(t *testing.T, d store.Driver) {
	ctx := context.Background()
	// Even IDs only, so that odd ones are cursors naming no record.
	var even []string
	for i := 0; i < 40; i += 2 {
		mustCreate(t, d, rec(idOf(i), "{}", nil))
		even = append(even, idOf(i))
	}
	from := func(o store.Order, cursor string) []string {
		var w []string
		for _, id := range even {
			if after(o, id, cursor) {
				w = append(w, id)
			}
		}
		if o == store.OrderDescending {
			slices.Reverse(w)
		}
		return w
	}
	for _, cursor := range []string{"0", idOf(0), idOf(1), idOf(13), idOf(20), idOf(38), idOf(39), "s", "zzz"} {
		for _, o := range []store.Order{store.OrderAscending, store.OrderDescending} {
			for _, limit := range []int{1, 3, store.MaxLimit} {
				got := ids(listAll(t, d, kindA, store.Query{After: cursor, Order: o, Limit: limit}))
				if w := from(o, cursor); !slices.Equal(got, w) {
					t.Fatalf("List %v after %q, %d a page: got IDs %q; the contract says the pages hold every ID beyond the cursor in that order, whether or not the cursor names a record: %q", o, cursor, limit, got, w)
				}
			}
		}
	}
	// The record a cursor names may be deleted before the next page.
	p, err := d.List(ctx, kindA, store.Query{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Records) != 5 || p.Next == "" {
		t.Fatalf("first page: %d records, Next %q", len(p.Records), p.Next)
	}
	last := p.Records[4]
	if err := d.Delete(ctx, kindA, last.ID, last.Version); err != nil {
		t.Fatal(err)
	}
	rest := ids(listAll(t, d, kindA, store.Query{Limit: 5, After: p.Next}))
	if !slices.Equal(rest, even[5:]) {
		t.Fatalf("pages after a cursor whose record was deleted: got IDs %q; the contract says a cursor is a key, not a record, so the next pages are %q", rest, even[5:])
	}
}

// testPagingConcurrentInserts pages through a kind while other goroutines
// insert records before, between and after the ones present and update
// those: each record present at the start must be seen exactly once, and no
// record twice.
func testPagingConcurrentInserts(t *testing.T, d store.Driver) {
	ctx := context.Background()
	const n = 150
	for _, o := range []store.Order{store.OrderAscending, store.OrderDescending} {
		kind := kindA
		if o == store.OrderDescending {
			kind = kindB
		}
		initial := map[string]bool{}
		for i := range n {
			id := idOf(3*i + 1)
			r := rec(id, "initial", nil)
			r.Kind = kind
			mustCreate(t, d, r)
			initial[id] = true
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var writeErr error
		var errOnce sync.Once
		fail := func(err error) { errOnce.Do(func() { writeErr = err }) }
		wg.Go(func() { // insert around the initial records, in a scattered order
			for i := range 2 * n {
				select {
				case <-stop:
					return
				default:
				}
				j := i * 7 % (2 * n)
				id := idOf(3*(j/2) + 2*(j%2)) // 3k or 3k+2
				r := rec(id, "inserted", nil)
				r.Kind = kind
				if _, err := d.Create(ctx, r); err != nil {
					fail(err)
					return
				}
			}
		})
		wg.Go(func() { // update the initial records, which must not move them
			for i := range n {
				select {
				case <-stop:
					return
				default:
				}
				id := idOf(3*(i*11%n) + 1)
				g, err := d.Get(ctx, kind, id)
				if err == nil {
					g.Body = []byte("updated")
					_, err = d.Update(ctx, g)
				}
				if err != nil {
					fail(err)
					return
				}
			}
		})
		seen := map[string]int{}
		q := store.Query{Order: o, Limit: 7}
		for pages := 0; ; pages++ {
			p, err := d.List(ctx, kind, q)
			if err != nil {
				close(stop)
				wg.Wait()
				t.Fatalf("List page %d: %v", pages, err)
			}
			checkPage(t, kind, q, 7, p, pages > 0)
			for _, r := range p.Records {
				seen[r.ID]++
			}
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		close(stop)
		wg.Wait()
		if writeErr != nil {
			t.Fatalf("concurrent writer: %v", writeErr)
		}
		for id, c := range seen {
			if c != 1 {
				t.Errorf("paging %v while others insert: %s seen %d times; the contract says paging never shows a record twice", o, id, c)
			}
		}
		for id := range initial {
			if seen[id] != 1 {
				t.Errorf("paging %v while others insert: %s, stored before paging began, seen %d times; the contract says paging shows every such record exactly once", o, id, seen[id])
			}
		}
	}
}

// filterRec is one record of testFilters, with its attributes as the
// values they encode, so that expectations are computed in Go numbers and
// times rather than from the encoded strings.
type filterRec struct {
	id      string
	n       int64
	hasN    bool
	tm      time.Time
	hasT    bool
	cat     string
	hasCat  bool
	hasE    bool
	missing bool // no attributes at all
}

func filterData(t *testing.T, d store.Driver) []filterRec {
	var recs []filterRec
	nums := []int64{math.MinInt64, -1 << 40, -1000, -256, -255, -16, -2, -1, 0, 1, 2, 15, 16, 255, 256, 1000, 1 << 40, math.MaxInt64}
	for i := range 48 {
		f := filterRec{id: idOf(i)}
		attrs := map[string]string{}
		if i%8 != 7 {
			f.n, f.hasN = nums[i%len(nums)], true
			attrs["n"] = store.IntKey(f.n)
		}
		if i%7 != 3 {
			f.tm, f.hasT = t0.Add(time.Duration(i-24)*37*time.Hour+time.Duration(i)*time.Microsecond), true
			attrs["t"] = store.TimeKey(f.tm)
		}
		if i%5 != 4 {
			f.cat, f.hasCat = []string{"a", "b", "c"}[i%3], true
			attrs["cat"] = f.cat
		}
		if i%4 == 0 {
			f.hasE = true
			attrs["e"] = ""
		}
		if i == 47 {
			attrs, f = nil, filterRec{id: idOf(i), missing: true}
		}
		mustCreate(t, d, rec(f.id, "{}", attrs))
		recs = append(recs, f)
	}
	return recs
}

func testFilters(t *testing.T, d store.Driver) {
	recs := filterData(t, d)
	ik, tk := store.IntKey, store.TimeKey
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	cases := []struct {
		name    string
		filters []store.Filter
		want    func(f filterRec) bool
	}{
		{"none", nil, func(f filterRec) bool { return true }},
		{"cat eq a", []store.Filter{store.Where("cat", "a")}, func(f filterRec) bool { return f.hasCat && f.cat == "a" }},
		{"cat in a,c", []store.Filter{store.WhereIn("cat", "a", "c")}, func(f filterRec) bool { return f.hasCat && f.cat != "b" }},
		{"cat in x", []store.Filter{store.WhereIn("cat", "x")}, func(f filterRec) bool { return false }},
		{"n gt 1", []store.Filter{{Attr: "n", Op: store.OpGt, Values: []string{ik(1)}}}, func(f filterRec) bool { return f.hasN && f.n > 1 }},
		{"n gte -1", []store.Filter{{Attr: "n", Op: store.OpGte, Values: []string{ik(-1)}}}, func(f filterRec) bool { return f.hasN && f.n >= -1 }},
		{"n lt 0", []store.Filter{{Attr: "n", Op: store.OpLt, Values: []string{ik(0)}}}, func(f filterRec) bool { return f.hasN && f.n < 0 }},
		{"n lte 255", []store.Filter{{Attr: "n", Op: store.OpLte, Values: []string{ik(255)}}}, func(f filterRec) bool { return f.hasN && f.n <= 255 }},
		{"n eq min", []store.Filter{store.Where("n", ik(math.MinInt64))}, func(f filterRec) bool { return f.hasN && f.n == math.MinInt64 }},
		{"n gte min", []store.Filter{{Attr: "n", Op: store.OpGte, Values: []string{ik(math.MinInt64)}}}, func(f filterRec) bool { return f.hasN }},
		{"n gt max", []store.Filter{{Attr: "n", Op: store.OpGt, Values: []string{ik(math.MaxInt64)}}}, func(f filterRec) bool { return false }},
		{"n in [-16, 16)", store.Between("n", ik(-16), ik(16)), func(f filterRec) bool { return f.hasN && f.n >= -16 && f.n < 16 }},
		{"n in (-256, 256]", []store.Filter{{Attr: "n", Op: store.OpGt, Values: []string{ik(-256)}}, {Attr: "n", Op: store.OpLte, Values: []string{ik(256)}}},
			func(f filterRec) bool { return f.hasN && f.n > -256 && f.n <= 256 }},
		{"empty range", store.Between("n", ik(5), ik(5)), func(f filterRec) bool { return false }},
		{"t in [-100h, 100h)", store.Between("t", tk(h(-100)), tk(h(100))), func(f filterRec) bool {
			return f.hasT && !f.tm.Before(h(-100)) && f.tm.Before(h(100))
		}},
		{"t gt t0", []store.Filter{{Attr: "t", Op: store.OpGt, Values: []string{tk(t0)}}}, func(f filterRec) bool { return f.hasT && f.tm.After(t0) }},
		{"t lte t0+1µs", []store.Filter{{Attr: "t", Op: store.OpLte, Values: []string{tk(t0.Add(time.Microsecond))}}}, func(f filterRec) bool { return f.hasT && !f.tm.After(t0.Add(time.Microsecond)) }},
		{"cat b and n >= 0", []store.Filter{store.Where("cat", "b"), {Attr: "n", Op: store.OpGte, Values: []string{ik(0)}}},
			func(f filterRec) bool { return f.hasCat && f.cat == "b" && f.hasN && f.n >= 0 }},
		{"cat a and t < t0 and n != missing", append(store.Between("n", ik(math.MinInt64), ik(math.MaxInt64)), store.Where("cat", "a"), store.Filter{Attr: "t", Op: store.OpLt, Values: []string{tk(t0)}}),
			func(f filterRec) bool {
				return f.hasN && f.n != math.MaxInt64 && f.hasCat && f.cat == "a" && f.hasT && f.tm.Before(t0)
			}},
		{"e eq empty", []store.Filter{store.Where("e", "")}, func(f filterRec) bool { return f.hasE }},
		{"e lt a", []store.Filter{{Attr: "e", Op: store.OpLt, Values: []string{"a"}}}, func(f filterRec) bool { return f.hasE }},
		{"cat gte empty", []store.Filter{{Attr: "cat", Op: store.OpGte, Values: []string{""}}}, func(f filterRec) bool { return f.hasCat }},
		{"never stored attribute", []store.Filter{{Attr: "nope", Op: store.OpGte, Values: []string{""}}}, func(f filterRec) bool { return false }},
	}
	for _, c := range cases {
		var want []string
		for _, f := range recs {
			if c.want(f) {
				want = append(want, f.id)
			}
		}
		for _, limit := range []int{3, store.MaxLimit} {
			got := ids(listAll(t, d, kindA, store.Query{Filters: c.filters, Limit: limit}))
			if !slices.Equal(got, want) {
				t.Errorf("List where %s, %d a page: got IDs %q; the contract says exactly the records that match (a record without the attribute matches no filter on it): %q", describeFilters(c.filters), limit, got, want)
			}
		}
		got := ids(listAll(t, d, kindA, store.Query{Filters: c.filters, Order: store.OrderDescending, Limit: 4}))
		slices.Reverse(got)
		if !slices.Equal(got, want) {
			t.Errorf("List descending where %s: got IDs %q (reversed); the contract says the same records as ascending, in reverse: %q", describeFilters(c.filters), got, want)
		}
	}
}

// unicodeValues are compared byte-wise: "Z" < "a" < "z" < "é" < "ü" < "日本"
// < "🚀", whatever a database's collation says.
var unicodeValues = []string{"", "Z", "a", "aa", "z", "é", "e\u0301", "ü", "ß", "日本", "日本語", "🚀", "Zoë", "I", "ı", "İ"}

func testFilterUnicode(t *testing.T, d store.Driver) {
	for i, v := range unicodeValues {
		mustCreate(t, d, rec(idOf(i), "{}", map[string]string{"v": v}))
	}
	var cases [][]store.Filter
	for _, v := range []string{"a", "z", "é", "日本", "I", "Z", ""} {
		for _, op := range []store.Op{store.OpEq, store.OpGt, store.OpGte, store.OpLt, store.OpLte} {
			cases = append(cases, []store.Filter{{Attr: "v", Op: op, Values: []string{v}}})
		}
	}
	cases = append(cases,
		[]store.Filter{store.WhereIn("v", "é", "ü", "🚀", "missing")},
		[]store.Filter{store.WhereIn("v", "i", "ı")},
		store.Between("v", "é", "日本語"),
		store.Between("v", "a", "z"),
	)
	for _, fs := range cases {
		var want []string
		for i, v := range unicodeValues {
			if matchAll(fs, map[string]string{"v": v}) {
				want = append(want, idOf(i))
			}
		}
		got := ids(listAll(t, d, kindA, store.Query{Filters: fs}))
		if !slices.Equal(got, want) {
			t.Errorf("List where %s: got IDs %q; the contract says attributes compare byte by byte, whatever the database's collation: %q", describeFilters(fs), got, want)
		}
	}
}

// testFilterMissing checks that a record without an attribute matches no
// filter on it, where SQL drivers are tempted to store "" or NULL alike.
func testFilterMissing(t *testing.T, d store.Driver) {
	mustCreate(t, d, rec("has-empty", "{}", map[string]string{"x": ""}))
	mustCreate(t, d, rec("has-value", "{}", map[string]string{"x": "v"}))
	mustCreate(t, d, rec("lacks", "{}", map[string]string{"y": "v"}))
	mustCreate(t, d, rec("no-attrs", "{}", nil))
	top := strings.Repeat("\U0010FFFF", 4)
	for _, c := range []struct {
		f    store.Filter
		want []string
	}{
		{store.Where("x", ""), []string{"has-empty"}},
		{store.WhereIn("x", "", "v"), []string{"has-empty", "has-value"}},
		{store.Filter{Attr: "x", Op: store.OpGte, Values: []string{""}}, []string{"has-empty", "has-value"}},
		{store.Filter{Attr: "x", Op: store.OpLt, Values: []string{top}}, []string{"has-empty", "has-value"}},
		{store.Filter{Attr: "x", Op: store.OpLte, Values: []string{""}}, []string{"has-empty"}},
		{store.Filter{Attr: "x", Op: store.OpGt, Values: []string{""}}, []string{"has-value"}},
	} {
		got := ids(listAll(t, d, kindA, store.Query{Filters: []store.Filter{c.f}}))
		if !slices.Equal(got, c.want) {
			t.Errorf("List where %s: got IDs %q; the contract says a record without the attribute matches no filter on it, not even one against \"\": %q", describeFilters([]store.Filter{c.f}), got, c.want)
		}
	}
}

func testCount(t *testing.T, d store.Driver) {
	cn, ok := d.(store.Counter)
	if !ok {
		t.Skip("driver does not implement store.Counter")
	}
	months := []string{"2024-01", "2024-02", "2024-03", "2024-10"}
	for i := range 90 {
		attrs := map[string]string{"n": store.IntKey(int64(i))}
		if i%7 != 0 {
			attrs["cat"] = []string{"billing", "delivery", "quality", "Ünïcode"}[i%4]
		}
		if i%11 != 0 {
			attrs["month"] = months[i%len(months)]
		}
		mustCreate(t, d, rec(idOf(i), "{}", attrs))
	}
	// noise in another kind, which no count may include
	r := rec("other", "{}", map[string]string{"cat": "billing", "month": "2024-01"})
	r.Kind = kindB
	mustCreate(t, d, r)
	rs := all(t, d, kindA)
	filterSets := [][]store.Filter{
		nil,
		{store.Where("cat", "billing")},
		{{Attr: "n", Op: store.OpGte, Values: []string{store.IntKey(45)}}},
		store.Between("month", "2024-02", "2024-04"),
		{store.Where("cat", "none-such")},
	}
	for _, fs := range filterSets {
		for _, g := range [][]string{nil, {"cat"}, {"month"}, {"cat", "month"}, {"month", "cat"}, {"absent"}, {"cat", "absent"}} {
			got, err := cn.Count(context.Background(), kindA, fs, g...)
			if err != nil {
				t.Fatalf("Count %+v by %q: %v", fs, g, err)
			}
			want := bruteCount(rs, fs, g)
			if !sameGroups(got, want) {
				t.Errorf("Count where %s grouped by %q:\n got %v\nwant %v\nthe contract says one group per distinct value (\"\" where a record lacks the attribute), sorted by values byte-wise", describeFilters(fs), g, got, want)
			}
		}
	}
}

// bruteCount counts records as the contract says, the slow way.
func bruteCount(rs []store.Record, fs []store.Filter, groupBy []string) []store.Group {
	counts := map[string]*store.Group{}
	for _, r := range rs {
		if !matchAll(fs, r.Attrs) {
			continue
		}
		vals := make([]string, len(groupBy))
		for i, a := range groupBy {
			vals[i] = r.Attrs[a]
		}
		k := strings.Join(vals, "\x00")
		if counts[k] == nil {
			counts[k] = &store.Group{Values: vals}
		}
		counts[k].Count++
	}
	if len(groupBy) == 0 {
		if g := counts[""]; g != nil {
			return []store.Group{*g}
		}
		return []store.Group{{Values: []string{}, Count: 0}}
	}
	var out []store.Group
	for _, g := range counts {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b store.Group) int {
		for i := range a.Values {
			if c := strings.Compare(a.Values[i], b.Values[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}

func sameGroups(a, b []store.Group) bool {
	return slices.EqualFunc(a, b, func(x, y store.Group) bool {
		return x.Count == y.Count && slices.Equal(x.Values, y.Values)
	})
}

func testCountEmpty(t *testing.T, d store.Driver) {
	cn, ok := d.(store.Counter)
	if !ok {
		t.Skip("driver does not implement store.Counter")
	}
	ctx := context.Background()
	got, err := cn.Count(ctx, kindA, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Count != 0 || len(got[0].Values) != 0 {
		t.Fatalf("Count of an empty kind with no grouping: got %v; the contract says one group with no values and a count of 0", got)
	}
	got, err = cn.Count(ctx, kindA, nil, "cat")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("Count of an empty kind grouped by cat: got %v; the contract says no groups", got)
	}
	mustCreate(t, d, rec("one", "{}", nil))
	got, err = cn.Count(ctx, kindA, nil)
	if err != nil || len(got) != 1 || got[0].Count != 1 {
		t.Fatalf("Count of one record: %v, %v", got, err)
	}
	got, err = cn.Count(ctx, kindA, nil, "cat", "month")
	if err != nil || len(got) != 1 || got[0].Count != 1 || !slices.Equal(got[0].Values, []string{"", ""}) {
		t.Fatalf("Count of one record lacking both grouped attributes: got %v, %v; the contract says one group whose values are \"\" and \"\", counting 1", got, err)
	}
}

func testBatch(t *testing.T, d store.Driver) {
	b, ok := d.(store.Batcher)
	if !ok {
		t.Skip("driver does not implement store.Batcher")
	}
	x := mustCreate(t, d, rec("x", "x1", map[string]string{"a": "1"}))
	yr := rec("y", "y1", nil)
	yr.Kind = kindB
	mustCreate(t, d, yr)

	xu := x.Clone()
	xu.Body = []byte("x2")
	xu.Created = t0.Add(time.Hour) // ignored: Created stays
	xu.Updated = t0.Add(time.Minute)
	n2 := rec("n2", "n2", nil)
	n2.Kind = kindB
	res, err := b.Batch(context.Background(), []store.Write{
		{Action: store.ActionCreate, Record: rec("n1", "n1", map[string]string{"b": "2"})},
		{Action: store.ActionUpdate, Record: xu},
		{Action: store.ActionDelete, Record: store.Record{Kind: kindB, ID: "y", Version: 1}},
		{Action: store.ActionCreate, Record: n2},
	})
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	if len(res) != 4 {
		t.Fatalf("Batch of 4 writes returned %d records; the contract says one result per write, in order", len(res))
	}
	wn1 := rec2(rec("n1", "n1", map[string]string{"b": "2"}), 1)
	wx := rec2(xu, 2)
	wx.Created = x.Created
	wn2 := rec2(n2, 1)
	wantRecord(t, "Batch result 0 (create)", res[0], wn1)
	wantRecord(t, "Batch result 1 (update)", res[1], wx)
	if res[2].ID != "" || res[2].Version != 0 {
		t.Errorf("Batch result 2 (a delete): %s version %d; the contract says a delete's result is a zero Record", res[2].ID, res[2].Version)
	}
	wantRecord(t, "Batch result 3 (create)", res[3], wn2)
	wantRecord(t, "Get n1", mustGet(t, d, kindA, "n1"), wn1)
	wantRecord(t, "Get x", mustGet(t, d, kindA, "x"), wx)
	wantGone(t, d, kindB, "y")
	wantRecord(t, "Get n2", mustGet(t, d, kindB, "n2"), wn2)
}

func testBatchAtomic(t *testing.T, d store.Driver) {
	b, ok := d.(store.Batcher)
	if !ok {
		t.Skip("driver does not implement store.Batcher")
	}
	ctx := context.Background()
	e1 := mustCreate(t, d, rec("e1", "e1", map[string]string{"a": "1"}))
	e2 := mustCreate(t, d, rec("e2", "e2", nil))
	e1u := e1.Clone()
	e1u.Body = []byte("changed")
	create := func(id string) store.Write {
		return store.Write{Action: store.ActionCreate, Record: rec(id, "new", nil)}
	}
	for _, c := range []struct {
		name   string
		writes []store.Write
		want   error
	}{
		{"stale delete last", []store.Write{create("new1"), {Action: store.ActionUpdate, Record: e1u}, {Action: store.ActionDelete, Record: rec2(rec("e2", "", nil), 5)}}, store.ErrConflict},
		{"stale update first", []store.Write{{Action: store.ActionUpdate, Record: rec2(e1u, 9)}, create("new1"), {Action: store.ActionDelete, Record: e2}}, store.ErrConflict},
		{"create existing", []store.Write{create("new1"), {Action: store.ActionDelete, Record: e2}, create("e1")}, store.ErrAlreadyExists},
		{"update missing", []store.Write{create("new1"), {Action: store.ActionUpdate, Record: rec2(rec("ghost", "", nil), 1)}}, store.ErrNotFound},
		{"delete missing", []store.Write{{Action: store.ActionUpdate, Record: e1u}, {Action: store.ActionDelete, Record: rec2(rec("ghost", "", nil), 1)}}, store.ErrNotFound},
	} {
		_, err := b.Batch(ctx, c.writes)
		wantErr(t, "Batch "+c.name, err, c.want)
		wantGone(t, d, kindA, "new1")
		wantRecord(t, "e1 after failed batch "+c.name, mustGet(t, d, kindA, "e1"), e1)
		wantRecord(t, "e2 after failed batch "+c.name, mustGet(t, d, kindA, "e2"), e2)
	}
	// Racing batches on one version: one commits whole, the others nothing.
	errs := race(func(i int) error {
		u := e1.Clone()
		u.Body = fmt.Appendf(nil, "batch %d", i)
		_, err := b.Batch(ctx, []store.Write{{Action: store.ActionUpdate, Record: u}, create(fmt.Sprintf("race%02d", i))})
		return err
	})
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if winner >= 0 {
				t.Fatalf("batches %d and %d both updated version 1", winner, i)
			}
			winner = i
		case !errors.Is(err, store.ErrConflict):
			t.Fatalf("losing batch %d: %s; %s", i, gotErr(err), contract(store.ErrConflict))
		}
	}
	if winner < 0 {
		t.Fatal("no batch won")
	}
	for i := range racers {
		_, err := d.Get(ctx, kindA, fmt.Sprintf("race%02d", i))
		if (err == nil) != (i == winner) {
			t.Errorf("record of batch %d (winner %d): Get error %v", i, winner, err)
		}
	}
	if g := mustGet(t, d, kindA, "e1"); string(g.Body) != fmt.Sprintf("batch %d", winner) || g.Version != 2 {
		t.Fatalf("e1 after racing batches: version %d %q; the contract says the one batch that succeeded (%d) is what is stored", g.Version, g.Body, winner)
	}
}
