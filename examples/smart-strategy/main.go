// Command smart-strategy walks one improvement strategy through its life on
// the embedded file store. It logs a year of complaints, shows the SMART
// review judging a vague draft ("improve things soon"), drafts a better one
// from the category that tops the Pareto with the baseline measured from
// the log, sets a goal the organisation's own history can support, fixes
// what the review flags, approves it, checks in (too early at first, then
// over a full measurement window) and prints the proposal.
//
//	go run ./examples/smart-strategy                 # Markdown for senior management
//	go run ./examples/smart-strategy -html -staff    # HTML for staff
//	go run ./examples/smart-strategy -data dir       # keep the store in dir (start with an empty one)
//
// The program runs on a simulated calendar (2026 to April 2027) so its
// output is the same every time.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"github.com/cxkit/cxkit/strategy/budget"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/examples/internal/demo"
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
	aud := strategy.AudienceSeniorManagement
	if *staff {
		aud = strategy.AudienceStaff
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

	org, err := strategy.LoadConfig(bytes.NewReader(organisationJSON))
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
	m, err := strategy.New(drv, org, strategy.WithClock(clk.now), strategy.WithSource("complaints", demo.AsSource(svc)))
	if err != nil {
		return err
	}

	// 1. A year of complaints: late deliveries ease a little most months,
	// never by more than two a month.
	late := []int{20, 18, 19, 17, 18, 16, 17, 15, 16, 14, 15, 13}
	for i, n := range late {
		from := time.Date(2026, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 1, 0)
		if err := logEvery(ctx, svc, "goods not delivered on time", from, to, to.Sub(from)/time.Duration(n)); err != nil {
			return err
		}
		if err := logEvery(ctx, svc, "wrong item sent", from.Add(36*time.Hour), to, 10*24*time.Hour); err != nil {
			return err
		}
	}
	decFrom, decTo := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := svc.Pareto(ctx, decFrom, decTo, complaints.DimensionCategory)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Complaints in December 2026:\n")
	for _, r := range p.Rows {
		fmt.Fprintf(w, "  %-28s %3d  %3.0f%%\n", r.Value, r.Count, 100*r.Share)
	}
	top := p.Rows[0]

	// 2. A vague draft, as a busy manager might type it, judged.
	vague := strategy.Strategy{
		Title: "Fix deliveries", Issue: "Improve things soon", Scope: "all the things",
		Alternatives: []strategy.Alternative{{ID: "A", Title: "do it better"}}, Recommended: "A",
		Owner: "the team", Start: clk.now(), Deadline: clk.now().AddDate(0, 0, 14), CheckInDays: 7,
		Targets: []strategy.Target{{ID: "T1", Name: "Complaints", Metric: cxkit.Metric{Name: "count"}, Unit: "complaints",
			Baseline: 14, Goal: 0, Direction: strategy.DirectionDecrease, Source: "vibes", Weight: 1}},
		Budget:     []budget.Line{{Description: "Budget", Kind: budget.KindProject, Area: budget.AreaTraining, Amount: money.MustNew(0, "AUD")}},
		Touches:    []string{"customer-details"},
		Compliance: []strategy.Compliance{{Requirement: "L1", How: "x"}},
	}
	r, err := m.CheckDraft(ctx, vague)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nA vague draft, %q, judged:\n", vague.Issue)
	printFailed(w, r)

	// 3. A draft from the data: the baseline is December's count.
	draft, err := m.DraftFromCategory(ctx, strategy.CategoryTrend{Category: top.Value, Count: top.Count, Share: top.Share, From: decFrom, To: decTo},
		strategy.DraftOptions{Start: clk.now()})
	if err != nil {
		return err
	}
	s, err := m.Create(ctx, draft, "dana")
	if err != nil {
		return err
	}
	t := s.Targets[0]
	fmt.Fprintf(w, "\nDrafted %q from the data: %s, %s -> %s a month\n", s.Title, t.Name, num(t.Baseline), num(t.Goal))

	// 4. Fill in what only people know, with a goal the history cannot
	// support (1 a month by the end of March) and a training line too long
	// for the staff time available.
	s, err = m.Revise(ctx, s.ID, "dana", "answer the SMART review", func(s *strategy.Strategy) error {
		complete(s)
		s.Targets[0].Goal, s.Targets[0].Deadline = 1, day(2027, 3, 31)
		return nil
	})
	if err != nil {
		return err
	}
	if r, err = m.Check(ctx, s.ID); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nWith the gaps filled and a goal of 1 a month by the end of March:")
	printFailed(w, r)
	var refused *cxkit.TransitionError
	if _, err := m.Move(ctx, s.ID, strategy.StageApproved, "board", ""); errors.As(err, &refused) {
		fmt.Fprintf(w, "Approval refused: %d of %d findings not met.\n", len(r.Failed()), len(r.Findings))
	} else {
		return fmt.Errorf("approving the draft: want a refusal, got %v", err)
	}

	// 5. Take the goal the history supports, and train team leaders only.
	s, err = m.Revise(ctx, s.ID, "dana", "a goal our own record supports; fit the staff hours", func(s *strategy.Strategy) error {
		s.Targets[0].Goal, s.Targets[0].Deadline = draft.Targets[0].Goal, time.Time{}
		s.Budget[1].StaffHours = 60 // train team leaders, who train their teams
		return nil
	})
	if err != nil {
		return err
	}
	if r, err = m.Check(ctx, s.ID); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWith a goal of %s a month by the end of June: all %d findings met: %t\n", num(s.Targets[0].Goal), len(r.Findings), r.OK())
	for _, f := range r.Of(strategy.CriterionAchievable) {
		fmt.Fprintln(w, "  "+f.String())
	}
	if _, err := m.AddInput(ctx, s.ID, strategy.Input{By: "Sam Ortiz", Kind: strategy.InputKindObjection,
		Text: "A 2 pm cut-off leaves the afternoon pickers idle"}); err != nil {
		return err
	}
	if _, err := m.AddInput(ctx, s.ID, strategy.Input{By: "Lee Park", Kind: strategy.InputKindSupport}); err != nil {
		return err
	}
	if s, err = m.Move(ctx, s.ID, strategy.StageApproved, "board", "fits the first-half budget"); err != nil {
		return err
	}
	fmt.Fprintln(w, "Stage:", s.Stage)

	// 6. Check-ins, measured from the complaints logged since the start:
	// ten days in it is too early to tell; later, over a full month.
	fmt.Fprintln(w)
	for _, c := range []struct {
		at   time.Time
		gap  time.Duration
		conf strategy.Confidence
		note string
	}{
		{day(2027, 1, 14), 3 * 24 * time.Hour, strategy.ConfidenceMedium, ""},
		{day(2027, 2, 15), 3 * 24 * time.Hour, strategy.ConfidenceMedium, "cut-off moved; SMS alerts live for half the routes"},
		{day(2027, 4, 2), 4 * 24 * time.Hour, strategy.ConfidenceHigh, "alerts on every route"},
	} {
		last := clk.now()
		clk.set(c.at)
		if err := logEvery(ctx, svc, "goods not delivered on time", last, c.at, c.gap); err != nil {
			return err
		}
		got, err := m.MeasureCheckIn(ctx, s.ID, "T1", "dana", c.conf, c.note)
		if errors.Is(err, strategy.ErrTooEarly) {
			rep, err := m.Report(ctx, s.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "Check-in %s: %s\n", c.at.Format(time.DateOnly), rep)
			continue
		}
		if err != nil {
			return err
		}
		s = got
		rep, err := m.Report(ctx, s.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Check-in %s: %s %s (goal %s): %s\n", c.at.Format(time.DateOnly), s.Targets[0].Name,
			num(s.Targets[0].Current()), num(s.Targets[0].Goal), rep)
		fmt.Fprintf(w, "  evidence: %s\n", strings.Join(s.Targets[0].CheckIns[len(s.Targets[0].CheckIns)-1].Evidence, "; "))
	}

	// 7. The proposal.
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

func printFailed(w io.Writer, r strategy.Review) {
	for _, f := range r.Failed() {
		fmt.Fprintln(w, "  "+f.String())
	}
}

// complete answers the draft's SMART review: scope, alternatives and their
// activities, owner, goals, deadline, cadence, costs, the requirements the
// strategy touches, and how the change is announced. The training line is
// deliberately too long for the staff time available.
func complete(s *strategy.Strategy) {
	aud := func(minor int64) money.Amount { return money.MustNew(minor, "AUD") }
	s.Title = "Deliver on the promised day"
	s.Scope = "Metro deliveries from the Botany warehouse, every customer type"
	s.Needs = "Customers plan their week around our delivery date; they need it to hold, or to hear early when it will not."
	s.Inaction = "Repeat customers move to competitors, and complaint handling keeps taking staff time from dispatch."
	s.Overview = "Late delivery led the complaints every month last year."
	s.Alternatives = []strategy.Alternative{
		{ID: "A", Title: "Book a second courier run", Description: "An afternoon courier run on weekdays.",
			Pros: []string{"Quick to start"}, Cons: []string{"A standing cost that does not fix late picking"}},
		{ID: "B", Title: "Earlier dispatch cut-off with SMS alerts", Description: "Move the dispatch cut-off to 2 pm and text customers as soon as an order will miss its day.",
			Activities: []string{"Set up SMS alerts", "Train dispatch on the new cut-off", "Tell customers"},
			Pros:       []string{"Customers hear before they have to ask"}, Cons: []string{"Needs customers' mobile numbers"}},
	}
	s.Recommended = "B"
	s.Owner = "Dana Lee, dispatch manager"
	s.Consulted = []string{"warehouse team", "customer-service team"}
	s.Deadline = day(2027, 6, 30)
	s.CheckInDays = 14
	s.Goals = []string{"G1"}
	s.Targets[0].Name = "Late-delivery complaints"
	s.Budget = []budget.Line{
		{Description: "SMS gateway set-up", Activity: "Set up SMS alerts", Kind: budget.KindProject, Area: budget.AreaPolicies, Amount: aud(450000), StaffHours: 30},
		{Description: "Dispatch staff training on the new cut-off", Activity: "Train dispatch on the new cut-off", Kind: budget.KindProject, Area: budget.AreaTraining, Amount: aud(150000), StaffHours: 160},
		{Description: "Tell customers about the alerts", Activity: "Tell customers", Kind: budget.KindMarketing, Area: budget.AreaAdvertising, Amount: aud(80000), StaffHours: 10},
	}
	s.Risks = []strategy.Risk{{Description: "Couriers ignore the new cut-off", Mitigation: "written into the courier contract from February"}}
	s.Touches = []string{"customer-details", "dispatch"}
	s.Compliance = []strategy.Compliance{
		{Requirement: "L1", How: "customer mobile numbers are used only for delivery alerts, with consent asked at checkout"},
		{Requirement: "QA1", How: "the dispatch check moves earlier with the cut-off; no step is dropped"},
	}
	s.Communication = []strategy.Announcement{
		{Audience: strategy.AudienceSeniorManagement, Method: strategy.MethodPresentation, When: day(2027, 1, 6)},
		{Audience: strategy.AudienceStaff, Method: strategy.MethodMeeting, When: day(2027, 1, 11), Message: "The cut-off moves to 2 pm from 1 February."},
		{Audience: strategy.AudienceCustomers, Method: strategy.MethodNewsletter, When: day(2027, 1, 25)},
		{Audience: strategy.AudienceSuppliers, Method: strategy.MethodMemo, When: day(2027, 1, 18), Message: "Couriers collect at 2.30 pm."},
	}
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
