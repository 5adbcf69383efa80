package main

import (
	"fmt"
	"github.com/cxkit/cxkit/examples/internal/demo"
	"github.com/cxkit/cxkit/strategy/budget"
	"sync"
	"time"

	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/strategy"
)

// The names other examples look for in the same data directory.
const (
	// complaintsOrg: one store can hold several organisations' complaints;
	// the dashboard and the CRM read this one.
	complaintsOrg = "harbourside"
	team          = "customer desk"
	surveyName    = "customer-survey"
	npsQuestion   = "recommend"
	csatQuestion  = "satisfied"
)

// categories are the organisation's own: complaints and feedback use the
// same ones so that they can be read side by side.
var categories = []string{"delivery", "billing", "product quality", "staff attitude", "returns", "website"}

// loop holds the four services of cxkit on one store.
type loop struct {
	dir         string
	driver      *file.Driver
	clock       *clock
	complaints  *complaints.Service
	feedback    *feedback.Service
	assessments *assessment.Service
	strategies  *strategy.Service
	// state carried from step to step
	now      time.Time // the real "now": the end of the simulated weeks
	found    found
	strategy strategy.Strategy
}

// clock is the time the services see; the quickstart moves it to act out
// six weeks in a few seconds.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// open opens the file store in dir and builds every service on it.
func open(dir string) (*loop, error) {
	// The file store creates dir if needed, locks it against a second
	// process, and recovers from a crash on open.
	d, err := file.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("opening the store in %s: %w", dir, err)
	}
	l := &loop{dir: dir, driver: d, now: time.Now().UTC().Truncate(time.Second)}
	l.clock = &clock{t: l.now}
	if err := l.build(); err != nil {
		d.Close()
		return nil, err
	}
	return l, nil
}

func (l *loop) build() error {
	var err error
	now := l.clock.Now

	// Complaints: who handles what (the charter), what remedies each role
	// may give (the policy), and how fast (the targets).
	l.complaints, err = complaints.New(l.driver, complaints.Config{
		Org: complaintsOrg,
		Charter: complaints.Charter{
			Rules: []complaints.Responsibility{
				{Category: "delivery", Assignment: complaints.Assignment{Receiver: "customer desk", Investigator: "logistics", Resolver: "logistics manager"}},
			},
			Default: complaints.Assignment{Receiver: "customer desk", Investigator: "agent", Resolver: "team leader"},
		},
		Policy: remedy.Policy{
			Currency: "AUD",
			Remedies: map[remedy.Kind]remedy.Rule{
				remedy.KindRefund: {WithinMonths: 2, ProofRequired: true},
			},
			Authority: []remedy.Authority{
				{Role: "agent", Limit: money.MustNew(5000, "AUD"), ApprovedBy: "team leader"},
				{Role: "team leader", Limit: money.MustNew(50000, "AUD")},
			},
		},
		Targets: complaints.Targets{Acknowledge: 24 * time.Hour, Resolve: 5 * 24 * time.Hour, FollowUp: 7 * 24 * time.Hour},
	}, complaints.WithClock(now))
	if err != nil {
		return err
	}

	// Feedback: keyword rules sort items into categories (a trained
	// classifier can back them up; see package feedback), and a routing
	// table passes each category to the manager responsible.
	// WithComplaintHandOff lets a complaint that arrives as feedback
	// become a complaint: complaints implements the interface feedback
	// declares.
	l.feedback, err = feedback.New(l.driver, feedback.Config{
		Categories: categories,
		Rules: []feedback.Rule{
			{ID: "delivery-words", Category: "delivery", Phrases: []string{"delivery", "courier", "parcel", "late"}},
			{ID: "billing-words", Category: "billing", Phrases: []string{"invoice", "charged", "bill"}},
			{ID: "quality-words", Category: "product quality", Phrases: []string{"broke", "faulty", "noisy"}},
			{ID: "staff-words", Category: "staff attitude", Phrases: []string{"rude", "helpful", "staff"}},
			{ID: "returns-words", Category: "returns", Phrases: []string{"return", "exchange"}},
		},
		Routes: []feedback.Route{
			{Category: "delivery", Owner: "logistics manager"},
			{Category: "billing", Owner: "accounts manager"},
			{Category: "product quality", Owner: "product manager"},
			{Category: "website", Owner: "digital lead"},
		},
		FallbackOwner: "customer desk lead",
	}, feedback.WithClock(now), feedback.WithComplaintHandOff(l.complaints))
	if err != nil {
		return err
	}

	// Assessment comes with the built-in factor catalogues.
	l.assessments, err = assessment.New(l.driver, assessment.Config{}, assessment.WithClock(now))
	if err != nil {
		return err
	}

	// Strategies measure their targets from complaints and feedback: both
	// are measurement sources without importing package strategy.
	l.strategies, err = strategy.New(l.driver, organisation(l.now), strategy.WithClock(now),
		strategy.WithSource("complaints", demo.AsSource(l.complaints)), strategy.WithSource("feedback", demo.AsSource(l.feedback)))
	return err
}

// organisation is what strategies are checked against: goals for
// relevance, money and staff time for realism.
func organisation(now time.Time) strategy.Config {
	year := now.Year()
	var periods []budget.Period
	for y := year - 1; y <= year+1; y++ {
		periods = append(periods, budget.Period{
			Name: fmt.Sprint(y), From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC),
			Funds:      map[budget.Kind]money.Amount{budget.KindProject: money.MustNew(2_000_000, "AUD")},
			StaffHours: 500,
		})
	}
	return strategy.Config{
		Name:    "Harbourside Appliances",
		Goals:   []strategy.Goal{{ID: "G1", Title: "Deliver on the day we promise"}},
		Periods: periods,
	}
}

func (l *loop) close() error { return l.driver.Close() }
