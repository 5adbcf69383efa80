// Command complaints plays out a complaint from the first phone call to
// the follow-up, on the embedded file store, and prints what the host CRM
// would see: the events, the complaint's audit trail and the log analysis.
//
// The story: an agent, Maria, takes a complaint call about a dishwasher
// that leaks. She talks it over with her team leader, Jo, who asks her to
// open a file and gather everything about the customer's problem. Maria
// pulls up the customer's records and the product's details. Jo and Maria
// then call the product manager in another state, and between them they
// settle on a remedy that will satisfy the customer; it is above Maria's
// authority, so Jo approves it. The customer is told by phone and sent an
// email with a form. Once it is resolved, Maria removes the confidential
// papers the customer sent and updates the record; later she follows up,
// and the customer is satisfied.
//
//	go run ./examples/complaints -dir /tmp/cx
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/calendar"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store/file"
)

func main() {
	dir := flag.String("dir", "", "data directory for the file store (default: a new temporary directory)")
	flag.Parse()
	if *dir == "" {
		d, err := os.MkdirTemp("", "cxkit-complaints-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	if err := run(context.Background(), *dir); err != nil {
		log.Fatal(err)
	}
}

// clock is the story's clock: it moves forward as the story does, so the
// deadlines mean something without waiting days.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func config() complaints.Config {
	cal := calendar.WeekdayHours("UTC", "08:30", "17:30", "2026-12-25", "2026-12-28")
	aud := func(minor int64) money.Amount { return money.MustNew(minor, "AUD") }
	return complaints.Config{
		Org: "northwind-appliances",
		Charter: complaints.Charter{
			Rules: []complaints.Responsibility{{
				DirectedAt: complaints.TargetKindProduct,
				Assignment: complaints.Assignment{Receiver: "contact centre", Investigator: "Maria", Resolver: "Jo (team leader)"},
			}},
			Default: complaints.Assignment{Receiver: "contact centre", Investigator: "contact centre", Resolver: "customer service manager"},
		},
		Policy: remedy.Policy{
			Currency: "AUD",
			Remedies: map[remedy.Kind]remedy.Rule{
				remedy.KindRefund:      {WithinMonths: 2, ProofRequired: true, ExcludeUsed: true},
				remedy.KindReplacement: {WithinMonths: 12, ProofRequired: true},
			},
			Authority: []remedy.Authority{
				{Role: "agent", Limit: aud(10000), ApprovedBy: "team leader"},
				{Role: "team leader", Limit: aud(150000), ApprovedBy: "manager"},
				{Role: "manager", Limit: aud(1000000)},
			},
		},
		Targets:  complaints.Targets{Acknowledge: 2 * time.Hour, Resolve: 18 * time.Hour, FollowUp: 27 * time.Hour, Business: true},
		Calendar: &cal,
		Ladder: []complaints.Level{
			{Name: "agent"}, {Name: "team leader", Party: "Jo"}, {Name: "manager", Party: "customer service manager"}, {Name: "director", Party: "operations director"},
		},
		Escalation: []complaints.EscalationRule{{Deadline: complaints.DeadlineResolve, Level: 1}, {Deadline: complaints.DeadlineResolve, Overdue: 9 * time.Hour, Level: 2}},
	}
}

