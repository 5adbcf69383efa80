// Command smart-strategy walks one improvement strategy through its life on
// the embedded file store: it logs a quarter of complaints, finds that
// "goods not delivered on time" tops the Pareto, drafts a strategy from it
// with the baseline measured from the log, shows what the SMART review
// flags, fixes it, approves it, records two check-ins measured from later
// complaints, and prints the proposal.
//
//	go run ./examples/smart-strategy                 # Markdown for senior management
//	go run ./examples/smart-strategy -html -staff    # HTML for staff
//	go run ./examples/smart-strategy -data dir       # keep the store in dir (start with an empty one)
//
// The program runs on a simulated calendar (January to April 2027) so its
// output is the same every time.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/strategy"
)

//go:embed organisation.json
var organisationJSON []byte

func main() {
	data := flag.String("data", "", "directory for the store (default: a new temporary directory, removed at exit)")
	html := flag.Bool("html", false, "print the proposal as HTML instead of Markdown")
	staff := flag.Bool("staff", false, "write the proposal for staff instead of senior management")
	flag.Parse()
	aud := strategy.SeniorManagement
	if *staff {
		aud = strategy.Staff
	}
	dir, tmp := *data, ""
	err := func() error {
		if dir == "" {
			var err error
			if tmp, err = os.MkdirTemp("", "cxkit-smart-strategy-"); err != nil {
				return err
			}
			dir = tmp
		}
		return run(context.Background(), dir, aud, *html, os.Stdout)
	}()
	if tmp != "" {
		err = errors.Join(err, os.RemoveAll(tmp))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "smart-strategy:", err)
		os.Exit(1)
	}
}

// simClock is the simulated calendar every service reads.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *simClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }

