package strategy_test

import (
	"context"
	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/strategy/budget"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/strategy"
)

// TestCheckComplete: the complete strategy meets every criterion and gets a
// finding on each, with reasons.
func TestCheckComplete(t *testing.T) {
	r := checkOf(t, testStrategy())
	if !r.OK() {
		t.Fatalf("review not OK:\n%s", r)
	}
	for _, c := range strategy.Criteria() {
		fs := r.Of(c)
		if len(fs) == 0 {
			t.Errorf("no finding on %s", c)
		}
		for _, f := range fs {
			if f.Reason == "" {
				t.Errorf("finding on %s has no reason", c)
			}
		}
	}
	if n := len(r.Of(strategy.CriterionMeasurable)); n != 2 {
		t.Errorf("%d measurable findings, want one per target (2)", n)
	}
	// L2 (delivery promises) is not touched, so only L1 gets a finding.
	if fs := r.Of(strategy.CriterionLegal); len(fs) != 1 || fs[0].Subject != "L1" {
		t.Errorf("legal findings = %+v, want one on L1", fs)
	}
}

// TestCheckFindings breaks one criterion at a time and expects exactly that
// finding to fail, with a reason saying what is wrong.
func TestCheckFindings(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*strategy.Strategy)
		committed []*strategy.Strategy
		criterion strategy.Criterion
		subject   string
		reason    string
	}{
		{"issue missing", func(s *strategy.Strategy) { s.Issue = "" }, nil,
			strategy.CriterionSpecific, "", "issue is missing"},
		{"issue a placeholder", func(s *strategy.Strategy) { s.Issue = "TBD" }, nil,
			strategy.CriterionSpecific, "", `issue is too short to act on ("TBD"`},
		{"scope too short", func(s *strategy.Strategy) { s.Scope = "deliveries" }, nil,
			strategy.CriterionSpecific, "", "scope, who or what is affected, is too short to act on"},
		{"no recommended alternative", func(s *strategy.Strategy) { s.Recommended = "" }, nil,
			strategy.CriterionSpecific, "", "no alternative is recommended"},
		{"recommended alternative thin", func(s *strategy.Strategy) { s.Alternatives[1].Title, s.Alternatives[1].Description = "SMS", "" }, nil,
			strategy.CriterionSpecific, "", "recommended alternative is too short"},
		{"no owner", func(s *strategy.Strategy) { s.Owner = "" }, nil,
			strategy.CriterionAssignable, "", "no owner is assigned"},
		{"no targets", func(s *strategy.Strategy) { s.Targets = nil }, nil,
			strategy.CriterionMeasurable, "", "no targets"},
		{"target without unit", func(s *strategy.Strategy) { s.Targets[1].Unit = "" }, nil,
			strategy.CriterionMeasurable, "T2", "no unit"},
		{"target without metric", func(s *strategy.Strategy) { s.Targets[0].Metric = cxkit.Metric{} }, nil,
			strategy.CriterionMeasurable, "T1", "no metric"},
		{"target without direction", func(s *strategy.Strategy) { s.Targets[0].Direction = "" }, nil,
			strategy.CriterionMeasurable, "T1", "no direction"},
		{"target without source", func(s *strategy.Strategy) { s.Targets[1].Source = "" }, nil,
			strategy.CriterionMeasurable, "T2", "no measurement source"},
		{"target with an unavailable source", func(s *strategy.Strategy) { s.Targets[1].Source = "mystery" }, nil,
			strategy.CriterionMeasurable, "T2", `measurement source "mystery" is not wired`},
		{"no budget", func(s *strategy.Strategy) { s.Budget = nil }, nil,
			strategy.CriterionAchievable, "", "no budget lines"},
		{"over budget", func(s *strategy.Strategy) { s.Budget[2].Amount = aud(900000) }, nil,
			strategy.CriterionAchievable, "", "marketing budget in 2027-Q2: needs AUD 9000.00, AUD 3000.00 available"},
		{"over budget with what is committed", func(*strategy.Strategy) {}, committedBig(),
			strategy.CriterionAchievable, "", "project budget in 2027-Q1"},
		{"no goals", func(s *strategy.Strategy) { s.Goals = nil }, nil,
			strategy.CriterionRelevant, "", "linked to none of the organisation's declared goals"},
		{"unknown goal", func(s *strategy.Strategy) { s.Goals = []string{"G9"} }, nil,
			strategy.CriterionRelevant, "", "names goals the organisation has not declared: G9"},
		{"no deadline", func(s *strategy.Strategy) { s.Deadline = time.Time{} }, nil,
			strategy.CriterionTimeBound, "", "no deadline"},
		{"no start", func(s *strategy.Strategy) {
			s.Start = time.Time{}
			s.Budget[0].Period, s.Budget[1].Period = "2027-Q1", "2027-Q1"
		}, nil,
			strategy.CriterionTimeBound, "", "no start date"},
		{"no cadence", func(s *strategy.Strategy) { s.CheckInDays = 0 }, nil,
			strategy.CriterionTimeBound, "", "no check-in cadence"},
		{"cadence longer than the strategy", func(s *strategy.Strategy) { s.CheckInDays = 365 }, nil,
			strategy.CriterionTimeBound, "", "leaves no check-in before the deadline"},
		{"QA requirement touched, not answered", func(s *strategy.Strategy) { s.Compliance = s.Compliance[:1] }, nil,
			strategy.CriterionQualityAssurance, "QA1", `"Every order passes the dispatch check" applies, but the strategy does not say how it is met`},
		{"legal requirement touched, not answered", func(s *strategy.Strategy) { s.Touches = append(s.Touches, "delivery-promises") }, nil,
			strategy.CriterionLegal, "L2", "touches delivery-promises"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testStrategy()
			tt.edit(&s)
			svc, _, _ := newService(t)
			r, err := svc.CheckWith(context.Background(), s, tt.committed)
			if err != nil {
				t.Fatal(err)
			}
			failed := r.Failed()
			if len(failed) != 1 {
				t.Fatalf("failed findings:\n%s\nwant exactly one, on %s", r, tt.criterion)
			}
			f := failed[0]
			if f.Criterion != tt.criterion || f.Subject != tt.subject || f.Met {
				t.Errorf("failed finding = %+v, want criterion %s subject %q", f, tt.criterion, tt.subject)
			}
			if !strings.Contains(f.Reason, tt.reason) {
				t.Errorf("reason = %q, want it to contain %q", f.Reason, tt.reason)
			}
		})
	}
}