func run(ctx context.Context, dir string) error {
	drv, err := file.Open(dir)
	if err != nil {
		return err
	}
	defer drv.Close()

	clk := &clock{t: time.Date(2026, 11, 16, 10, 5, 0, 0, time.UTC)} // a Monday morning
	// The host CRM's hook: here it only prints; a real one would email the
	// customer or page the team leader.
	crm := cxkit.EventHandlerFunc(func(_ context.Context, e cxkit.Event) error {
		switch e.Type {
		case complaints.EventTransition:
			fmt.Printf("  [crm] %s: %s -> %s\n", e.Attrs["step"], e.From, e.To)
		case complaints.EventRemedy, complaints.EventApproved:
			fmt.Printf("  [crm] %s: %s (%s)\n", strings.TrimPrefix(string(e.Type), "complaint."), e.Attrs["remedy"], e.Attrs["remedy_state"])
		default:
			fmt.Printf("  [crm] %s\n", strings.TrimPrefix(string(e.Type), "complaint."))
		}
		return nil
	})
	svc, err := complaints.New(drv, config(), complaints.WithClock(clk.now), complaints.WithEventHandler(crm))
	if err != nil {
		return err
	}

	fmt.Println("Maria takes a call: the customer's new dishwasher leaks.")
	c, err := svc.Log(ctx, complaints.Intake{
		Channel:     complaints.ChannelPhone,
		Customer:    complaints.Customer{Ref: "crm-88213", Name: "Dana Whitfield", Contact: "0400 000 000"},
		Summary:     "New dishwasher leaks from the door seal on every cycle",
		Category:    "faulty product",
		MadeBy:      complaints.MadeByRegular,
		DirectedAt:  complaints.Target{Kind: complaints.TargetKindProduct, Name: "DW-450 dishwasher"},
		Severity:    complaints.SeverityHigh,
		Concerns:    "order SO-55102",
		Attachments: []string{"crm://attachments/88213/photo-leak.jpg", "crm://attachments/88213/receipt.pdf"},
		By:          "Maria",
	})
	if err != nil {
		return err
	}
	fmt.Printf("Logged and assigned by the charter: investigator %s, resolver %s.\n", c.Assigned.Investigator, c.Assigned.Resolver)
	fmt.Printf("Due: acknowledge by %s, resolve by %s.\n", c.Due.Acknowledge.Format("Mon 15:04"), c.Due.Resolve.Format("Mon 15:04"))
	id := c.ID
	maria := complaints.Input{By: "Maria"}

	clk.advance(10 * time.Minute)
	fmt.Println("\nMaria rings Jo; Jo asks her to open a file with everything about the problem.")
	if _, err = svc.Investigate(ctx, id, complaints.Input{By: "Maria", Note: "discussed with team leader Jo; file opened"}); err != nil {
		return err
	}
	clk.advance(20 * time.Minute)
	if _, err = svc.AddNote(ctx, id, complaints.Input{By: "Maria", Note: "customer history and product records gathered; installed 3 weeks ago, no prior faults"}); err != nil {
		return err
	}
	clk.advance(15 * time.Minute)
	fmt.Println("Jo tells the customer the business will put it right and takes it on.")
	if _, err = svc.Acknowledge(ctx, id, "Jo", complaints.Input{By: "Jo", Note: "customer reassured; Jo responsible for the resolution"}); err != nil {
		return err
	}

	clk.advance(3 * time.Hour)
	fmt.Println("\nJo and Maria meet and phone the interstate product manager.")
	if _, err = svc.AddNote(ctx, id, complaints.Input{By: "Jo", Note: "call with the product manager: known seal batch fault, replace the unit"}); err != nil {
		return err
	}
	c, err = svc.Decide(ctx, id, remedy.Decision{
		Kind:     remedy.KindReplacement,
		Amount:   money.MustNew(89900, "AUD"),
		Purchase: &remedy.Purchase{Date: time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC), Proof: true, Used: true, Faulty: true},
		By:       remedy.Actor{Name: "Maria", Role: "agent"},
		Note:     "replacement agreed with the product manager",
	}, 0)
	if err != nil {
		return err
	}
	fmt.Printf("The replacement is worth %s, above Maria's authority: it needs a %s.\n", c.Remedy.Amount, c.Remedy.NeedRole)
	clk.advance(30 * time.Minute)
	if _, err = svc.Approve(ctx, id, remedy.Actor{Name: "Jo", Role: "team leader"}, "within my limit; known fault"); err != nil {
		return err
	}

	clk.advance(20 * time.Minute)
	fmt.Println("\nMaria phones the customer and emails a form to book the delivery.")
	if _, err = svc.Notify(ctx, id, "phone call, then email with a booking form", maria); err != nil {
		return err
	}
	fmt.Println("Once it is resolved, the papers the customer sent are removed and the record updated.")
	if _, err = svc.AddNote(ctx, id, complaints.Input{By: "Maria", Note: "confidential copies destroyed; customer record updated"}); err != nil {
		return err
	}

	clk.advance(26 * time.Hour)
	fmt.Println("\nThe next day Maria follows up: the new unit works and the customer is happy.")
	if _, err = svc.FollowUp(ctx, id, true, complaints.Input{By: "Maria", Note: "replacement installed, no leaks"}); err != nil {
		return err
	}
	if c, err = svc.Close(ctx, id, "", maria); err != nil {
		return err
	}

	fmt.Println("\nThe complaint's audit trail:")
	for _, h := range c.History {
		line := h.What
		if h.Why != "" {
			if line != "" {
				line += " - "
			}
			line += h.Why
		}
		fmt.Printf("  %s  %-6s %-16s %s\n", h.At.Format("Mon 15:04"), h.By, h.Action, line)
	}
	for _, d := range svc.Deadlines(&c, clk.now()) {
		fmt.Printf("  deadline %-11s due %s: %s\n", d.Name, d.Due.Format("Mon 15:04"), d.State)
	}

	// A few more complaints from the week, so the log has something to show.
	week := []struct {
		summary, cat string
		by           complaints.MadeBy
		at           complaints.Target
	}{
		{"Salesperson could not answer questions about the warranty", "product knowledge", complaints.MadeByPublic, complaints.Target{Kind: complaints.TargetKindStaff, Name: "salesperson"}},
		{"Fridge delivered two days late", "delivery", complaints.MadeByCorporate, complaints.Target{Kind: complaints.TargetKindOutsourced, Name: "delivery company"}},
		{"Stock figures for a customer quote were not ready in time", "internal information", complaints.MadeByColleague, complaints.Target{Kind: complaints.TargetKindTeam, Name: "warehouse"}},
		{"Oven delivered to the wrong address", "delivery", complaints.MadeByRegular, complaints.Target{Kind: complaints.TargetKindOutsourced, Name: "delivery company"}},
	}
	for i, w := range week {
		if _, err := svc.Log(ctx, complaints.Intake{Received: clk.now().Add(-time.Duration(i+1) * time.Hour), Channel: complaints.ChannelEmail,
			Summary: w.summary, Category: w.cat, MadeBy: w.by, DirectedAt: w.at, Severity: complaints.SeverityMedium, By: "front desk"}); err != nil {
			return err
		}
	}

	from, to := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	sum, err := svc.Summarise(ctx, from, to)
	if err != nil {
		return err
	}
	fmt.Printf("\nThe log for the week: %d complaints.\n", sum.Total)
	for _, r := range sum.Pareto.Rows {
		fmt.Printf("  %-22s %d  %3.0f%%  cumulative %3.0f%%\n", r.Value, r.Count, 100*r.Share, 100*r.Cumulative)
	}
	fmt.Printf("  median resolution %.1f h (%.1f business hours); first-contact resolution %.0f%%\n",
		sum.Resolution.Median, sum.BusinessResolution.Median, 100*sum.FirstContactResolution)
	// The full export (with each complaint's whole record, for a
	// migration) goes to a file; the classic log's columns are shown.
	path := filepath.Join(dir, "complaints-log.csv")
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := svc.Export(ctx, out, from, to, complaints.ExportOptions{}); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if err := showLog(path); err != nil {
		return err
	}
	fmt.Println("\nStored in", dir)
	return nil
}

// showLog prints the classic columns of the exported log: date, complaint,
// made by, directed at and outcome.
func showLog(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return err
	}
	fmt.Println("\nThe exported log (date, complaint, made by, directed at, outcome):")
	for _, r := range rows[1:] {
		fmt.Printf("  %s | %s | %s | %s | %s\n", r[1][:10], r[2], r[3], r[4], r[5])
	}
	return nil
}
