package strategy_test

import (
	"context"
	"errors"
	"github.com/cxkit/cxkit/strategy/budget"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

// failedOf returns the failed findings on c, joined, for matching.
func failedOf(r strategy.Review, c strategy.Criterion) string {
	var ss []string
	for _, f := range r.Failed() {
		if f.Criterion == c {
			ss = append(ss, f.Reason)
		}
	}
	return strings.Join(ss, " | ")
}

// Issue 15: each vague or unrealistic draft the issue names, which the
// old review passed, now fails on the criterion it breaks.
func TestReviewJudgesWhatOldChecksPassed(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*strategy.Strategy)
		noSources bool
		criterion strategy.Criterion
		reason    string
	}{
		{"vague issue", func(s *strategy.Strategy) { s.Issue = "Improve things soon" },
			false, strategy.CriterionSpecific, `the issue is too vague ("Improve things soon"`},
		{"vague scope", func(s *strategy.Strategy) { s.Scope = "all the things" },
			false, strategy.CriterionSpecific, `the scope, who or what is affected, is too vague ("all the things"`},
		{"vague alternative", func(s *strategy.Strategy) {
			s.Alternatives[1].Title, s.Alternatives[1].Description = "do it better", ""
		},
			false, strategy.CriterionSpecific, `the recommended alternative is too vague ("do it better"`},
		{"a single zero budget line", func(s *strategy.Strategy) {
			s.Budget = []budget.Line{{Description: "Budget", Kind: budget.KindProject, Area: budget.AreaTraining, Amount: aud(0)}}
		}, false, strategy.CriterionAchievable, "line 1 (Budget): it has no money and no staff hours; no staff hours"},
		{"a placeholder compliance answer", func(s *strategy.Strategy) { s.Compliance[0].How = "x" },
			false, strategy.CriterionLegal, `the answer is too short to act on ("x"`},
		{"an answer that ignores the requirement", func(s *strategy.Strategy) { s.Compliance[0].How = "We will be careful with everything we do here" },
			false, strategy.CriterionLegal, "does not refer to it"},
		{"14 to 0 in 14 days", func(s *strategy.Strategy) {
			s.Targets[0].Baseline, s.Targets[0].Goal, s.Targets[0].Deadline = 14, 0, s.Start.AddDate(0, 0, 14)
		}, false, strategy.CriterionAchievable, "the 28-day measurement window does not fit once between the start (2027-01-04) and the deadline (2027-01-18)"},
		{"a source called vibes with none wired", func(s *strategy.Strategy) { s.Targets[0].Source = "vibes" },
			true, strategy.CriterionMeasurable, `measurement source "vibes" is not wired`},
		{"a group as owner", func(s *strategy.Strategy) { s.Owner = "the dispatch team" },
			false, strategy.CriterionAssignable, `the owner "the dispatch team" is a group or a role`},
		{"a manual target nobody types in", func(s *strategy.Strategy) { s.Targets[1].EnteredBy = "" },
			false, strategy.CriterionMeasurable, "declared manual, but no named person types its check-ins"},
		{"a baseline of two days", func(s *strategy.Strategy) { s.Targets[0].BaselineFrom = s.Targets[0].BaselineTo.AddDate(0, 0, -2) },
			false, strategy.CriterionMeasurable, "less than the 7-day minimum"},
		{"a category spelt unlike the stored one", func(s *strategy.Strategy) {
			s.Targets[0].Metric = cxkit.Metric{Name: "count", Dimension: "category", Value: "Late-Delivery"}
		}, false, strategy.CriterionMeasurable, "the complaints source cannot compute complaints with category Late-Delivery"},
		{"a goal the history cannot support", func(s *strategy.Strategy) { s.Targets[0].Goal = 0 },
			false, strategy.CriterionAchievable, "the goal needs a fall of 6.67 complaints every 28-day window for 6 windows; the best fall between two windows in the last 12 was 6"},
		{"a goal inside the usual swing", func(s *strategy.Strategy) { s.Targets[0].Goal = 37 },
			false, strategy.CriterionAchievable, "the goal moves 3 complaints, less than the usual swing of 4.52 between windows"},
		{"an activity nobody pays for", func(s *strategy.Strategy) { s.Budget = s.Budget[:2] },
			false, strategy.CriterionAchievable, `no line with money or staff hours pays for the activity "Tell customers"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testStrategy()
			tt.edit(&s)
			svc, _, _ := newService(t)
			if tt.noSources {
				var err error
				if svc, err = strategy.New(memory.New(), testOrg()); err != nil {
					t.Fatal(err)
				}
			}
			r, err := svc.CheckDraft(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			if got := failedOf(r, tt.criterion); !strings.Contains(got, tt.reason) {
				t.Errorf("%s findings not met: %q, want %q\n%s", tt.criterion, got, tt.reason, r)
			}
		})
	}
}

// Issue 15: a source that counts nothing where the baseline says 40 (a
// category matched case-sensitively, "Delivery" against "delivery") fails
// Measurable instead of silently measuring 0.
func TestReviewSourceThatMeasuresNothing(t *testing.T) {
	zero := strategy.SourceFunc(func(context.Context, cxkit.Metric, time.Time, time.Time) (float64, error) { return 0, nil })
	svc, err := strategy.New(memory.New(), testOrg(), strategy.WithSource("complaints", zero))
	if err != nil {
		t.Fatal(err)
	}
	r, err := svc.CheckDraft(context.Background(), testStrategy())
	if err != nil {
		t.Fatal(err)
	}
	want := "the complaints source gives 0 complaints between 2026-12-03 and 2026-12-31, but the baseline says 40"
	if got := failedOf(r, strategy.CriterionMeasurable); !strings.Contains(got, want) {
		t.Errorf("measurable = %q, want %q", got, want)
	}
}

// Issue 15: what each kind of budget holds is checked.
func TestReviewBudgetKinds(t *testing.T) {
	tests := []struct {
		name   string
		line   budget.Line
		reason string // "" means met
	}{
		{"sales forecast without units", budget.Line{Kind: budget.KindSales, Amount: aud(100000), Period: "2027-Q1"},
			"a sales budget forecasts both the units sold and the money they bring"},
		{"sales forecast without a period", budget.Line{Kind: budget.KindSales, Amount: aud(100000), Units: 50},
			"a sales forecast names the period it is for"},
		{"sales forecast, complete", budget.Line{Kind: budget.KindSales, Amount: aud(9_000_000_00), Units: 5000, Period: "2027-Q1"}, ""},
		{"production without units", budget.Line{Kind: budget.KindProduction, Amount: aud(100000)},
			"a production budget gives the units to make"},
		{"cash flow spending more than it receives, unfinanced", budget.Line{Kind: budget.KindCashFlow, Amount: aud(100000), Receipts: aud(40000)},
			"expenditure exceeds receipts by AUD 600.00, which outside financing must cover"},
		{"management without stock or tax", budget.Line{Kind: budget.KindManagement, Amount: aud(100000)},
			"a management budget says what the money is set aside for"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testStrategy()
			tt.line.Description, tt.line.Area, tt.line.Activity = "the line", budget.AreaPolicies, "Set up SMS alerts"
			s.Budget = append(s.Budget, tt.line)
			got := failedOf(checkOf(t, s), strategy.CriterionAchievable)
			if tt.reason == "" && got != "" || !strings.Contains(got, tt.reason) {
				t.Errorf("achievable not met: %q, want %q", got, tt.reason)
			}
		})
	}
	// A sales forecast is income, not spending: it draws on no funds.
	s := testStrategy()
	s.Budget = append(s.Budget, budget.Line{Description: "forecast", Kind: budget.KindSales, Area: budget.AreaPolicies,
		Amount: money.MustNew(1<<40, "AUD"), Units: 10, Period: "2027-Q1", Activity: "Tell customers"})
	if got := failedOf(checkOf(t, s), strategy.CriterionAchievable); got != "" {
		t.Errorf("a large sales forecast counted as spending: %q", got)
	}
}

// Relevance names the culture-scorecard area the goal serves.
func TestReviewRelevantNamesCultureArea(t *testing.T) {
	r := checkOf(t, testStrategy())
	if f := r.Of(strategy.CriterionRelevant)[0]; !f.Met || !strings.Contains(f.Reason, "in the culture area customer focus") {
		t.Errorf("relevant = %+v", f)
	}
	cfg := testOrg()
	cfg.Culture = append(cfg.Culture, strategy.CultureArea{Name: "financial", Goals: []string{"G7"}})
	var ve *cxkit.ValidationError
	if _, err := strategy.New(memory.New(), cfg); !errors.As(err, &ve) || ve.Field != "config.culture[1].goals[0]" {
		t.Errorf("culture area naming an undeclared goal: %v", err)
	}
}

// Issue 15: a check-in dated in the future is refused.
func TestCheckInRefusesFuture(t *testing.T) {
	ctx := context.Background()
	m, clk, _ := newService(t)
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	clk.set(date(2027, 2, 1))
	_, err = m.CheckIn(ctx, s.ID, "T2", strategy.CheckIn{At: date(2027, 2, 2), Value: 80, Confidence: strategy.ConfidenceHigh, By: "Sam Ortiz"})
	var ve *cxkit.ValidationError
	if !errors.As(err, &ve) || ve.Field != "check_in.at" || !strings.Contains(ve.Rule, "must not be in the future") {
		t.Fatalf("future check-in: %v, want refused", err)
	}
	if got, _ := m.Get(ctx, s.ID); got.Version != s.Version {
		t.Errorf("a refused check-in changed the strategy")
	}
}

// Issue 15: drafting from an action due before the chosen start leaves the
// deadline for the author and says so, instead of failing.
func TestDraftFromActionDueBeforeStart(t *testing.T) {
	svc, _, _ := newService(t)
	a := assessment.Action{Assessment: "a1", Factor: "planning", Statement: "planning-5",
		NeedsToHappen: "Know the most common causes of complaints", Initiate: "A monthly Pareto with the team leaders",
		Owner: "Kim Wu", Due: date(2026, 12, 1)}
	s, err := svc.DraftFromAction(context.Background(), a, strategy.DraftOptions{Start: date(2027, 1, 4)})
	if err != nil {
		t.Fatalf("DraftFromAction: %v, want a draft", err)
	}
	if !s.Deadline.IsZero() || s.Origin == nil ||
		s.Origin.Note != "the action was due on 2026-12-01, which is not after the chosen start (2027-01-04), so the deadline is left for the author to set" {
		t.Errorf("deadline %s, origin %+v", s.Deadline, s.Origin)
	}
	r, err := svc.CheckDraft(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if got := failedOf(r, strategy.CriterionTimeBound); !strings.Contains(got, "no deadline") {
		t.Errorf("time-bound = %q, want no deadline", got)
	}
}

// The service tells the host about stage changes, check-ins and a
// strategy going off track, after each change is stored.
func TestServiceEvents(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var got []cxkit.Event
	h := cxkit.EventHandlerFunc(func(_ context.Context, e cxkit.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, e)
		return nil
	})
	m, clk, _ := newService(t, strategy.WithEventHandler(h))
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Move(ctx, s.ID, strategy.StageApproved, "board", "fits"); err != nil {
		t.Fatal(err)
	}
	// Two thirds of the time gone and nothing moved: off track.
	clk.set(date(2027, 5, 1))
	if _, err := m.CheckIn(ctx, s.ID, "T1", strategy.CheckIn{Value: 40, Confidence: strategy.ConfidenceLow, By: "dana"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.AddInput(ctx, s.ID, strategy.Input{By: "Sam Ortiz", Kind: strategy.InputKindComment, Text: "Pickers need the new cut-off in writing"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Move(ctx, s.ID, strategy.StageCompleted, "dana", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Move(ctx, s.ID, strategy.StageApproved, "dana", ""); !errors.Is(err, cxkit.ErrTransition) {
		t.Fatalf("completed -> approved: %v", err)
	}
	want := []cxkit.EventType{strategy.EventCreated, strategy.EventApproved, strategy.EventCheckedIn, strategy.EventOffTrack,
		strategy.EventInput, strategy.EventCompleted}
	if len(got) != len(want) {
		t.Fatalf("events %+v, want %v", got, want)
	}
	for i, e := range got {
		if e.Type != want[i] || e.Subject != s.ID || e.ID == "" {
			t.Errorf("event %d = %+v, want %s on %s", i, e, want[i], s.ID)
		}
	}
	if e := got[1]; e.From != "draft" || e.To != "approved" || e.By != "board" {
		t.Errorf("approved event = %+v", e)
	}
	if e := got[2]; e.Attrs["target"] != "T1" || e.Attrs["value"] != "40" {
		t.Errorf("checked-in event = %+v", e)
	}
	if e := got[3]; !strings.HasPrefix(e.Note, "off track:") {
		t.Errorf("off-track event = %+v", e)
	}
	for _, typ := range want {
		found := false
		for _, x := range strategy.EventTypes() {
			found = found || x == typ
		}
		if !found {
			t.Errorf("EventTypes lacks %s", typ)
		}
	}
}

// Typed filters list strategies without store types.
func TestListFilter(t *testing.T) {
	ctx := context.Background()
	m, _, _ := newService(t)
	a, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	other := testStrategy()
	other.Owner, other.Deadline = "Kim Wu", date(2027, 3, 31)
	if _, err := m.Create(ctx, other, "kim"); err != nil {
		t.Fatal(err)
	}
	count := func(f strategy.Filter) int {
		n := 0
		for _, err := range m.List(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	if n := count(strategy.Filter{Owner: "Kim Wu"}); n != 1 {
		t.Errorf("by owner: %d", n)
	}
	if n := count(strategy.Filter{DeadlineFrom: date(2027, 6, 1)}); n != 1 {
		t.Errorf("deadline from June: %d", n)
	}
	if n := count(strategy.Filter{DeadlineTo: date(2027, 12, 31), Stage: strategy.StageDraft}); n != 2 {
		t.Errorf("drafts due this year: %d", n)
	}
	if _, err := m.Move(ctx, a.ID, strategy.StageApproved, "board", ""); err != nil {
		t.Fatal(err)
	}
	if n := count(strategy.Filter{Stage: strategy.StageApproved}); n != 1 {
		t.Errorf("approved: %d", n)
	}
}
