package complaints

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cxkit/cxkit/internal/stats"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
)

// seedLog logs n random complaints spread over October and November 2026
// (received times stepping forward), works some of them, and returns them
// as stored.
func seedLog(t testing.TB, f *fixture, n int, seed uint64) []Complaint {
	r := rand.New(rand.NewPCG(seed, 1))
	cats := []string{"delivery", "faulty product", "rude staff", "billing", "website"}
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	f.clock.Set(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC))
	var out []Complaint
	for i := range n {
		nw := Intake{
			Received:   start.Add(time.Duration(r.Int64N(int64(61 * 24 * time.Hour)))),
			Channel:    Channels()[r.IntN(len(Channels()))],
			Customer:   Customer{Ref: fmt.Sprintf("crm-%d", r.IntN(n/2+1))},
			Summary:    fmt.Sprintf("complaint %d", i),
			Category:   cats[min(r.IntN(8), len(cats)-1)], // skewed: a Pareto has a head
			MadeBy:     MadeBys()[r.IntN(len(MadeBys()))],
			DirectedAt: Target{Kind: TargetKinds()[r.IntN(len(TargetKinds()))]},
			Severity:   Severities()[r.IntN(len(Severities()))],
			By:         "loader",
		}
		c, err := f.svc.Log(f.ctx, nw)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	// Work a third of them with times set by the clock.
	for i := range out {
		if i%3 != 0 {
			continue
		}
		c := out[i]
		f.clock.Set(c.Received.Add(time.Duration(1+r.IntN(30)) * time.Hour))
		in := Input{By: "agent"}
		c = f.must(f.svc.Investigate(f.ctx, c.ID, in))
		c = f.must(f.svc.Acknowledge(f.ctx, c.ID, "agent", in))
		if i%2 == 0 {
			c = f.must(f.svc.Escalate(f.ctx, c.ID, 1, in))
		}
		c = f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindApology, By: remedy.Actor{Name: "agent", Role: "agent"}}, 0))
		f.clock.Advance(time.Duration(r.IntN(40)) * time.Hour)
		c = f.must(f.svc.Notify(f.ctx, c.ID, "phone", in))
		if i%9 == 0 {
			c = f.must(f.svc.Refer(f.ctx, c.ID, Referral{Body: "Ombudsman", BodyKind: BodyKindOmbudsman}, in))
		}
		if i%9 == 3 { // closed, then reopened: its earlier breaches must still count
			c = f.must(f.svc.FollowUp(f.ctx, c.ID, false, in))
			c = f.must(f.svc.Close(f.ctx, c.ID, "", in))
			f.clock.Advance(time.Duration(r.IntN(100)) * time.Hour)
			c = f.must(f.svc.Reopen(f.ctx, c.ID, Input{By: "agent", Note: "came back"}))
		}
		out[i] = c
	}
	f.clock.Set(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC))
	return out
}

