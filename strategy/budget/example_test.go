package budget_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/strategy/budget"
)

// A plan's lines against the quarter's money and staff time: the training
// needs more hours than the quarter has.
func ExampleFit() {
	q1, q2 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	periods := []budget.Period{{Name: "2027-Q1", From: q1, To: q2,
		Funds: map[budget.Kind]money.Amount{budget.KindProject: money.MustNew(2_000_000, "AUD")}, StaffHours: 100}}
	lines := []budget.Line{
		{Description: "SMS gateway", Kind: budget.KindProject, Area: budget.AreaPolicies, Amount: money.MustNew(450_000, "AUD"), StaffHours: 40},
		{Description: "Dispatch training", Kind: budget.KindProject, Area: budget.AreaTraining, Amount: money.MustNew(120_000, "AUD"), StaffHours: 80},
	}
	short, err := budget.Fit(periods, budget.Plan{Name: "Deliver on the promised day", Start: q1, Lines: lines})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range short {
		fmt.Println(s.Reason)
	}
	// Output:
	// staff time in 2027-Q1: needs 120 h, 100 h available (short by 20 h)
}

// Each kind of budget records different things: a cash-flow line spending
// more than it receives must say where the outside money comes from.
func ExampleLine_Gaps() {
	l := budget.Line{Description: "Gateway fees ahead of the alert charges", Kind: budget.KindCashFlow, Area: budget.AreaPolicies,
		Amount: money.MustNew(200_000, "AUD"), Receipts: money.MustNew(150_000, "AUD")}
	fmt.Println(strings.Join(l.Gaps(), "; "))
	l.Financing = money.MustNew(50_000, "AUD")
	fmt.Println(len(l.Gaps()), "gaps once financed")
	// Output:
	// expenditure exceeds receipts by AUD 500.00, which outside financing must cover
	// 0 gaps once financed
}
