package complaints_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/calendar"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store/memory"
)

// shop is a small organisation's configuration: a charter, a refunds
// policy with authority limits, and targets in business hours.
func shop() complaints.Config {
	cal := calendar.WeekdayHours("UTC", "09:00", "17:00")
	return complaints.Config{
		Org:     "corner-shop",
		Charter: complaints.Charter{Default: complaints.Assignment{Receiver: "front desk", Investigator: "Maria", Resolver: "Jo"}},
		Policy: remedy.Policy{
			Currency: "AUD",
			Remedies: map[remedy.Kind]remedy.Rule{
				remedy.KindRefund: {WithinMonths: 2, ProofRequired: true, ExcludeUsed: true},
			},
			Authority: []remedy.Authority{
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
	c, _ = svc.Decide(ctx, c.ID, remedy.Decision{Kind: remedy.KindReplacement, Amount: money.MustNew(3900, "AUD"),
		By: remedy.Actor{Name: "Maria", Role: "agent"}}, 0)
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

	c, err := svc.Decide(ctx, c.ID, remedy.Decision{
		Kind: remedy.KindRefund, Amount: money.MustNew(12900, "AUD"),
		Purchase: &remedy.Purchase{Date: now.AddDate(0, 0, -9), Proof: true, Faulty: true},
		By:       remedy.Actor{Name: "Maria", Role: "agent"},
	}, 0)
	fmt.Println(c.Remedy, c.Remedy.State, "- needs", c.Remedy.NeedRole, err)

	_, err = svc.Notify(ctx, c.ID, "email", in)
	var te *cxkit.TransitionError
	if errors.As(err, &te) {
		fmt.Printf("cannot %s from %s: %s\n", te.Step, te.From, te.Reason)
	}

	_, err = svc.Approve(ctx, c.ID, remedy.Actor{Name: "Maria", Role: "agent"}, "")
	fmt.Println(errors.Is(err, remedy.ErrNotAuthorized), err)

	c, _ = svc.Approve(ctx, c.ID, remedy.Actor{Name: "Jo", Role: "team leader"}, "faulty, with receipt")
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

// The common path, as the package doc opens with: a service over a store,
// a complaint logged and taken into investigation.
func Example() {
	ctx := context.Background()
	d := memory.New()
	svc, err := complaints.New(d, complaints.Config{
		Org:    "harbourside",
		Policy: remedy.Policy{Currency: "AUD"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := svc.Log(ctx, complaints.Intake{
		Channel:    complaints.ChannelPhone,
		Customer:   complaints.Customer{Ref: "crm-1042", Name: "Sam Lee"},
		Summary:    "The parcel arrived a week late",
		Category:   "delivery",
		MadeBy:     complaints.MadeByRegular,
		DirectedAt: complaints.Target{Kind: complaints.TargetKindOutsourced, Name: "courier"},
		Severity:   complaints.SeverityMedium,
		By:         "desk-agent",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err = svc.Investigate(ctx, c.ID, complaints.Input{By: "team leader", Note: "courier confirms the delay"})
	fmt.Println(c.Status, err)

	// A bad configuration names the field.
	_, err = complaints.New(d, complaints.Config{Org: "harbourside", Policy: remedy.Policy{Currency: "XXY"}})
	fmt.Println(err)
	// Output:
	// investigating <nil>
	// policy.currency: must be a known ISO 4217 code, got "XXY"
}

// shopService is the corner shop's service on a fresh store at a fixed
// time, for the examples below.
func shopService(now time.Time, opts ...complaints.Option) *complaints.Service {
	svc, err := complaints.New(memory.New(), shop(), append([]complaints.Option{complaints.WithClock(func() time.Time { return now })}, opts...)...)
	if err != nil {
		panic(err)
	}
	return svc
}

func parcel(by string) complaints.Intake {
	return complaints.Intake{Channel: complaints.ChannelPhone, Customer: complaints.Customer{Ref: "crm-9"}, Summary: "Parcel left in the rain",
		Category: "delivery", MadeBy: complaints.MadeByRegular, DirectedAt: complaints.Target{Kind: complaints.TargetKindOutsourced, Name: "courier"},
		Severity: complaints.SeverityLow, By: by}
}

// Events reach the host after each change is stored.
func ExampleWithEventHandler() {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	crm := cxkit.EventHandlerFunc(func(_ context.Context, e cxkit.Event) error {
		fmt.Println(strings.TrimSpace(fmt.Sprint(e.Type, " ", e.To, " ", e.Attrs["step"])))
		return nil
	})
	svc := shopService(now, complaints.WithEventHandler(crm))
	c, _ := svc.Log(ctx, parcel("Maria"))
	svc.Investigate(ctx, c.ID, complaints.Input{By: "Maria"})
	// Output:
	// complaint.logged received
	// complaint.transition investigating investigate
}

// A complaint the agent put right on the call: one step for deciding the
// remedy and telling the customer.
func ExampleService_ResolveAtFirstContact() {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	svc := shopService(now)
	c, _ := svc.Log(ctx, parcel("Maria"))
	c, err := svc.ResolveAtFirstContact(ctx, c.ID, remedy.Decision{Kind: remedy.KindVoucher, Amount: money.MustNew(1000, "AUD"),
		By: remedy.Actor{Name: "Maria", Role: "agent"}}, "on the call")
	fmt.Println(c.Status, c.Outcome, err)
	// Output: notified voucher AUD 10.00 <nil>
}

// Withdrawn, duplicate or not a complaint: closed honestly, without the
// remaining steps.
func ExampleService_CloseEarly() {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	svc := shopService(now)
	kept, _ := svc.Log(ctx, parcel("Maria"))
	again, _ := svc.Log(ctx, parcel("Ana"))
	c, err := svc.CloseEarly(ctx, again.ID, complaints.ClosureDuplicate, kept.ID, complaints.Input{By: "Maria"})
	fmt.Println(c.Status, c.Closure, c.DuplicateOf == kept.ID, err)
	// Output: closed duplicate true <nil>
}

// Waiting on the customer stops the resolution clock.
func ExampleService_WaitOnCustomer() {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	svc := shopService(now)
	c, _ := svc.Log(ctx, parcel("Maria"))
	c, _ = svc.Investigate(ctx, c.ID, complaints.Input{By: "Maria"})
	c, _ = svc.WaitOnCustomer(ctx, c.ID, complaints.Input{By: "Maria", Note: "asked for a photo of the parcel"})
	for _, d := range svc.Deadlines(&c, now.AddDate(0, 0, 10)) {
		fmt.Println(d.Name, d.State)
	}
	// Output:
	// acknowledge breached
	// resolve paused
}

// A log kept by hand, in a spreadsheet, comes in whole or not at all.
func ExampleService_Import() {
	ctx := context.Background()
	svc := shopService(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC))
	log := "Date,Complaint,Complaint made by,Complaint directed at\n" +
		"3 June,Salesperson could not provide sufficient information,Member of public,Salesperson\n" +
		"6 June,Goods not delivered on time,Corporate agency,Distribution company (an outsourced service)\n"
	res, err := svc.Import(ctx, strings.NewReader(log), complaints.ImportOptions{By: "office manager", Year: 2026})
	fmt.Println(len(res.Imported), err)
	for _, id := range res.Imported {
		c, _ := svc.Get(ctx, id)
		fmt.Println(c.Received.Format("2 Jan"), c.MadeBy, "|", c.DirectedAt)
	}
	// The same file again adds nothing.
	res, _ = svc.Import(ctx, strings.NewReader(log), complaints.ImportOptions{By: "office manager", Year: 2026})
	fmt.Println(len(res.Imported), "imported,", len(res.Skipped), "already there")
	// Output:
	// 2 <nil>
	// 3 Jun public | staff: Salesperson
	// 6 Jun corporate-customer | outsourced: Distribution company
	// 0 imported, 2 already there
}

// Sweep, run every few minutes, announces what is at risk or late and
// escalates by rule; Due lists it for the people who must act.
func ExampleService_Sweep() {
	ctx := context.Background()
	received := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	svc := shopService(received.Add(210 * time.Minute)) // 12:30: 3.5 of the 4 hours to acknowledge are gone
	svc.Log(ctx, complaints.Intake{Received: received, Channel: complaints.ChannelEmail, Summary: "No reply to my email", Category: "service",
		MadeBy: complaints.MadeByPublic, DirectedAt: complaints.Target{Kind: complaints.TargetKindTeam, Name: "front desk"},
		Severity: complaints.SeverityMedium, By: "Maria"})
	rep, err := svc.Sweep(ctx)
	fmt.Printf("%+v %v\n", rep, err)
	due, _ := svc.Due(ctx)
	for _, r := range due {
		fmt.Println(r.Deadline.Name, r.Deadline.State, "->", r.Owner)
	}
	// Output:
	// {Checked:1 Breaches:0 Escalated:0 AtRisk:1} <nil>
	// acknowledge at-risk -> Jo
}

// Service is a measurement source for strategy targets.
func ExampleService_Measure() {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	svc := shopService(now)
	svc.Log(ctx, parcel("Maria"))
	svc.Log(ctx, parcel("Ana"))
	from, to := now.Add(-time.Hour), now.Add(time.Hour)
	all, _ := svc.Measure(ctx, complaints.MetricCount.Metric(), from, to)
	delivery, _ := svc.Measure(ctx, complaints.CountBy(complaints.DimensionCategory, "delivery"), from, to)
	_, err := svc.Measure(ctx, cxkit.Metric{Name: "nps"}, from, to)
	fmt.Println(all, delivery, errors.Is(err, cxkit.ErrUnknownMetric))
	// Output: 2 2 true
}

// Erasure reaches every complaint of the customer, and their mentions in
// others, through cxkit.EraseCustomer.
func ExampleService_EraseIdentifiers() {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	svc := shopService(now)
	in := parcel("Maria")
	in.Customer = complaints.Customer{Ref: "crm-9", Name: "Sam Lee", Contact: "sam@example.com"}
	in.Summary = "Sam Lee: parcel left in the rain, call 0400 123 456"
	c, _ := svc.Log(ctx, in)
	n, err := cxkit.EraseCustomer(ctx, "crm-9", "privacy officer", svc)
	c, _ = svc.Get(ctx, c.ID)
	fmt.Println(n, err, c.Customer.Name == "", c.Summary)
	// Output: 1 <nil> true [erased]: parcel left in the rain, call [erased]
}

// Trends by product, and the products that keep coming back.
func ExampleService_Recurring() {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	svc := shopService(now)
	first := time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC) // a Monday
	for week := range 6 {
		in := parcel("Maria")
		in.Received = first.AddDate(0, 0, 7*week)
		in.DirectedAt = complaints.Target{Kind: complaints.TargetKindProduct, Name: "Kettle K2"}
		svc.Log(ctx, in)
	}
	from, to := time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	rec, _ := svc.Recurring(ctx, from, to, complaints.GranularityWeek, complaints.DimensionProduct)
	for _, r := range rec {
		fmt.Printf("%s: complaints in %d of %d weeks\n", r.Value, r.In, r.Of)
	}
	// Output: Kettle K2: complaints in 6 of 6 weeks
}