func committedBig() []*strategy.Strategy {
	other := testStrategy()
	other.Budget = []budget.Line{{Description: "New warehouse system", Kind: budget.KindProject,
		Area: budget.AreaMaintenance, Amount: aud(1500000)}}
	return []*strategy.Strategy{&other}
}

func TestCheckRejectsMalformed(t *testing.T) {
	s := testStrategy()
	s.Targets[0].Weight = 0
	svc, _, _ := newService(t)
	if _, err := svc.CheckDraft(context.Background(), s); err == nil {
		t.Error("Check of a malformed strategy = nil error, want the validation error")
	}
}

func TestCheckNoRequirementsTouched(t *testing.T) {
	s := testStrategy()
	s.Touches, s.Compliance = nil, nil
	r := checkOf(t, s)
	for _, c := range []strategy.Criterion{strategy.CriterionQualityAssurance, strategy.CriterionLegal} {
		fs := r.Of(c)
		if len(fs) != 1 || !fs[0].Met || !strings.Contains(fs[0].Reason, "touches none of the") {
			t.Errorf("%s findings = %+v, want one met finding saying none is touched", c, fs)
		}
	}
}

// TestCheckAchievableOnlyWhatTheStrategyDrawsOn: committed strategies count
// where the strategy draws on the same budget, and nowhere else.
func TestCheckAchievableOnlyWhatTheStrategyDrawsOn(t *testing.T) {
	line := func(kind budget.Kind, minor int64, hours float64, period string) budget.Line {
		return budget.Line{Description: "other work", Kind: kind, Area: budget.AreaMaintenance, Amount: aud(minor), StaffHours: hours, Period: period}
	}
	committed := func(start time.Time, lines ...budget.Line) []*strategy.Strategy {
		o := testStrategy()
		o.Start, o.Deadline, o.Budget = start, start.AddDate(0, 3, 0), lines
		return []*strategy.Strategy{&o}
	}
	tests := []struct {
		name      string
		committed []*strategy.Strategy
		reason    string // "" means achievable
	}{
		{"an old strategy from before the declared periods", committed(date(2025, 1, 6), line(budget.KindProject, 100, 10, "")), ""},
		{"another overran a budget kind this one does not use", committed(date(2027, 4, 5), line(budget.KindProject, 100, 0, "")), ""},
		{"another named a period the organisation has not declared", committed(date(2027, 1, 4), line(budget.KindProject, 100, 0, "2031-Q1")), ""},
		{"together they overrun the marketing budget this one draws on", committed(date(2027, 4, 5), line(budget.KindMarketing, 250000, 0, "")),
			"marketing budget in 2027-Q2: needs AUD 3300.00, AUD 3000.00 available"},
		{"together they overrun the staff time this one needs", committed(date(2027, 1, 4), line(budget.KindProject, 100, 350, "")),
			"staff time in 2027-Q1: needs 450 h, 400 h available"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _, _ := newService(t)
			r, err := svc.CheckWith(context.Background(), testStrategy(), tt.committed)
			if err != nil {
				t.Fatal(err)
			}
			f := r.Of(strategy.CriterionAchievable)[0]
			if tt.reason == "" {
				if !f.Met {
					t.Errorf("achievable = %+v, want met", f)
				}
				return
			}
			if f.Met || !strings.Contains(f.Reason, tt.reason) {
				t.Errorf("achievable = %+v, want not met: %q", f, tt.reason)
			}
		})
	}
}
