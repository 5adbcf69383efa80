package strategy_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

func TestDraftFromCategoryMeasuresBaseline(t *testing.T) {
	src := &stubSource{values: map[string]float64{"count:category=late-delivery": 42}}
	trend := strategy.CategoryTrend{Category: "late-delivery", Count: 40, Share: 0.35, From: date(2026, 10, 1), To: date(2027, 1, 1)}
	svc, err := strategy.New(memory.New(), testOrg(), strategy.WithSource("complaints", src))
	if err != nil {
		t.Fatal(err)
	}
	s, err := svc.DraftFromCategory(context.Background(), trend, strategy.DraftOptions{
		Start: date(2027, 1, 4), Owner: "Dana Lee"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.Issue, "late-delivery lead the complaint Pareto: 40 between 2026-10-01 and 2027-01-01, 35% of all complaints.") {
		t.Errorf("issue = %q", s.Issue)
	}
	if len(s.Targets) != 1 {
		t.Fatalf("targets = %+v, want one", s.Targets)
	}
	tg := s.Targets[0]
	// The baseline comes from the source (42), not the trend's count (40).
	if tg.Baseline != 42 || tg.Goal != 21 || tg.Direction != strategy.DirectionDecrease || tg.Source != "complaints" ||
		tg.Metric != lateDelivery || !tg.BaselineFrom.Equal(trend.From) || !tg.BaselineTo.Equal(trend.To) {
		t.Errorf("target = %+v", tg)
	}
	if len(src.asked) != 1 || !src.asked[0].from.Equal(trend.From) || !src.asked[0].to.Equal(trend.To) {
		t.Errorf("source asked %+v, want the trend's period", src.asked)
	}
	if s.Origin == nil || s.Origin.Kind != strategy.OriginCategory || s.Origin.Ref != "late-delivery" || s.Owner != "Dana Lee" {
		t.Errorf("origin %+v owner %q", s.Origin, s.Owner)
	}
	// A draft is a start: the SMART review says what is missing.
	r, err := svc.CheckDraft(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	var failed []strategy.Criterion
	for _, f := range r.Failed() {
		failed = append(failed, f.Criterion)
	}
	want := []strategy.Criterion{strategy.CriterionSpecific, strategy.CriterionAchievable, strategy.CriterionRelevant, strategy.CriterionTimeBound}
	if len(failed) != len(want) {
		t.Fatalf("failed %v, want %v:\n%s", failed, want, r)
	}
	for i := range want {
		if failed[i] != want[i] {
			t.Errorf("failed %v, want %v", failed, want)
		}
	}
}

func TestDraftFromCategoryWithoutSourceUsesTrendCount(t *testing.T) {
	trend := strategy.CategoryTrend{Category: "rude-staff", Count: 12, Share: 0.2, From: date(2026, 10, 1), To: date(2027, 1, 1)}
	svc, err := strategy.New(memory.New(), testOrg())
	if err != nil {
		t.Fatal(err)
	}
	s, err := svc.DraftFromCategory(context.Background(), trend, strategy.DraftOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tg := s.Targets[0]; tg.Baseline != 12 || tg.Goal != 6 {
		t.Errorf("target = %+v, want 12 -> 6", tg)
	}
}

func TestDraftFromCategoryRejects(t *testing.T) {
	ctx := context.Background()
	svc, err := strategy.New(memory.New(), testOrg())
	if err != nil {
		t.Fatal(err)
	}
	ok := strategy.CategoryTrend{Category: "late", Count: 3, Share: 0.1, From: date(2026, 1, 1), To: date(2026, 2, 1)}
	tests := []struct {
		name  string
		trend strategy.CategoryTrend
		field string
	}{
		{"no category", strategy.CategoryTrend{Count: 3, From: ok.From, To: ok.To}, "trend.category"},
		{"backwards period", strategy.CategoryTrend{Category: "late", Count: 3, From: ok.To, To: ok.From}, "trend.to"},
		{"share over 1", strategy.CategoryTrend{Category: "late", Count: 3, Share: 1.5, From: ok.From, To: ok.To}, "trend"},
		{"nothing to reduce", strategy.CategoryTrend{Category: "late", Count: 0, From: ok.From, To: ok.To}, "baseline.change"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.DraftFromCategory(ctx, tt.trend, strategy.DraftOptions{})
			var fe *cxkit.ValidationError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("DraftFromCategory = %v, want a ValidationError on %s", err, tt.field)
			}
		})
	}
	failing, err := strategy.New(memory.New(), testOrg(), strategy.WithSource("complaints", &stubSource{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := failing.DraftFromCategory(ctx, ok, strategy.DraftOptions{}); !errors.Is(err, errStubUnknown) {
		t.Errorf("source failure: %v, want it passed through", err)
	}
}

func TestDraftFromAction(t *testing.T) {
	a := assessment.Action{
		Assessment: "01JASSESS", Factor: "planning", Statement: "planning-5",
		NeedsToHappen: "Know the most common causes of complaints. Review them monthly.",
		Initiate:      "Run a monthly Pareto of complaint categories with the team leaders",
		Owner:         "Kim Wu", Due: date(2027, 6, 30), Status: assessment.ActionStatusOpen,
	}
	a.ID = "01JACTION"
	src := &stubSource{values: map[string]float64{"breach_rate": 0.2}}
	svc, err := strategy.New(memory.New(), testOrg(), strategy.WithSource("complaints", src))
	if err != nil {
		t.Fatal(err)
	}
	s, err := svc.DraftFromAction(context.Background(), a, strategy.DraftOptions{
		Start: date(2027, 1, 4),
		Baseline: &strategy.Baseline{Source: "complaints", Metric: cxkit.Metric{Name: "breach_rate"}, Unit: "share of complaints",
			Direction: strategy.DirectionDecrease, From: date(2026, 10, 1), To: date(2027, 1, 1), Change: -0.5},
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Know the most common causes of complaints" || s.Owner != "Kim Wu" || !s.Deadline.Equal(a.Due) {
		t.Errorf("title %q owner %q deadline %s", s.Title, s.Owner, s.Deadline)
	}
	if !strings.Contains(s.Issue, "A self-assessment rated factor planning (statement planning-5)") || strings.Contains(s.Issue, "01J") {
		t.Errorf("issue = %q", s.Issue)
	}
	if o, ok := s.Alternative(s.Recommended); !ok || o.Description != a.Initiate {
		t.Errorf("recommended option = %+v", o)
	}
	if tg := s.Targets[0]; tg.Baseline != 0.2 || tg.Goal != 0.1 {
		t.Errorf("target = %+v, want 0.2 -> 0.1", tg)
	}
	if s.Origin.Kind != strategy.OriginAction || s.Origin.Ref != "01JACTION" {
		t.Errorf("origin = %+v", s.Origin)
	}
	a.NeedsToHappen = " "
	if _, err := svc.DraftFromAction(context.Background(), a, strategy.DraftOptions{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty action: %v, want ErrInvalid", err)
	}
}

// TestDraftFromActionThroughAssessment drafts from an action recorded the
// way a team records it: an assessment is rated, the lowest statement goes
// on the "do better" list, an action is added for it, and the stored action
// is what the strategy is drafted from.
func TestDraftFromActionThroughAssessment(t *testing.T) {
	ctx := context.Background()
	now := date(2027, 1, 4)
	svc, err := assessment.New(memory.New(), assessment.Config{}, assessment.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := assessment.BuiltinCatalogue(assessment.FactorsCatalogue)
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Create(ctx, assessment.Assessment{
		Catalogue: cat.ID, CatalogueVersion: cat.Version, Team: "Dispatch",
		Period:       assessment.Period{From: now, To: now.AddDate(0, 0, 7)},
		Participants: []string{"Ana", "Ben"},
		Factors:      []string{"policy-standards"},
	}, "Ana")
	if err != nil {
		t.Fatal(err)
	}
	// Statement 09 scores lowest for both, so it is the first "do better".
	for who, low := range map[string]int{"Ana": 1, "Ben": 2} {
		var rs []assessment.Rating
		for i := 1; i <= 11; i++ {
			score := 4
			if i == 9 {
				score = low
			}
			rs = append(rs, assessment.Rate(fmt.Sprintf("policy-standards-%02d", i), score))
		}
		if err := svc.Rate(ctx, a.ID, who, rs...); err != nil {
			t.Fatal(err)
		}
	}
	_, betters, err := svc.Suggest(ctx, a.ID, "policy-standards")
	if err != nil {
		t.Fatal(err)
	}
	if len(betters) == 0 || betters[0].Statement != "policy-standards-09" {
		t.Fatalf("do-better suggestions = %+v, want policy-standards-09 first", betters)
	}
	if _, err := svc.Choose(ctx, a.ID, "policy-standards", assessment.PickKindDoBetter, "Ana", assessment.Choice{Statement: betters[0].Statement}); err != nil {
		t.Fatal(err)
	}
	added, err := svc.AddAction(ctx, assessment.Action{
		Assessment: a.ID, Statement: betters[0].Statement,
		NeedsToHappen: "Everyone on dispatch knows the delivery standards. Check it each quarter.",
		Initiate:      "A ten-minute quiz on the delivery standards at the Monday briefing",
		Owner:         "Ben Ortiz", Due: date(2027, 6, 30),
	}, "Ana")
	if err != nil {
		t.Fatal(err)
	}
	act, err := svc.Action(ctx, added.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ := newService(t)
	s, err := m.DraftFromAction(ctx, act, strategy.DraftOptions{Start: now, Goals: []string{"G2"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Everyone on dispatch knows the delivery standards" || s.Owner != "Ben Ortiz" ||
		!s.Deadline.Equal(date(2027, 6, 30)) || !s.Start.Equal(now) {
		t.Errorf("title %q owner %q start %s deadline %s", s.Title, s.Owner, s.Start, s.Deadline)
	}
	wantIssue := fmt.Sprintf("A self-assessment rated factor policy-standards (statement policy-standards-09) as something to do better: %s", act.NeedsToHappen)
	if s.Issue != wantIssue {
		t.Errorf("issue = %q, want %q", s.Issue, wantIssue)
	}
	if o, ok := s.Alternative(s.Recommended); !ok || o.Description != act.Initiate {
		t.Errorf("recommended option = %+v, want the action's initiative", o)
	}
	if s.Origin == nil || s.Origin.Kind != strategy.OriginAction || s.Origin.Ref != act.ID {
		t.Errorf("origin = %+v, want the action %s", s.Origin, act.ID)
	}
	// Stored, the history says where it came from.
	stored, err := m.Create(ctx, s, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if h := stored.History[0].What; h != "drafted from assessment action" {
		t.Errorf("history = %q", h)
	}
}
