package file

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// rangeModel is what the driver must agree with: records by ID.
type rangeModel map[string]store.Record

func (m rangeModel) count(filters []store.Filter) int64 {
	var n int64
	for _, r := range m {
		if driverkit.MatchAll(filters, r.Attrs) {
			n++
		}
	}
	return n
}

func (m rangeModel) ids(filters []store.Filter, desc bool) []string {
	var ids []string
	for id, r := range m {
		if driverkit.MatchAll(filters, r.Attrs) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if desc {
		slices.Reverse(ids)
	}
	return ids
}

func rangeRec(rng *rand.Rand, id string) store.Record {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	at := t0.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
	return store.Record{Kind: "complaint", ID: id, Attrs: map[string]string{
		"received": store.TimeKey(at), "status": statuses[rng.IntN(len(statuses))],
	}, Body: []byte(id), Created: t0, Updated: t0}
}

// checkRange compares Count and every page of List, both orders, with the
// model, for a few periods.
func checkRange(t *testing.T, d *Driver, m rangeModel, rng *rand.Rand, step string) {
	t.Helper()
	for range 6 {
		from := time.Date(2025, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		to := from.Add(time.Duration(1+rng.IntN(40*24)) * time.Hour)
		filters := store.Between("received", store.TimeKey(from), store.TimeKey(to))
		switch rng.IntN(4) {
		case 0:
			filters = append(filters, store.Where("status", "open"))
		case 1:
			filters = []store.Filter{{Attr: "received", Op: store.OpGt, Values: []string{store.TimeKey(from)}}, {Attr: "received", Op: store.OpLte, Values: []string{store.TimeKey(to)}}}
		}
		gs, err := d.Count(ctx, "complaint", filters)
		if err != nil {
			t.Fatal(err)
		}
		if want := m.count(filters); gs[0].Count != want {
			t.Fatalf("%s: Count(%v) = %d, want %d", step, filters, gs[0].Count, want)
		}
		for _, desc := range []bool{false, true} {
			q := store.Query{Filters: filters, Limit: 1 + rng.IntN(150)}
			if desc {
				q.Order = store.OrderDescending
			}
			var got []string
			for {
				p, err := d.List(ctx, "complaint", q)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range p.Records {
					got = append(got, r.ID)
					if w := m[r.ID]; w.Attrs["received"] != r.Attrs["received"] || string(r.Body) != r.ID {
						t.Fatalf("%s: List gave %s with %v, want %v", step, r.ID, r.Attrs, w.Attrs)
					}
				}
				if p.Next == "" {
					break
				}
				q.After = p.Next
			}
			if want := m.ids(filters, desc); !slices.Equal(got, want) {
				t.Fatalf("%s: List(%v, desc %v) gave %d records, want %d", step, filters, desc, len(got), len(want))
			}
		}
	}
}

// TestRangeIndexModel checks counts and lists with range filters, served
// by a range index, against a model through inserts in and out of time
// order, updates that move a record in time or keep it, deletes and slot
// reuse, and a reopen.
func TestRangeIndexModel(t *testing.T) {
	dir := t.TempDir()
	// Durability is not what this tests: no fsync per write.
	d := mustOpen(t, dir, WithSyncInterval(-1))
	rng := rand.New(rand.NewPCG(7, 8))
	m := rangeModel{}
	n := 0
	create := func(k int) {
		var ws []store.Write
		for range k {
			r := rangeRec(rng, fmt.Sprintf("01K%023d", n))
			n++
			ws = append(ws, store.Write{Action: store.ActionCreate, Record: r})
		}
		out, err := d.Batch(ctx, ws)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out {
			m[r.ID] = r
		}
	}
	create(3 * minRangeRecords)
	checkRange(t, d, m, rng, "after creates")
	if p := d.planRange(d.kinds["complaint"], store.Between("received", "2025-03", "2025-04")); p == nil {
		t.Fatal("no range index after a range query on a large kind")
	}
	for round := range 3 {
		ids := slices.Collect(func(yield func(string) bool) {
			for id := range m {
				if !yield(id) {
					return
				}
			}
		})
		slices.Sort(ids)
		for i := range 1000 {
			id := ids[rng.IntN(len(ids))]
			r, ok := m[id]
			if !ok {
				continue
			}
			switch i % 3 {
			case 0:
				if err := d.Delete(ctx, "complaint", id, r.Version); err != nil {
					t.Fatal(err)
				}
				delete(m, id)
			case 1:
				r.Attrs = rangeRec(rng, id).Attrs
				fallthrough
			default:
				r.Attrs = cloneAttrs(r.Attrs)
				r.Attrs["status"] = statuses[rng.IntN(len(statuses))]
				out, err := d.Update(ctx, r)
				if err != nil {
					t.Fatal(err)
				}
				m[id] = out
			}
		}
		create(700)
		checkRange(t, d, m, rng, fmt.Sprintf("round %d", round))
	}
	d.Close()
	d = mustOpen(t, dir)
	checkRange(t, d, m, rng, "after reopen")
	if err := d.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	checkRange(t, d, m, rng, "after compaction")
}

// TestRangeIndexCostsThePeriod checks that a period's count visits the
// period's records, not the kind's: the plan's estimate is the period.
func TestRangeIndexCostsThePeriod(t *testing.T) {
	d := mustOpen(t, t.TempDir())
	rng := rand.New(rand.NewPCG(1, 1))
	var ws []store.Write
	for i := range 10_000 {
		ws = append(ws, store.Write{Action: store.ActionCreate, Record: rangeRec(rng, fmt.Sprintf("01K%023d", i))})
		if len(ws) == 1000 {
			if _, err := d.Batch(ctx, ws); err != nil {
				t.Fatal(err)
			}
			ws = ws[:0]
		}
	}
	f := store.Between("received", store.TimeKey(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)), store.TimeKey(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)))
	gs, err := d.Count(ctx, "complaint", f)
	if err != nil {
		t.Fatal(err)
	}
	d.mu.RLock()
	p := d.planRange(d.kinds["complaint"], f)
	d.mu.RUnlock()
	if p == nil {
		t.Fatal("no range plan")
	}
	if est := int64(p.estimate()); est < gs[0].Count || est > gs[0].Count+int64(len(p.ri.delta)) {
		t.Fatalf("plan visits %d records for a period of %d", est, gs[0].Count)
	}
}

func TestSelectFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		n := 1 + rng.IntN(300)
		s := make([]uint32, n)
		for i := range s {
			s[i] = uint32(rng.IntN(50))
		}
		k := 1 + rng.IntN(n)
		want := slices.Sorted(slices.Values(s))[:k]
		selectFirst(s, k, func(a, b uint32) int { return int(a) - int(b) })
		got := slices.Sorted(slices.Values(s[:k]))
		if !slices.Equal(got, want) {
			t.Fatalf("selectFirst k=%d: %v, want %v", k, got, want)
		}
	}
}

// TestRangeIndexOrderedModel is TestRangeIndexModel for the common case,
// received times that follow the IDs (with a few out of order, and updates
// that move records in time), where a page is found by walking the kind in
// ID order between the period's first and last records.
func TestRangeIndexOrderedModel(t *testing.T) {
	d := mustOpen(t, t.TempDir(), WithSyncInterval(-1))
	rng := rand.New(rand.NewPCG(11, 12))
	m := rangeModel{}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var ws []store.Write
	for i := range 6000 {
		r := rangeRec(rng, fmt.Sprintf("01K%023d", i))
		if rng.IntN(50) != 0 { // one in fifty keeps its random time
			r.Attrs["received"] = store.TimeKey(t0.Add(time.Duration(i) * 87 * time.Minute))
		}
		ws = append(ws, store.Write{Action: store.ActionCreate, Record: r})
		m[r.ID] = r
		if len(ws) == 500 {
			out, err := d.Batch(ctx, ws)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out {
				m[r.ID] = r
			}
			ws = ws[:0]
		}
	}
	checkRange(t, d, m, rng, "ordered")
	for id, r := range m {
		if rng.IntN(20) == 0 {
			r.Attrs = cloneAttrs(r.Attrs)
			r.Attrs["received"] = rangeRec(rng, id).Attrs["received"]
			out, err := d.Update(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			m[id] = out
		}
	}
	checkRange(t, d, m, rng, "ordered, some moved")
}
