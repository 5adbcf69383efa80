package growth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
)

// The store's clock stands at the start of December 2026 for the whole
// run; the month every report looks at is November. The history before it
// arrived at the month's own rate, so a bigger store is an older one: the
// month and the months just before it (which trends and baselines look
// at) are the same at every size, and only the depth of the history
// differs. At 2,000 a month, 1M complaints go back 41 years.
var (
	now        = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	monthStart = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	monthEnd   = now
)

const org = "harbourside"

// config is the organisation the benchmark runs: calendar-time targets
// (a day to acknowledge, ten to resolve, five to follow up) and a ladder
// the sweep escalates up when a resolution is late.
func config() complaints.Config {
	return complaints.Config{
		Org: org,
		Charter: complaints.Charter{
			Default: complaints.Assignment{Receiver: "front desk", Investigator: "agent", Resolver: "team leader"},
		},
		Policy: remedy.Policy{
			Currency: "AUD",
			Authority: []remedy.Authority{
				{Role: "agent", Limit: money.MustNew(5000, "AUD"), ApprovedBy: "team leader"},
				{Role: "team leader", Limit: money.MustNew(50000, "AUD")},
			},
		},
		Targets: complaints.Targets{Acknowledge: 24 * time.Hour, Resolve: 10 * 24 * time.Hour, FollowUp: 5 * 24 * time.Hour},
		Ladder: []complaints.Level{
			{Name: "agent", Party: "agent"}, {Name: "team leader", Party: "Jo"},
			{Name: "manager", Party: "service manager"}, {Name: "director", Party: "director"},
		},
		Escalation: []complaints.EscalationRule{
			{Deadline: complaints.DeadlineResolve, Level: 1},
			{Deadline: complaints.DeadlineResolve, Overdue: 5 * 24 * time.Hour, Level: 2},
		},
	}
}

var (
	categories = []string{"delivery", "faulty product", "billing", "rude staff", "website", "waiting time", "product knowledge", "returns", "pricing", "safety"}
	summaries  = []string{
		"The parcel arrived a week late and nobody told me why; I had taken the day off work to wait for it.",
		"I was charged twice for the same order and the refund has still not appeared on my statement.",
		"The kettle stopped working after three days and the shop would not exchange it without the box.",
		"The person on the phone was dismissive and hung up before I could give my order number.",
		"The website kept logging me out at the payment page, so I could not finish the order.",
	}
	targetNames = map[complaints.TargetKind]string{
		complaints.TargetKindStaff: "Salesperson", complaints.TargetKindTeam: "Night shift",
		complaints.TargetKindOutsourced: "Courier", complaints.TargetKindProduct: "Kettle KX-200",
		complaints.TargetKindPolicy: "Returns policy",
	}
)

// complaint makes one complaint received at t, closed (its six steps done
// in time, with the history a live complaint would have) unless open is
// true, in which case it stands at an earlier step with its deadlines
// running.
func complaint(r *rand.Rand, t time.Time, open bool) complaints.Complaint {
	kinds := complaints.TargetKinds()
	kind := kinds[r.IntN(len(kinds))]
	c := complaints.Complaint{
		Received:   t,
		Channel:    complaints.Channels()[r.IntN(len(complaints.Channels()))],
		Customer:   complaints.Customer{Ref: fmt.Sprintf("crm-%d", r.IntN(200_000)), Name: "Sam Lee", Contact: "sam.lee@example.com"},
		Summary:    summaries[r.IntN(len(summaries))],
		Category:   categories[min(r.IntN(14), len(categories)-1)], // a long tail: delivery and friends lead
		MadeBy:     complaints.MadeBys()[r.IntN(len(complaints.MadeBys()))],
		DirectedAt: complaints.Target{Kind: kind, Name: targetNames[kind]},
		Severity:   complaints.Severities()[r.IntN(len(complaints.Severities()))],
		Concerns:   fmt.Sprintf("order %d", 100000+r.IntN(900000)),
		Assigned:   complaints.Assignment{Receiver: "front desk", Investigator: "agent", Resolver: "team leader"},
		Due: complaints.Deadlines{
			Acknowledge: t.Add(24 * time.Hour),
			Resolve:     t.Add(10 * 24 * time.Hour),
		},
	}
	hist := func(at time.Time, by, action string, from, to complaints.Status, what string) {
		c.History = append(c.History, cxkit.HistoryEntry{At: at, By: by, Action: action, From: string(from), To: string(to), What: what})
	}
	hist(t, "front desk", "logged", "", complaints.StatusReceived, "logged from "+string(c.Channel))
	step := func(h time.Duration) time.Time { return t.Add(h + time.Duration(r.IntN(3600))*time.Second) }

	// How far it got: every step for a closed one; for an open one,
	// received, investigating or acknowledged.
	stage := 6
	if open {
		stage = r.IntN(3)
	}
	if stage >= 1 {
		hist(step(2*time.Hour), "agent", string(complaints.StepInvestigate), complaints.StatusReceived, complaints.StatusInvestigating, "asked the courier and the warehouse")
		c.Status = complaints.StatusInvestigating
	}
	if stage >= 2 {
		c.Acknowledged = step(6 * time.Hour)
		c.Owner = "team leader"
		hist(c.Acknowledged, "team leader", string(complaints.StepAcknowledge), complaints.StatusInvestigating, complaints.StatusAcknowledged, "will put it right")
		c.Status = complaints.StatusAcknowledged
	}
	if stage == 0 {
		c.Status = complaints.StatusReceived
	}
	if stage < 6 {
		return c
	}
	decided := step(30 * time.Hour)
	c.Remedy = &remedy.Remedy{Kind: remedy.KindApology, DecidedBy: remedy.Actor{Name: "Jo", Role: "team leader"}, DecidedAt: decided, State: remedy.StateApproved}
	hist(decided, "Jo", string(complaints.StepDecide), complaints.StatusAcknowledged, complaints.StatusDecided, "apology")
	c.Resolved = step(48 * time.Hour)
	c.NotifiedHow = "phone call"
	hist(c.Resolved, "Jo", string(complaints.StepNotify), complaints.StatusDecided, complaints.StatusNotified, "told by phone")
	c.Due.FollowUp = c.Resolved.Add(5 * 24 * time.Hour)
	c.FollowedUp = step(96 * time.Hour)
	sat := r.IntN(4) != 0
	c.Satisfied = &sat
	hist(c.FollowedUp, "agent", string(complaints.StepFollowUp), complaints.StatusNotified, complaints.StatusFollowedUp, "asked how it went")
	c.Closed = step(100 * time.Hour)
	c.Outcome = "apologised"
	hist(c.Closed, "agent", string(complaints.StepClose), complaints.StatusFollowedUp, complaints.StatusClosed, "apologised")
	c.Status = complaints.StatusClosed
	return c
}

