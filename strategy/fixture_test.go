package strategy_test

import (
	"context"
	"github.com/cxkit/cxkit/strategy/budget"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func aud(minor int64) money.Amount { return money.MustNew(minor, "AUD") }

// lateDelivery is the metric of testStrategy's first target.
var lateDelivery = cxkit.Metric{Name: "count", Dimension: "category", Value: "late-delivery"}

// testOrg is a small wholesaler's declarations: two goals, two quarters of
// resources, one QA procedure and two legal requirements.
func testOrg() strategy.Config {
	return strategy.Config{
		Name:    "Harbour Office Supplies",
		Vision:  "Every customer gets what they ordered, when we promised, and hears from us before they have to ask.",
		Mission: "Keep offices across the harbour supplied without them having to think about it.",
		Values:  []string{"Keep our word", "Tell customers early"},
		Goals: []strategy.Goal{
			{ID: "G1", Title: "Deliver every order on the promised day"},
			{ID: "G2", Title: "Keep the trust of repeat customers"},
		},
		Culture: []strategy.CultureArea{{Name: "customer focus", Goals: []string{"G1", "G2"}}},
		Periods: []budget.Period{
			{Name: "2027-Q1", From: date(2027, 1, 1), To: date(2027, 4, 1),
				Funds:      map[budget.Kind]money.Amount{budget.KindMarketing: aud(500000), budget.KindProject: aud(2000000)},
				StaffHours: 400},
			{Name: "2027-Q2", From: date(2027, 4, 1), To: date(2027, 7, 1),
				Funds:      map[budget.Kind]money.Amount{budget.KindMarketing: aud(300000)},
				StaffHours: 300},
		},
		QualityAssurance: []strategy.Requirement{
			{ID: "QA1", Title: "Every order passes the dispatch check", Topics: []string{"dispatch"}},
		},
		Legal: []strategy.Requirement{
			{ID: "L1", Title: "Privacy of collected customer details", Topics: []string{"customer-details"}},
			{ID: "L2", Title: "Delivery times promised must be honoured", Topics: []string{"delivery-promises"}},
		},
	}
}

// testStrategy is complete: it passes every SMART criterion against
// testOrg with the sources of newService.
func testStrategy() strategy.Strategy {
	return strategy.Strategy{
		Title:    "Deliver on the promised day",
		Issue:    "Goods are not delivered on the day we promised, and late delivery is the largest complaint category.",
		Scope:    "Metro deliveries from the Botany warehouse, all customer types",
		Needs:    "Customers plan their week around our delivery date and need it to hold, or to hear early when it will not.",
		Inaction: "Repeat customers move to competitors and complaint handling keeps eating staff time.",
		Overview: "Late delivery has led the complaint Pareto for two quarters.",
		Alternatives: []strategy.Alternative{
			{ID: "A", Title: "Book a second courier run", Description: "Add an afternoon courier run on weekdays.", Pros: []string{"Fast to start"}, Cons: []string{"Ongoing cost"}},
			{ID: "B", Title: "Dispatch cut-off and SMS alerts", Description: "Move the dispatch cut-off to 2 pm and text customers when an order will miss its day.",
				Activities: []string{"Set up SMS alerts", "Train dispatch staff", "Tell customers"},
				Pros:       []string{"Customers hear before they have to ask"}, Cons: []string{"Needs phone numbers, which are personal details"}},
		},
		Recommended: "B",
		Owner:       "Dana Lee",
		Consulted:   []string{"warehouse team", "customer-service team"},
		Start:       date(2027, 1, 4),
		Deadline:    date(2027, 6, 28),
		CheckInDays: 14,
		Targets: []strategy.Target{
			{ID: "T1", Name: "Late-delivery complaints", Metric: lateDelivery, Unit: "complaints",
				Baseline: 40, Goal: 10, Direction: strategy.DirectionDecrease, Source: "complaints",
				BaselineFrom: date(2026, 12, 3), BaselineTo: date(2026, 12, 31), Weight: 2},
			{ID: "T2", Name: "Customer satisfaction", Metric: cxkit.Metric{Name: "csat"}, Unit: "% satisfied",
				Baseline: 70, Goal: 85, Direction: strategy.DirectionIncrease, Source: strategy.SourceManual, EnteredBy: "Sam Ortiz", Weight: 1},
		},
		Goals: []string{"G1"},
		Budget: []budget.Line{
			{Description: "SMS gateway set-up", Kind: budget.KindProject, Area: budget.AreaPolicies, Amount: aud(450000), StaffHours: 40, Activity: "Set up SMS alerts"},
			{Description: "Dispatch staff training", Kind: budget.KindProject, Area: budget.AreaTraining, Amount: aud(120000), StaffHours: 60, Activity: "Train dispatch staff"},
			{Description: "Tell customers about the alerts", Kind: budget.KindMarketing, Area: budget.AreaAdvertising, Amount: aud(80000), StaffHours: 10, Period: "2027-Q2", Activity: "Tell customers"},
		},
		Risks:   []strategy.Risk{{Description: "Couriers ignore the new cut-off", Mitigation: "Written into the courier contract"}},
		Touches: []string{"customer-details", "dispatch"},
		Compliance: []strategy.Compliance{
			{Requirement: "L1", How: "Customer phone numbers are used only for delivery alerts, with consent at checkout"},
			{Requirement: "QA1", How: "The dispatch check moves earlier with the cut-off; no step is dropped"},
		},
		Communication: []strategy.Announcement{
			{Audience: strategy.AudienceStaff, Method: strategy.MethodMeeting, When: date(2026, 12, 14), Message: "The cut-off moves to 2 pm from 4 January."},
			{Audience: strategy.AudienceCustomers, Method: strategy.MethodNewsletter, When: date(2026, 12, 21)},
		},
	}
}

// lateHistory is the late-delivery count in the 28-day windows before the
// baseline's end, newest first: it wobbles down by up to 6 a window.
var lateHistory = []float64{40, 44, 41, 47, 43, 49, 46, 52, 50, 55, 51, 56}

// seriesSource answers a metric from a series of windows ending at end,
// newest first, and with now for any window ending after end; it remembers
// what it was asked.
type seriesSource struct {
	mu     sync.Mutex
	end    time.Time
	window time.Duration
	series map[string][]float64
	now    map[string]float64
	asked  []stubCall
}

func (s *seriesSource) Measure(_ context.Context, m cxkit.Metric, from, to time.Time) (float64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, stubCall{m.String(), from, to})
	if to.After(s.end) {
		v, ok := s.now[m.String()]
		if !ok {
			return 0, errStubUnknown
		}
		return v, nil
	}
	vs, ok := s.series[m.String()]
	if !ok {
		return 0, cxkit.ErrUnknownMetric
	}
	k := int(math.Round(float64(s.end.Sub(to)) / float64(s.window)))
	if k >= len(vs) {
		return math.NaN(), nil
	}
	return vs[k], nil
}

func newSeriesSource() *seriesSource {
	return &seriesSource{end: date(2026, 12, 31), window: 28 * 24 * time.Hour,
		series: map[string][]float64{lateDelivery.String(): lateHistory},
		now:    map[string]float64{lateDelivery.String(): 28}}
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// newService is a Service on a memory store with testOrg, a clock at the
// start of testStrategy, and the late-delivery series wired as the
// complaints source.
func newService(t testing.TB, opts ...strategy.Option) (*strategy.Service, *clock, *seriesSource) {
	t.Helper()
	clk := &clock{t: date(2027, 1, 4)}
	src := newSeriesSource()
	opts = append([]strategy.Option{strategy.WithClock(clk.now), strategy.WithSource("complaints", src)}, opts...)
	s, err := strategy.New(memory.New(), testOrg(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s, clk, src
}

// plans is what strategies ask of the budget, as package strategy sees it.
func plans(ss ...*strategy.Strategy) []budget.Plan {
	out := make([]budget.Plan, len(ss))
	for i, s := range ss {
		out[i] = budget.Plan{Name: s.Title, Start: s.Start, Lines: s.Budget}
	}
	return out
}
