package strategy_test

import (
	"time"

	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/strategy"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func aud(minor int64) money.Amount { return money.MustNew(minor, "AUD") }

// testOrg is a small wholesaler's declarations: two goals, two quarters of
// resources, one QA procedure and two legal requirements.
func testOrg() strategy.Organisation {
	return strategy.Organisation{
		Name:   "Harbour Office Supplies",
		Vision: "Every customer gets what they ordered, when we promised, and hears from us before they have to ask.",
		Goals: []strategy.Goal{
			{ID: "G1", Title: "Deliver every order on the promised day"},
			{ID: "G2", Title: "Keep the trust of repeat customers"},
		},
		Periods: []strategy.ResourcePeriod{
			{Name: "2027-Q1", From: date(2027, 1, 1), To: date(2027, 4, 1),
				Funds:      map[strategy.BudgetKind]money.Amount{strategy.BudgetMarketing: aud(500000), strategy.BudgetProject: aud(2000000)},
				StaffHours: 400},
			{Name: "2027-Q2", From: date(2027, 4, 1), To: date(2027, 7, 1),
				Funds:      map[strategy.BudgetKind]money.Amount{strategy.BudgetMarketing: aud(300000)},
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
// testOrg.
func testStrategy() strategy.Strategy {
	return strategy.Strategy{
		Title:    "Deliver on the promised day",
		Issue:    "Goods are not delivered on the day we promised, and late delivery is the largest complaint category.",
		Scope:    "Metro deliveries from the Botany warehouse, all customer types",
		Needs:    "Customers plan their week around our delivery date and need it to hold, or to hear early when it will not.",
		Inaction: "Repeat customers move to competitors and complaint handling keeps eating staff time.",
		Overview: "Late delivery has led the complaint Pareto for two quarters.",
		Options: []strategy.Option{
			{ID: "A", Title: "Book a second courier run", Description: "Add an afternoon courier run on weekdays.", Pros: []string{"Fast to start"}, Cons: []string{"Ongoing cost"}},
			{ID: "B", Title: "Dispatch cut-off and SMS alerts", Description: "Move the dispatch cut-off to 2 pm and text customers when an order will miss its day.",
				Pros: []string{"Customers hear before they have to ask"}, Cons: []string{"Needs phone numbers, which are personal details"}},
		},
		Recommended: "B",
		Owner:       "Dana Lee",
		Consulted:   []string{"warehouse team", "customer-service team"},
		Start:       date(2027, 1, 4),
		Deadline:    date(2027, 6, 28),
		CheckInDays: 14,
		Targets: []strategy.Target{
			{ID: "T1", Name: "Late-delivery complaints", Metric: "count:category=late-delivery", Unit: "complaints",
				Baseline: 40, Goal: 10, Direction: strategy.Decrease, Source: "complaints",
				BaselineFrom: date(2026, 10, 1), BaselineTo: date(2026, 12, 31), Weight: 2},
			{ID: "T2", Name: "Customer satisfaction", Metric: "csat", Unit: "% satisfied",
				Baseline: 70, Goal: 85, Direction: strategy.Increase, Source: "feedback", Weight: 1},
		},
		Goals: []string{"G1"},
		Budget: []strategy.BudgetLine{
			{Description: "SMS gateway set-up", Kind: strategy.BudgetProject, Area: strategy.AreaPolicies, Amount: aud(450000), StaffHours: 40},
			{Description: "Dispatch staff training", Kind: strategy.BudgetProject, Area: strategy.AreaTraining, Amount: aud(120000), StaffHours: 60},
			{Description: "Tell customers about the alerts", Kind: strategy.BudgetMarketing, Area: strategy.AreaAdvertising, Amount: aud(80000), StaffHours: 10, Period: "2027-Q2"},
		},
		Risks:   []strategy.Risk{{Description: "Couriers ignore the new cut-off", Mitigation: "Written into the courier contract"}},
		Touches: []string{"customer-details", "dispatch"},
		Compliance: []strategy.Compliance{
			{Requirement: "L1", How: "Phone numbers used only for delivery alerts, with consent at checkout"},
			{Requirement: "QA1", How: "The dispatch check moves earlier with the cut-off; no step is dropped"},
		},
	}
}