func TestAnalysisAgainstBruteForce(t *testing.T) {
	f := newFixture(t)
	all := seedLog(t, f, 600, 7)
	from, to := time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	var in []Complaint
	for _, c := range all {
		if !c.Received.Before(from) && c.Received.Before(to) {
			in = append(in, c)
		}
	}
	value := func(c Complaint, d Dimension) string {
		return f.svc.index(&c)[string(d)]
	}
	for _, d := range Dimensions() {
		brute := map[string]int64{}
		for _, c := range in {
			if v := value(c, d); v != "" || d != DimensionProduct { // a complaint not about a product has no product
				brute[v]++
			}
		}
		cs, err := f.svc.Counts(f.ctx, from, to, d)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for i, c := range cs {
			got[c.Value] = c.Count
			if i > 0 && cs[i-1].Count < c.Count {
				t.Errorf("%s counts not in descending order", d)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(brute) {
			t.Errorf("%s: counts %v, brute force %v", d, got, brute)
		}
	}
	p, err := f.svc.Pareto(f.ctx, from, to, DimensionCategory)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != int64(len(in)) || math.Abs(p.Rows[len(p.Rows)-1].Cumulative-1) > 1e-9 || p.Rows[0].Value != "website" {
		t.Errorf("pareto total %d (want %d), head %q, last cumulative %v", p.Total, len(in), p.Rows[0].Value, p.Rows[len(p.Rows)-1].Cumulative)
	}
	var cum float64
	for _, r := range p.Rows {
		cum += r.Share
		if math.Abs(cum-r.Cumulative) > 1e-9 {
			t.Errorf("row %s cumulative %v, running sum %v", r.Value, r.Cumulative, cum)
		}
	}
	if v := p.Vital(0.5); len(v) == 0 || v[len(v)-1].Cumulative < 0.5 || (len(v) > 1 && v[len(v)-2].Cumulative >= 0.5) {
		t.Errorf("vital few %+v", v)
	}

	sum, err := f.svc.Summarise(f.ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var ack, res []float64
	customers := map[string]int{}
	var esc, ext, resolved, fcr, breached, pastLate int
	for _, c := range in {
		customers[c.Customer.Ref]++
		if !c.Acknowledged.IsZero() {
			ack = append(ack, c.Acknowledged.Sub(c.Received).Hours())
		}
		if !c.Resolved.IsZero() {
			res = append(res, c.Resolved.Sub(c.Received).Hours())
			resolved++
			if c.Resolved.Sub(c.Received) <= 24*time.Hour && c.Level == 0 && c.Referral == nil {
				fcr++
			}
		}
		if c.Level > 0 {
			esc++
		}
		if c.Referral != nil {
			ext++
		}
		late := len(c.PastBreaches) > 0
		if late {
			pastLate++
		}
		for _, b := range c.Breached {
			late = late || b
		}
		for _, d := range f.svc.Deadlines(&c, f.clock.Now()) {
			late = late || d.State == DeadlineStateBreached || d.State == DeadlineStateMissed
		}
		if late {
			breached++
		}
	}
	var repeat int
	for _, n := range customers {
		if n >= 2 {
			repeat++
		}
	}
	n := float64(len(in))
	checks := []struct {
		name      string
		got, want float64
	}{
		{"total", float64(sum.Total), n},
		{"ack median", sum.Acknowledgement.Median, stats.Median(ack)},
		{"ack p90", sum.Acknowledgement.P90, stats.Quantile(ack, 0.9)},
		{"resolution median", sum.Resolution.Median, stats.Median(res)},
		{"resolution p90", sum.Resolution.P90, stats.Quantile(res, 0.9)},
		{"repeat complainants", float64(sum.RepeatComplainants), float64(repeat)},
		{"escalated", sum.ShareEscalated, float64(esc) / n},
		{"external", sum.ShareEscalatedExternally, float64(ext) / n},
		{"resolved", float64(sum.Resolved), float64(resolved)},
		{"first contact", sum.FirstContactResolution, float64(fcr) / float64(resolved)},
		{"breach rate", sum.BreachRate, float64(breached) / n},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, brute force %v", c.name, c.got, c.want)
		}
	}
	if resolved == 0 || ext == 0 || esc == 0 || repeat == 0 || pastLate == 0 {
		t.Fatalf("seed too thin to test: resolved %d ext %d esc %d repeat %d late before reopening %d", resolved, ext, esc, repeat, pastLate)
	}

	// Trends: every granularity against counting by hand.
	for _, g := range []Granularity{GranularityDay, GranularityWeek, GranularityMonth} {
		tr, err := f.svc.Trend(f.ctx, from, to, g)
		if err != nil {
			t.Fatal(err)
		}
		var prevStart time.Time
		for i, p := range tr {
			var want, prev int64
			for _, c := range all {
				if !c.Received.Before(p.Start) && c.Received.Before(p.End) {
					want++
				}
				if i == 0 && !c.Received.Before(f.svc.bucketStart(p.Start.Add(-time.Nanosecond), g)) && c.Received.Before(p.Start) {
					prev++
				}
			}
			if p.Count != want {
				t.Errorf("%s bucket %s: %d, want %d", g, p.Start, p.Count, want)
			}
			if i > 0 && (p.Previous != tr[i-1].Count || !p.Start.Equal(tr[i-1].End)) {
				t.Errorf("%s bucket %s: previous %d, want %d", g, p.Start, p.Previous, tr[i-1].Count)
			}
			if i == 0 && p.Previous != prev {
				t.Errorf("%s first bucket previous %d, want %d", g, p.Previous, prev)
			}
			if p.Change != p.Count-p.Previous {
				t.Errorf("change %d", p.Change)
			}
			if g == GranularityWeek && p.Start.Weekday() != time.Monday {
				t.Errorf("week starts %s", p.Start.Weekday())
			}
			prevStart = p.Start
		}
		if prevStart.IsZero() || !tr[len(tr)-1].End.After(to.Add(-time.Nanosecond)) {
			t.Errorf("%s trend does not cover the period", g)
		}
	}
}

func TestAnalysisRejectsBadArguments(t *testing.T) {
	f := newFixture(t)
	from := monday
	if _, err := f.svc.Counts(f.ctx, from, from, DimensionCategory); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty period: %v", err)
	}
	if _, err := f.svc.Counts(f.ctx, from, from.Add(time.Hour), "colour"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown dimension: %v", err)
	}
	if _, err := f.svc.Trend(f.ctx, from, from.Add(time.Hour), "fortnight"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown granularity: %v", err)
	}
	tr, err := f.svc.Trend(f.ctx, from, from.Add(time.Hour), GranularityDay)
	if err != nil || len(tr) != 1 || tr[0].Count != 0 || !math.IsNaN(tr[0].ChangePct) {
		t.Errorf("empty trend %+v, %v", tr, err)
	}
}

// TestSummaryTimesInBusinessHours: over a weekend the calendar hours and
// the business hours differ, and each is reported.
func TestSummaryTimesInBusinessHours(t *testing.T) {
	f := newFixture(t)
	f.clock.Set(at(6, 16, 0)) // Friday 16:00
	c := f.log()
	f.clock.Set(at(9, 10, 0)) // Monday 10:00: 66 calendar hours, 2 business hours
	in := Input{By: "Maria"}
	f.must(f.svc.Investigate(f.ctx, c.ID, in))
	f.must(f.svc.Acknowledge(f.ctx, c.ID, "Maria", in))
	f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindApology, By: remedy.Actor{Name: "Maria", Role: "agent"}}, 0))
	f.clock.Set(at(10, 11, 0)) // Tuesday 11:00: 91 calendar hours, 11 business hours
	f.must(f.svc.Notify(f.ctx, c.ID, "phone", in))

	from, to := at(6, 0, 0), at(7, 0, 0)
	sum, err := f.svc.Summarise(f.ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"acknowledgement", sum.Acknowledgement.Median, 66},
		{"business acknowledgement", sum.BusinessAcknowledgement.Median, 2},
		{"resolution", sum.Resolution.Median, 91},
		{"business resolution", sum.BusinessResolution.Median, 11},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v hours, want %v", c.name, c.got, c.want)
		}
	}
	for metric, want := range map[MetricName]float64{MetricMedianAcknowledgementBusiness: 2, MetricP90ResolutionBusiness: 11} {
		if got, err := measure(f.ctx, f.svc, metric, from, to); err != nil || math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, %v; want %v", metric, got, err, want)
		}
	}

	// Without a calendar there are no business hours to report.
	g := newFixture(t, func(c *Config) { c.Calendar, c.Targets.Business = nil, false })
	g.log()
	sum, err = g.svc.Summarise(g.ctx, monday.Add(-time.Hour), monday.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if sum.BusinessResolution.N != 0 || !math.IsNaN(sum.BusinessResolution.Median) {
		t.Errorf("business resolution without a calendar: %+v", sum.BusinessResolution)
	}
	if _, err := measure(g.ctx, g.svc, MetricMedianResolutionBusiness, monday.Add(-time.Hour), monday.Add(time.Hour)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("business metric without a calendar: %v, want store.ErrInvalid", err)
	}
}