func run(ctx context.Context, dir string, aud strategy.Audience, html bool, w io.Writer) (err error) {
	drv, err := file.Open(dir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, drv.Close()) }()

	org, err := strategy.LoadOrganisation(bytes.NewReader(organisationJSON))
	if err != nil {
		return err
	}
	clk := &simClock{t: day(2027, 1, 4)}
	svc, err := complaints.New(drv, complaints.Config{
		Org:     "harbour",
		Charter: complaints.Charter{Default: complaints.Assignment{Receiver: "front desk", Investigator: "dispatch", Resolver: "service manager"}},
		Policy:  remedy.Policy{Currency: "AUD", Authority: []remedy.Authority{{Role: "service manager", Limit: money.MustNew(50000, "AUD")}}},
		Targets: complaints.Targets{Resolve: 72 * time.Hour},
	}, complaints.WithClock(clk.now))
	if err != nil {
		return err
	}
	sources := strategy.Sources{"complaints": complaintsByName(svc)}
	m, err := strategy.NewManager(strategy.NewRepository(drv), org, strategy.WithClock(clk.now), strategy.WithSources(sources))
	if err != nil {
		return err
	}

	// 1. Last quarter's complaints, and what tops the Pareto.
	q4From, q4To := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := logEvery(ctx, svc, "goods not delivered on time", q4From, q4To, 60*time.Hour); err != nil {
		return err
	}
	if err := logEvery(ctx, svc, "wrong item sent", q4From, q4To, 9*24*time.Hour); err != nil {
		return err
	}
	if err := logEvery(ctx, svc, "rude staff", q4From, q4To, 20*24*time.Hour); err != nil {
		return err
	}
	p, err := svc.Pareto(ctx, q4From, q4To, complaints.DimensionCategory)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Complaint Pareto, %s to %s:\n", q4From.Format(time.DateOnly), q4To.Format(time.DateOnly))
	for _, r := range p.Rows {
		fmt.Fprintf(w, "  %-28s %3d  %3.0f%%  cumulative %3.0f%%\n", r.Value, r.Count, 100*r.Share, 100*r.Cumulative)
	}
	top := p.Rows[0]

	// 2. Draft from the top category, baseline measured from the log.
	draft, err := strategy.DraftFromCategory(ctx, strategy.CategoryTrend{Category: top.Value, Count: top.Count, Share: top.Share, From: q4From, To: q4To},
		strategy.DraftOptions{Start: clk.now(), Sources: sources})
	if err != nil {
		return err
	}
	s, err := m.Create(ctx, draft, "dana")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nDrafted %q: %s %s -> %s\n", s.Title, s.Targets[0].Metric, num(s.Targets[0].Baseline), num(s.Targets[0].Goal))

	// 3. The SMART review of the draft.
	r, err := m.Check(ctx, s.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nSMART review of the draft:")
	for _, f := range r.Failed() {
		fmt.Fprintln(w, "  "+f.String())
	}
	var notSMART *strategy.NotSMARTError
	if _, err := m.Move(ctx, s.ID, strategy.Approved, "board", ""); errors.As(err, &notSMART) {
		fmt.Fprintf(w, "Approval refused: %d findings not met.\n", len(notSMART.Failed))
	} else {
		return fmt.Errorf("approving the draft: want a refusal, got %v", err)
	}

	// 4. Fix what it flagged, first with a budget that is too big.
	s, err = m.Revise(ctx, s.ID, "dana", "answer the SMART review", complete)
	if err != nil {
		return err
	}
	r, err = m.Check(ctx, s.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nAfter the first revision:")
	for _, f := range r.Failed() {
		fmt.Fprintln(w, "  "+f.String())
	}
	s, err = m.Revise(ctx, s.ID, "dana", "fit the staff hours available", func(s *strategy.Strategy) error {
		s.Budget[1].StaffHours = 60 // train team leaders, who train their teams
		return nil
	})
	if err != nil {
		return err
	}
	r, err = m.Check(ctx, s.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "After the second revision: all %d findings met: %t\n", len(r.Findings), r.OK())
	if s, err = m.Move(ctx, s.ID, strategy.Approved, "board", "fits the first-half budget"); err != nil {
		return err
	}
	fmt.Fprintln(w, "Stage:", s.Stage)

	// 5. Two check-ins, each measured from the complaints logged since.
	for _, c := range []struct {
		at   time.Time
		gap  time.Duration
		conf strategy.Confidence
		note string
	}{
		{day(2027, 2, 15), 4 * 24 * time.Hour, strategy.ConfidenceMedium, "cut-off moved; SMS alerts live for half the routes"},
		{day(2027, 4, 2), 5 * 24 * time.Hour, strategy.ConfidenceHigh, "alerts on every route"},
	} {
		last := clk.now()
		clk.set(c.at)
		if err := logEvery(ctx, svc, "goods not delivered on time", last, c.at, c.gap); err != nil {
			return err
		}
		if s, err = m.MeasureCheckIn(ctx, s.ID, "T1", "dana", c.conf, c.note); err != nil {
			return err
		}
		rep, err := m.Status(ctx, s.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Check-in %s: %s %s -> %s\n", c.at.Format(time.DateOnly), s.Targets[0].Metric, num(s.Targets[0].Current()), rep)
	}

	// 6. The proposal.
	prop, err := m.Proposal(ctx, s.ID, aud)
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	if html {
		return prop.HTML(w)
	}
	return prop.Markdown(w)
}

// complete answers the draft's SMART review: scope, options, owner, goals,
// deadline, cadence, costs, and the requirements the strategy touches. The
// training line is deliberately too long for the staff time available.
func complete(s *strategy.Strategy) error {
	aud := func(minor int64) money.Amount { return money.MustNew(minor, "AUD") }
	s.Title = "Deliver on the promised day"
	s.Scope = "Metro deliveries from the Botany warehouse, every customer type"
	s.Needs = "Customers plan their week around our delivery date; they need it to hold, or to hear early when it will not."
	s.Inaction = "Repeat customers move to competitors, and complaint handling keeps taking staff time from dispatch."
	s.Overview = "Late delivery led the complaint Pareto last quarter."
	s.Options = []strategy.Option{
		{ID: "A", Title: "Book a second courier run", Description: "An afternoon courier run on weekdays.",
			Pros: []string{"Quick to start"}, Cons: []string{"A standing cost that does not fix late picking"}},
		{ID: "B", Title: "Earlier dispatch cut-off with SMS alerts", Description: "Move the dispatch cut-off to 2 pm and text customers as soon as an order will miss its day.",
			Pros: []string{"Customers hear before they have to ask"}, Cons: []string{"Needs customers' mobile numbers"}},
	}
	s.Recommended = "B"
	s.Owner = "Dana Lee, dispatch manager"
	s.Consulted = []string{"warehouse team", "customer-service team"}
	s.Deadline = day(2027, 6, 30)
	s.CheckInDays = 14
	s.Goals = []string{"G1"}
	s.Targets[0].Name = "Late-delivery complaints per quarter"
	s.Budget = []strategy.BudgetLine{
		{Description: "SMS gateway set-up", Kind: strategy.BudgetProject, Area: strategy.AreaPolicies, Amount: aud(450000), StaffHours: 30},
		{Description: "Dispatch staff training on the new cut-off", Kind: strategy.BudgetProject, Area: strategy.AreaTraining, Amount: aud(150000), StaffHours: 160},
		{Description: "Tell customers about the alerts", Kind: strategy.BudgetMarketing, Area: strategy.AreaAdvertising, Amount: aud(80000), StaffHours: 10},
	}
	s.Risks = []strategy.Risk{{Description: "Couriers ignore the new cut-off", Mitigation: "written into the courier contract from February"}}
	s.Touches = []string{"customer-details", "dispatch"}
	s.Compliance = []strategy.Compliance{
		{Requirement: "L1", How: "mobile numbers used only for delivery alerts, with consent asked at checkout"},
		{Requirement: "QA1", How: "the dispatch check moves earlier with the cut-off; no step is dropped"},
	}
	return nil
}

// logEvery logs a complaint of category every gap in [from, to).
func logEvery(ctx context.Context, svc *complaints.Service, category string, from, to time.Time, gap time.Duration) error {
	i := 0
	for at := from; at.Before(to); at = at.Add(gap) {
		i++
		_, err := svc.Log(ctx, complaints.Intake{
			Received: at, Channel: complaints.ChannelPhone,
			Customer: complaints.Customer{Ref: fmt.Sprintf("C%04d", i%37)},
			Summary:  category, Category: category,
			MadeBy: complaints.MadeByRegular, DirectedAt: complaints.Target{Kind: complaints.TargetKindTeam, Name: "dispatch"},
			Severity: complaints.SeverityMedium, By: "front desk",
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func num(x float64) string { return fmt.Sprint(x) }

// complaintsByName lets package strategy, which still names metrics as
// text, read the complaints service, whose Measure takes a typed
// cxkit.Metric. It goes when strategy reads cxkit.MeasurementSource.
func complaintsByName(src cxkit.MeasurementSource) strategy.SourceFunc {
	return func(ctx context.Context, metric string, from, to time.Time) (float64, error) {
		m, err := cxkit.ParseMetric(metric)
		if err != nil {
			return 0, err
		}
		return src.Measure(ctx, m, from, to)
	}
}
