package complaints

import (
	"math"
	"testing"
	"time"
)

// logAt logs a complaint received at t about product, in category.
func logAt(t testing.TB, f *fixture, at time.Time, category, product string, madeBy MadeBy) {
	t.Helper()
	n := sampleNew()
	n.Received, n.Category, n.MadeBy = at, category, madeBy
	n.DirectedAt = Target{Kind: TargetKindProduct, Name: product}
	f.must(f.svc.Log(f.ctx, n))
}

// Issue 14: on a Wednesday the week so far was compared with the whole of
// last week, and a steady flow of complaints read as a fall of more than
// half.
func TestTrendComparesTheUnfinishedWeekLikeWithLike(t *testing.T) {
	f := newFixture(t)
	wednesday := time.Date(2026, 11, 4, 12, 0, 0, 0, time.UTC)
	f.clock.Set(wednesday)
	for d := time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC); d.Before(wednesday); d = d.AddDate(0, 0, 1) {
		logAt(t, f, d, "delivery", "Kettle K2", MadeByPublic)
		logAt(t, f, d.Add(time.Hour), "delivery", "Kettle K2", MadeByPublic)
	}
	tr, err := f.svc.Trend(f.ctx, time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC), wednesday.AddDate(0, 0, 7), GranularityWeek)
	if err != nil {
		t.Fatal(err)
	}
	last := tr[len(tr)-1]
	if !last.Partial || last.Count != 6 || last.Previous != 6 || last.ChangePct != 0 {
		t.Errorf("the week under way: %+v; want partial, 6 against last week's first 2.5 days (6), no change", last)
	}
	for _, p := range tr[:len(tr)-1] {
		if p.Partial || p.Count != 14 || p.ChangePct != 0 {
			t.Errorf("whole week %s: %+v", p.Start.Format(time.DateOnly), p)
		}
	}
	if !last.End.After(wednesday) || last.Start.After(wednesday) {
		t.Errorf("buckets run past the present: last %s to %s", last.Start, last.End)
	}
	m, err := f.svc.Trend(f.ctx, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), wednesday, GranularityMonth)
	if err != nil {
		t.Fatal(err)
	}
	// November so far (3.5 days, 8 complaints) against the same part of
	// October (from the 5th on: the first two days of 1-4 October had none).
	if nov := m[len(m)-1]; !nov.Partial || nov.Count != 8 || math.IsNaN(nov.ChangePct) && nov.Previous != 0 {
		t.Errorf("November so far: %+v", nov)
	}
}

func TestTrendByCrossTabAndRecurring(t *testing.T) {
	f := newFixture(t)
	f.clock.Set(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC))
	start := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC) // a Monday
	// The kettle comes back five weeks out of six; the toaster has one
	// bad week.
	for w := range 6 {
		monday := start.AddDate(0, 0, 7*w)
		if w != 3 {
			logAt(t, f, monday, "faulty product", "Kettle K2", MadeByRegular)
		}
		if w == 2 {
			for i := range 5 {
				logAt(t, f, monday.Add(time.Duration(i)*time.Hour), "faulty product", "Toaster T1", MadeByPublic)
			}
		}
		logAt(t, f, monday.Add(30*time.Minute), "delivery", "Fridge F9", MadeByCorporate)
	}
	from, to := start.Add(-9*time.Hour), start.AddDate(0, 0, 42).Add(-9*time.Hour)
	series, err := f.svc.TrendBy(f.ctx, from, to, GranularityWeek, DimensionProduct)
	if err != nil {
		t.Fatal(err)
	}
	totals := map[string]int64{}
	for _, se := range series {
		totals[se.Value] = se.Total
		if len(se.Points) != 6 {
			t.Errorf("%s: %d weekly points, want 6", se.Value, len(se.Points))
		}
	}
	if totals["Kettle K2"] != 5 || totals["Toaster T1"] != 5 || totals["Fridge F9"] != 6 || len(totals) != 3 {
		t.Errorf("by product: %v", totals)
	}
	ct, err := f.svc.CrossTab(f.ctx, from, to, DimensionCategory, DimensionMadeBy)
	if err != nil {
		t.Fatal(err)
	}
	cell := func(r, c string) int64 {
		for i, rv := range ct.RowValues {
			for j, cv := range ct.ColValues {
				if rv == r && cv == c {
					return ct.Counts[i][j]
				}
			}
		}
		return 0
	}
	if ct.Total != 16 || cell("faulty product", string(MadeByRegular)) != 5 || cell("faulty product", string(MadeByPublic)) != 5 || cell("delivery", string(MadeByCorporate)) != 6 {
		t.Errorf("cross-tab %+v", ct)
	}
	rec, err := f.svc.Recurring(f.ctx, from, to, GranularityWeek, DimensionProduct)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec) != 2 || rec[0].Value != "Fridge F9" || rec[1].Value != "Kettle K2" || rec[1].In != 5 || rec[1].Of != 6 {
		t.Errorf("recurring products %+v, want the fridge (6 of 6 weeks) and the kettle (5 of 6), not the toaster", rec)
	}
}
