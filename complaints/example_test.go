package complaints_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/calendar"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/store/memory"
)

// shop is a small organisation's configuration: a charter, a refunds
// policy with authority limits, and targets in business hours.
func shop() complaints.Config {
	cal := calendar.WeekdayHours("UTC", "09:00", "17:00")
	return complaints.Config{
		Org:     "corner-shop",
		Charter: complaints.Charter{Default: complaints.Assignment{Receiver: "front desk", Investigator: "Maria", Resolver: "Jo"}},
		Policy: complaints.Policy{
			Currency: "AUD",
			Remedies: map[complaints.RemedyKind]complaints.RemedyRule{
				complaints.RemedyKindRefund: {WithinMonths: 2, ProofRequired: true, ExcludeUsed: true},
			},
			Authority: []complaints.Authority{
				{Role: "agent", Limit: money.MustNew(5000, "AUD"), ApprovedBy: "team leader"},
				{Role: "team leader", Limit: money.MustNew(50000, "AUD")},
			},
		},
		Targets:  complaints.Targets{Acknowledge: 4 * time.Hour, Resolve: 16 * time.Hour, FollowUp: 24 * time.Hour, Business: true},
		Calendar: &cal,
	}
}

// The six steps of resolving a complaint, in order, each recorded.
func Example_workflow() {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	svc, _ := complaints.New(memory.New(), shop(), complaints.WithClock(func() time.Time { return now }))

	c, _ := svc.Log(ctx, complaints.Intake{
		Channel: complaints.ChannelPhone, Customer: complaints.Customer{Ref: "crm-17"},
		Summary: "Toaster arrived with a cracked lid", Category: "damaged goods",
		MadeBy: complaints.MadeByRegular, DirectedAt: complaints.Target{Kind: complaints.TargetKindOutsourced, Name: "courier"},
		Severity: complaints.SeverityMedium, By: "Maria",
	})
	fmt.Println("assigned to", c.Assigned.Resolver, "- acknowledge by", c.Due.Acknowledge.Format("Mon 15:04"))

	in := complaints.Input{By: "Maria"}
	c, _ = svc.Investigate(ctx, c.ID, in)
	c, _ = svc.Acknowledge(ctx, c.ID, "Maria", in)
	c, _ = svc.Decide(ctx, c.ID, complaints.Decision{Kind: complaints.RemedyKindReplacement, Amount: money.MustNew(3900, "AUD"),
		By: complaints.Actor{Name: "Maria", Role: "agent"}}, 0)
	c, _ = svc.Notify(ctx, c.ID, "phone call", in)
	c, _ = svc.FollowUp(ctx, c.ID, true, in)
	c, _ = svc.Close(ctx, c.ID, "", in)

	for _, h := range c.History {
		fmt.Printf("%-12s %-16s %s\n", h.Action, h.To, h.By)
	}
	fmt.Println("outcome:", c.Outcome)
	// Output:
	// assigned to Jo - acknowledge by Mon 13:30
	// logged       received         Maria
	// investigate  investigating    Maria
	// acknowledge  acknowledged     Maria
	// decide       solution-decided Maria
	// notify       notified         Maria
	// follow-up    followed-up      Maria
	// close        closed           Maria
	// outcome: replacement AUD 39.00
}

// A refund above the agent's authority waits for the team leader.
func ExampleService_Approve() {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	svc, _ := complaints.New(memory.New(), shop(), complaints.WithClock(func() time.Time { return now }))
	c, _ := svc.Log(ctx, complaints.Intake{Channel: complaints.ChannelEmail, Summary: "Blender failed in a week", Category: "faulty product",
		MadeBy: complaints.MadeByPublic, DirectedAt: complaints.Target{Kind: complaints.TargetKindProduct, Name: "B-200"},
		Severity: complaints.SeverityHigh, By: "Maria"})
	in := complaints.Input{By: "Maria"}
	svc.Investigate(ctx, c.ID, in)
	svc.Acknowledge(ctx, c.ID, "Maria", in)

	c, err := svc.Decide(ctx, c.ID, complaints.Decision{
		Kind: complaints.RemedyKindRefund, Amount: money.MustNew(12900, "AUD"),
		Purchase: &complaints.Purchase{Date: now.AddDate(0, 0, -9), Proof: true, Faulty: true},
		By:       complaints.Actor{Name: "Maria", Role: "agent"},
	}, 0)
	fmt.Println(c.Remedy, c.Remedy.State, "- needs", c.Remedy.NeedRole, err)

	_, err = svc.Notify(ctx, c.ID, "email", in)
	var te *cxkit.TransitionError
	if errors.As(err, &te) {
		fmt.Printf("cannot %s from %s: %s\n", te.Step, te.From, te.Reason)
	}

	_, err = svc.Approve(ctx, c.ID, complaints.Actor{Name: "Maria", Role: "agent"}, "")
	fmt.Println(errors.Is(err, complaints.ErrNotAuthorized), err)

	c, _ = svc.Approve(ctx, c.ID, complaints.Actor{Name: "Jo", Role: "team leader"}, "faulty, with receipt")
	fmt.Println(c.Remedy.State, "by", c.Remedy.ApprovedBy.Name)
	// Output:
	// refund AUD 129.00 pending - needs team leader <nil>
	// cannot notify from solution-decided: the remedy is pending
	// true remedy.amount: Maria (agent) may not approve AUD 129.00: limit own decision; needs team leader
	// approved by Jo
}

// What customers complain about most, with the cumulative share.
func ExampleService_Pareto() {
	ctx := context.Background()
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	svc, _ := complaints.New(memory.New(), shop(), complaints.WithClock(func() time.Time { return now }))
	log := map[string]int{"late delivery": 9, "staff could not answer": 5, "faulty goods": 3, "billing": 2, "parking": 1}
	for cat, n := range log {
		for i := range n {
			svc.Log(ctx, complaints.Intake{Received: now.AddDate(0, 0, -i-1), Channel: complaints.ChannelPhone, Summary: cat, Category: cat,
				MadeBy: complaints.MadeByPublic, DirectedAt: complaints.Target{Kind: complaints.TargetKindTeam}, Severity: complaints.SeverityLow, By: "clerk"})
		}
	}
	p, _ := svc.Pareto(ctx, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), complaints.DimensionCategory)
	for _, r := range p.Rows {
		fmt.Printf("%-24s %2d %5.1f%% %5.1f%%\n", r.Value, r.Count, 100*r.Share, 100*r.Cumulative)
	}
	fmt.Println("vital few:", len(p.Vital(0.8)), "of", len(p.Rows))
	// Output:
	// late delivery             9  45.0%  45.0%
	// staff could not answer    5  25.0%  70.0%
	// faulty goods              3  15.0%  85.0%
	// billing                   2  10.0%  95.0%
	// parking                   1   5.0% 100.0%
	// vital few: 3 of 5
}
