package strategy_test

import (
	"context"
	"fmt"
	"github.com/cxkit/cxkit/strategy/budget"
	"os"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

// A strategy to cut the average call wait from 90 to 30 seconds: the SMART
// review says what is still missing, each finding with its evidence.
func Example() {
	ctx := context.Background()
	cfg := strategy.Config{
		Name:  "Example Co",
		Goals: []strategy.Goal{{ID: "G1", Title: "Answer customers quickly"}},
		Periods: []budget.Period{{Name: "2027-H1",
			From: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC),
			Funds:      map[budget.Kind]money.Amount{budget.KindProject: money.MustNew(1000000, "AUD")},
			StaffHours: 200}},
	}
	svc, err := strategy.New(memory.New(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := strategy.Strategy{
		Title: "Shorter call waits",
		Issue: "Callers wait ninety seconds on average before anyone answers",
		Scope: "The customer line, weekdays 8 am to 6 pm",
		Alternatives: []strategy.Alternative{{ID: "A", Title: "Overflow calls to the sales team at peak times",
			Activities: []string{"Train sales staff on the customer line"}}},
		Recommended: "A",
		Start:       time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC),
		Deadline:    time.Date(2027, 6, 28, 0, 0, 0, 0, time.UTC),
		CheckInDays: 14,
		Goals:       []string{"G1"},
		Targets: []strategy.Target{{ID: "T1", Name: "Average call wait", Metric: cxkit.Metric{Name: "avg_wait_seconds"}, Unit: "s",
			Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease, Source: strategy.SourceManual, EnteredBy: "Kim Lau", Weight: 1}},
		Budget: []budget.Line{{Description: "Train sales staff on the customer line", Activity: "Train sales staff on the customer line",
			Kind: budget.KindProject, Area: budget.AreaTraining, Amount: money.MustNew(250000, "AUD"), StaffHours: 240}},
	}
	r, err := svc.CheckDraft(ctx, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Failed() {
		fmt.Println(f)
	}
	fmt.Printf("at 60 s: %.0f%% of the way\n", 100*s.Targets[0].ProgressAt(60))
	// Output:
	// achievable: NOT met: budget: staff time in 2027-H1: needs 240 h, 200 h available (short by 40 h)
	// assignable: NOT met: no owner is assigned
	// at 60 s: 50% of the way
}

// Drafting from the complaint category at the top of the Pareto, with the
// baseline measured from a source (here a function standing in for
// package complaints), then recording a measured check-in once a full
// measurement window has passed.
func ExampleService_DraftFromCategory() {
	ctx := context.Background()
	now := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	counts := map[time.Time]float64{ // complaints in the window ending at each date
		time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC): 40,
		time.Date(2027, 4, 6, 0, 0, 0, 0, time.UTC): 25,
	}
	complaints := strategy.SourceFunc(func(_ context.Context, _ cxkit.Metric, _, to time.Time) (float64, error) {
		return counts[to], nil
	})
	clock := now
	svc, err := strategy.New(memory.New(), strategy.Config{},
		strategy.WithSource("complaints", complaints), strategy.WithClock(func() time.Time { return clock }))
	if err != nil {
		fmt.Println(err)
		return
	}
	trend := strategy.CategoryTrend{Category: "late-delivery", Count: 40, Share: 0.35,
		From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	draft, err := svc.DraftFromCategory(ctx, trend, strategy.DraftOptions{Start: now, Owner: "Dana"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(draft.Issue)
	fmt.Printf("%s: %g -> %g\n", draft.Targets[0].Name, draft.Targets[0].Baseline, draft.Targets[0].Goal)

	s, err := svc.Create(ctx, draft, "dana")
	if err != nil {
		fmt.Println(err)
		return
	}
	// A day in, a 92-day window cannot say anything yet.
	clock = now.AddDate(0, 0, 1)
	if _, err := svc.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceMedium, ""); err != nil {
		fmt.Println(err)
	}
	// One baseline-length window (92 days) after the start.
	clock = time.Date(2027, 4, 6, 0, 0, 0, 0, time.UTC)
	s, err = svc.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceMedium, "first quarter of the new cut-off")
	if err != nil {
		fmt.Println(err)
		return
	}
	t := s.Targets[0]
	fmt.Printf("now %g, %.0f%% of the way\n", t.Current(), 100*t.Progress())
	fmt.Println(t.CheckIns[0].Evidence[0])
	// Output:
	// Complaints about late-delivery lead the complaint Pareto: 40 between 2026-10-01 and 2027-01-01, 35% of all complaints.
	// complaints with category late-delivery: 40 -> 20
	// strategy: too early to tell: target T1 is measured over 92 days, so its first reading is possible on 2027-04-06
	// now 25, 75% of the way
	// complaints with category late-delivery, from the complaints source, over the 92 days from 2027-01-04 to 2027-04-05
}

// Staff give their word on a proposal beside its approval.
func ExampleService_AddInput() {
	ctx := context.Background()
	svc, err := strategy.New(memory.New(), strategy.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := svc.Create(ctx, strategy.Strategy{Title: "Shorter call waits"}, "kim")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range []strategy.Input{
		{By: "Ana", Kind: strategy.InputKindSupport},
		{By: "Ben", Kind: strategy.InputKindObjection, Text: "Sales staff are already stretched at peak times"},
	} {
		if s, err = svc.AddInput(ctx, s.ID, in); err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, in := range s.Input {
		fmt.Println(strings.TrimSuffix(fmt.Sprintf("%s from %s: %s", in.Kind, in.By, in.Text), ": "))
	}
	// Output:
	// support from Ana
	// objection from Ben: Sales staff are already stretched at peak times
}

// Rendering a proposal for staff as Markdown.
func ExampleProposal_Markdown() {
	s := strategy.Strategy{
		Title: "Shorter call waits", Issue: "Callers wait too long before anyone answers",
		Alternatives: []strategy.Alternative{{ID: "A", Title: "Overflow calls to sales at peak times"}},
		Recommended:  "A", Owner: "Kim",
		Start: time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), Deadline: time.Date(2027, 6, 28, 0, 0, 0, 0, time.UTC),
		Communication: []strategy.Announcement{{Audience: strategy.AudienceStaff, Method: strategy.MethodMeeting,
			When: time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC), Message: "Sales answer the overflow from January."}},
	}
	p, err := strategy.NewProposal(&s, strategy.Config{}, strategy.Review{}, strategy.AudienceStaff,
		time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC))
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
	// Overall: too early to tell: no targets yet.
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
	//
	// ## Communicating the change
	//
	// - staff: meeting on 2026-12-14. Sales answer the overflow from January.
}
