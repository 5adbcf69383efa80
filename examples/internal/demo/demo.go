// Package demo wires the four cxkit services for one made-up organisation,
// Harbourside Appliances, and can fill a store with a few months of
// plausible activity. The dashboard and CRM examples share it so that each
// can stay about what it shows; the quickstart does its own wiring in the
// open, because that is what it teaches.
package demo

import (
	"context"
	"fmt"
	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/strategy/budget"
	"sync"
	"time"

	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/strategy"
)

// OrgName is the demo organisation.
const OrgName = "Harbourside Appliances"

// Survey names the demo's customer survey and its two score questions.
const (
	Survey       = "customer-survey"
	NPSQuestion  = "recommend"
	CSATQuestion = "satisfied"
)

// Categories are the organisation's own categories, shared by complaints
// and feedback so the two can be read side by side.
var Categories = []string{"delivery", "billing", "product quality", "staff attitude", "returns", "website"}

// Team is the team that assesses itself.
const Team = "customer desk"

// A Loop is the four services on one driver.
type Loop struct {
	Driver      store.Driver
	Complaints  *complaints.Service
	Feedback    *feedback.Service
	Assessments *assessment.Service
	Strategies  *strategy.Service
	Org         strategy.Config
}

// Open builds the services on d with the clock now. Complaint-kind feedback
// can be handed to complaints (feedback.Service.HandOff), and strategies measure their
// targets from both ("complaints" and "feedback" sources). The handlers
// receive the services' events.
func Open(d store.Driver, now func() time.Time, handlers ...cxkit.EventHandler) (*Loop, error) {
	copts := []complaints.Option{complaints.WithClock(now)}
	for _, h := range handlers {
		copts = append(copts, complaints.WithEventHandler(h))
	}
	cs, err := complaints.New(d, ComplaintsConfig(), copts...)
	if err != nil {
		return nil, fmt.Errorf("demo: complaints: %w", err)
	}
	var rules []feedback.Rule
	for _, r := range feedbackRules {
		rules = append(rules, feedback.Rule{ID: r.id, Category: r.category, Phrases: r.phrases})
	}
	desk, err := feedback.New(d, feedback.Config{
		Categories: Categories,
		Rules:      rules,
		Routes: []feedback.Route{
			{Category: "delivery", Owner: "logistics manager"},
			{Category: "billing", Owner: "accounts manager"},
			{Category: "product quality", Owner: "product manager"},
			{Category: "staff attitude", Owner: "customer desk lead"},
			{Category: "returns", Owner: "logistics manager"},
			{Category: "website", Owner: "digital lead"},
		},
		FallbackOwner: "customer desk lead",
	}, feedback.WithClock(now), feedback.WithComplaintHandOff(cs))
	if err != nil {
		return nil, fmt.Errorf("demo: feedback: %w", err)
	}
	as, err := assessment.New(d, assessment.Config{}, assessment.WithClock(now))
	if err != nil {
		return nil, fmt.Errorf("demo: assessment: %w", err)
	}
	org := Organisation(now())
	mgr, err := strategy.New(d, org, strategy.WithClock(now),
		strategy.WithSource("complaints", AsSource(cs)), strategy.WithSource("feedback", AsSource(desk)))
	if err != nil {
		return nil, fmt.Errorf("demo: strategy: %w", err)
	}
	return &Loop{Driver: d, Complaints: cs, Feedback: desk, Assessments: as, Strategies: mgr, Org: org}, nil
}

// AsSource wires a service as a strategy measurement source. A service
// whose Measure takes a metric's written form is adapted; one that takes a
// cxkit.Metric is one already.
func AsSource(v any) cxkit.MeasurementSource {
	if s, ok := v.(cxkit.MeasurementSource); ok {
		return s
	}
	old := v.(interface {
		Measure(context.Context, string, time.Time, time.Time) (float64, error)
	})
	return strategy.SourceFunc(func(ctx context.Context, m cxkit.Metric, from, to time.Time) (float64, error) {
		return old.Measure(ctx, m.String(), from, to)
	})
}

// ComplaintsConfig is the demo's charter, remedies policy and service
// levels.
func ComplaintsConfig() complaints.Config {
	aud := func(minor int64) money.Amount { return money.MustNew(minor, "AUD") }
	return complaints.Config{
		Org: "harbourside",
		Charter: complaints.Charter{
			Rules: []complaints.Responsibility{
				{Category: "delivery", Assignment: complaints.Assignment{Receiver: "customer desk", Investigator: "logistics", Resolver: "logistics manager"}},
				{MinSeverity: complaints.SeverityHigh, Assignment: complaints.Assignment{Receiver: "customer desk", Investigator: "team leader", Resolver: "service manager"}},
			},
			Default: complaints.Assignment{Receiver: "customer desk", Investigator: "agent", Resolver: "team leader"},
		},
		Policy: remedy.Policy{
			Currency: "AUD",
			Remedies: map[remedy.Kind]remedy.Rule{
				remedy.KindRefund: {WithinMonths: 2, ProofRequired: true, ExcludeUsed: true},
			},
			Authority: []remedy.Authority{
				{Role: "agent", Limit: aud(5000), ApprovedBy: "team leader"},
				{Role: "team leader", Limit: aud(50000), ApprovedBy: "manager"},
				{Role: "manager", Limit: aud(500000)},
			},
		},
		Targets: complaints.Targets{Acknowledge: 24 * time.Hour, Resolve: 5 * 24 * time.Hour, FollowUp: 7 * 24 * time.Hour},
	}
}

// Organisation is what the demo organisation declares for its strategies:
// goals, and a year of budget and staff time from the start of now's year.
func Organisation(now time.Time) strategy.Config {
	y := now.Year()
	var periods []budget.Period
	for _, year := range []int{y - 1, y, y + 1} {
		periods = append(periods, budget.Period{
			Name:       fmt.Sprint(year),
			From:       time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC),
			To:         time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC),
			Funds:      map[budget.Kind]money.Amount{budget.KindProject: money.MustNew(5_000_000, "AUD"), budget.KindMarketing: money.MustNew(2_000_000, "AUD")},
			StaffHours: 2000,
		})
	}
	return strategy.Config{
		Name:   OrgName,
		Vision: "Every customer gets a straight answer and a fair fix the first time they ask.",
		Goals: []strategy.Goal{
			{ID: "G1", Title: "Deliver on the day we promise"},
			{ID: "G2", Title: "Customers would recommend us to a friend"},
		},
		Periods: periods,
	}
}

type rule struct {
	id, category string
	phrases      []string
}

// feedbackRules sort the demo's feedback; every Categories entry has one.
var feedbackRules = []rule{
	{"delivery-words", "delivery", []string{"delivery", "delivered", "courier", "parcel", "late", "driver"}},
	{"billing-words", "billing", []string{"invoice", "charged", "bill", "payment", "refund"}},
	{"quality-words", "product quality", []string{"broke", "broken", "faulty", "stopped working", "noisy", "quality"}},
	{"staff-words", "staff attitude", []string{"rude", "staff", "helpful", "agent", "friendly"}},
	{"returns-words", "returns", []string{"return", "returns", "exchange"}},
	{"website-words", "website", []string{"website", "checkout", "app", "login"}},
}

// Clock is a settable clock safe for concurrent use, for seeding the past
// and for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
