package strategy_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

// A strategy to cut the average call wait from 90 to 30 seconds: Check says
// what is still missing, and progress works for a falling target.
func Example() {
	org := strategy.Organisation{
		Name:  "Example Co",
		Goals: []strategy.Goal{{ID: "G1", Title: "Answer customers quickly"}},
		Periods: []strategy.ResourcePeriod{{Name: "2027-H1",
			From: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC),
			Funds:      map[strategy.BudgetKind]money.Amount{strategy.BudgetProject: money.MustNew(1000000, "AUD")},
			StaffHours: 200}},
	}
	s := strategy.Strategy{
		Title:       "Shorter call waits",
		Issue:       "Callers wait ninety seconds on average before anyone answers",
		Scope:       "The customer line, weekdays 8 am to 6 pm",
		Options:     []strategy.Option{{ID: "A", Title: "Overflow calls to the sales team at peak times"}},
		Recommended: "A",
		Start:       time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC),
		Deadline:    time.Date(2027, 6, 28, 0, 0, 0, 0, time.UTC),
		CheckInDays: 14,
		Goals:       []string{"G1"},
		Targets: []strategy.Target{{ID: "T1", Name: "Average call wait", Metric: "avg_wait_seconds", Unit: "s",
			Baseline: 90, Goal: 30, Direction: strategy.Decrease, Source: "telephony", Weight: 1}},
		Budget: []strategy.BudgetLine{{Description: "Train sales staff on the customer line",
			Kind: strategy.BudgetProject, Area: strategy.AreaTraining, Amount: money.MustNew(250000, "AUD"), StaffHours: 240}},
	}
	r, err := strategy.Check(&s, org, strategy.CheckOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Failed() {
		fmt.Println(f)
	}
	fmt.Printf("at 60 s: %.0f%% of the way\n", 100*s.Targets[0].ProgressAt(60))
	// Output:
	// specific: NOT met: no owner is assigned
	// achievable: NOT met: does not fit the declared resources: staff time in 2027-H1: needs 240 h, 200 h available (short by 40 h)
	// at 60 s: 50% of the way
}

// Drafting from the complaint category at the top of the Pareto, with the
// baseline measured from a source (here a stub standing in for package
// complaints), then recording a measured check-in through a Manager.
func ExampleDraftFromCategory() {
	ctx := context.Background()
	now := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	counts := map[time.Time]float64{ // complaints in the window ending at each date
		time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC): 40,
		time.Date(2027, 4, 6, 0, 0, 0, 0, time.UTC): 25,
	}
	complaints := strategy.SourceFunc(func(_ context.Context, metric string, _, to time.Time) (float64, error) {
		return counts[to], nil
	})
	sources := strategy.Sources{"complaints": complaints}

	trend := strategy.CategoryTrend{Category: "late-delivery", Count: 40, Share: 0.35,
		From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	draft, err := strategy.DraftFromCategory(ctx, trend, strategy.DraftOptions{Start: now, Sources: sources, Owner: "Dana"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(draft.Issue)
	fmt.Printf("%s: %g -> %g %s\n", draft.Targets[0].Metric, draft.Targets[0].Baseline, draft.Targets[0].Goal, draft.Targets[0].Unit)

	clock := now
	m, err := strategy.NewManager(strategy.NewRepository(memory.New()), strategy.Organisation{},
		strategy.WithSources(sources), strategy.WithClock(func() time.Time { return clock }))
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := m.Create(ctx, draft, "dana")
	if err != nil {
		fmt.Println(err)
		return
	}
	// One baseline-length window (92 days) after the start; an earlier
	// check-in would measure from the start and scale the count up.
	clock = time.Date(2027, 4, 6, 0, 0, 0, 0, time.UTC)
	s, err = m.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceMedium, "first quarter of the new cut-off")
	if err != nil {
		fmt.Println(err)
		return
	}
	t := s.Targets[0]
	fmt.Printf("now %g, %.0f%% of the way\n", t.Current(), 100*t.Progress())
	fmt.Println(t.CheckIns[0].Evidence[0])
	// Output:
	// Complaints about late-delivery lead the complaint Pareto: 40 between 2026-10-01 and 2027-01-01, 35% of all complaints.
	// count:category=late-delivery: 40 -> 20 complaints
	// now 25, 75% of the way
	// complaints: count:category=late-delivery over [2027-01-04T00:00:00Z, 2027-04-06T00:00:00Z)
}

// Rendering a proposal for staff as Markdown.
func ExampleProposal_Markdown() {
	s := strategy.Strategy{
		Title: "Shorter call waits", Issue: "Callers wait too long before anyone answers",
		Options:     []strategy.Option{{ID: "A", Title: "Overflow calls to sales at peak times"}},
		Recommended: "A", Owner: "Kim",
		Start: time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), Deadline: time.Date(2027, 6, 28, 0, 0, 0, 0, time.UTC),
	}
	p, err := strategy.NewProposal(&s, strategy.Organisation{}, strategy.Review{}, strategy.Staff,
		time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), strategy.DefaultThresholds)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := p.Markdown(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// # Proposal: Shorter call waits
	//
	// Prepared for staff on 2027-01-04. Owner: Kim. Runs 2027-01-04 to 2027-06-28.
	//
	// ## Issue
	//
	// Callers wait too long before anyone answers
	//
	// ## Customers' needs
	//
	// Not yet described.
	//
	// ## If nothing is done
	//
	// Not yet described.
	//
	// ## Recommendation
	//
	// Overflow calls to sales at peak times
	//
	// ## Budget and resources
	//
	// No costs estimated yet.
	//
	// ## Targets and how they are measured
	//
	// Overall: on track: 0% done, 0% of the time gone.
	//
	// No targets yet.
	//
	// ## Risks
	//
	// None identified.
	//
	// ## Quality assurance and legal requirements
	//
	// Not reviewed yet.
}