// monthComplaints are the complaints of the month every report reads: the
// same m complaints at every store size, a quarter of them still open.
func monthComplaints(m int) []complaints.Complaint {
	r := rand.New(rand.NewPCG(11, 13))
	span := monthEnd.Sub(monthStart)
	out := make([]complaints.Complaint, m)
	for i := range out {
		t := monthStart.Add(time.Duration(i) * span / time.Duration(m)).Add(time.Duration(r.IntN(60)) * time.Second)
		out[i] = complaint(r, t, i%4 == 0)
		// Steps done after the start of December have not happened yet.
		if c := &out[i]; c.Status == complaints.StatusClosed && c.Closed.After(now.Add(-time.Hour)) {
			out[i] = complaint(r, t, true)
		}
	}
	return out
}

// history yields the n complaints received before the month, at the
// month's rate of m a month, closed, in chunks of at most chunk, oldest
// first.
func history(n, m, chunk int, yield func([]complaints.Complaint) error) error {
	r := rand.New(rand.NewPCG(uint64(n), 17))
	gap := monthEnd.Sub(monthStart) / time.Duration(m)
	buf := make([]complaints.Complaint, 0, chunk)
	for i := range n {
		buf = append(buf, complaint(r, monthStart.Add(-time.Duration(n-i)*gap), false))
		if len(buf) == chunk || i == n-1 {
			if err := yield(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// historyFrom is when the oldest of n complaints was received.
func historyFrom(n, m int) time.Time {
	return monthStart.Add(-time.Duration(n) * (monthEnd.Sub(monthStart) / time.Duration(m)))
}

// intake is a new complaint logged at the store's present, for the single
// log and workflow-step measurements.
func intake(i int) complaints.Intake {
	return complaints.Intake{
		Channel:    complaints.ChannelPhone,
		Customer:   complaints.Customer{Ref: fmt.Sprintf("crm-new-%d", i), Name: "Alex Tan", Contact: "alex@example.com"},
		Summary:    "The replacement part never arrived.",
		Category:   "delivery",
		MadeBy:     complaints.MadeByRegular,
		DirectedAt: complaints.Target{Kind: complaints.TargetKindOutsourced, Name: "Courier"},
		Severity:   complaints.SeverityMedium,
		By:         "desk agent",
	}
}

// handKeptCSV is a log kept by hand in a spreadsheet, rows complaints
// from October with their outcome (so they arrive closed), different for
// each round so that every import writes them all.
func handKeptCSV(round, rows int) []byte {
	b := []byte("date,complaint,made by,directed at,outcome,category,channel,severity\n")
	start := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	for i := range rows {
		t := start.Add(time.Duration(i) * 30 * 24 * time.Hour / time.Duration(rows))
		b = fmt.Appendf(b, "%s,Round %d row %d: the courier left the parcel in the rain,regular customer,outsourced: Courier,refund given,delivery,phone,low\n",
			t.Format(time.RFC3339), round, i)
	}
	return b
}
