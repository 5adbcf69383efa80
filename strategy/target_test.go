package strategy_test

import (
	"errors"
	"github.com/cxkit/cxkit"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/strategy"
)

func TestTargetProgress(t *testing.T) {
	tests := []struct {
		name string
		tg   strategy.Target
		at   float64
		want float64
	}{
		{"decrease: at baseline", strategy.Target{Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease}, 90, 0},
		{"decrease: halfway", strategy.Target{Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease}, 60, 0.5},
		{"decrease: at goal", strategy.Target{Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease}, 30, 1},
		{"decrease: past goal clamps to 1", strategy.Target{Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease}, 10, 1},
		{"decrease: worse than baseline clamps to 0", strategy.Target{Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease}, 120, 0},
		{"increase: a quarter", strategy.Target{Baseline: 70, Goal: 90, Direction: strategy.DirectionIncrease}, 75, 0.25},
		{"increase: at goal", strategy.Target{Baseline: 70, Goal: 90, Direction: strategy.DirectionIncrease}, 90, 1},
		{"increase: past goal clamps to 1", strategy.Target{Baseline: 70, Goal: 90, Direction: strategy.DirectionIncrease}, 99, 1},
		{"increase: fell clamps to 0", strategy.Target{Baseline: 70, Goal: 90, Direction: strategy.DirectionIncrease}, 60, 0},
		{"increase from negative NPS", strategy.Target{Baseline: -20, Goal: 20, Direction: strategy.DirectionIncrease}, 0, 0.5},
		{"hold: inside band", strategy.Target{Baseline: 80, Goal: 80, Band: 5, Direction: strategy.DirectionHold}, 84, 1},
		{"hold: on the band's edge", strategy.Target{Baseline: 80, Goal: 80, Band: 5, Direction: strategy.DirectionHold}, 75, 1},
		{"hold: outside band", strategy.Target{Baseline: 80, Goal: 80, Band: 5, Direction: strategy.DirectionHold}, 74, 0},
		{"hold: above the band from inside", strategy.Target{Baseline: 80, Goal: 80, Band: 5, Direction: strategy.DirectionHold}, 90, 0},
		// Baseline 6 per cent returns, band 2 to 4: the distance from the
		// band (2) is what has to be closed.
		{"hold from outside: at baseline", strategy.Target{Baseline: 6, Goal: 3, Band: 1, Direction: strategy.DirectionHold}, 6, 0},
		{"hold from outside: halfway back", strategy.Target{Baseline: 6, Goal: 3, Band: 1, Direction: strategy.DirectionHold}, 5, 0.5},
		{"hold from outside: in the band", strategy.Target{Baseline: 6, Goal: 3, Band: 1, Direction: strategy.DirectionHold}, 3.5, 1},
		{"hold from outside: worse clamps to 0", strategy.Target{Baseline: 6, Goal: 3, Band: 1, Direction: strategy.DirectionHold}, 8, 0},
		{"hold from outside: overshot below the band", strategy.Target{Baseline: 6, Goal: 3, Band: 1, Direction: strategy.DirectionHold}, 1.5, 0.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.tg.ProgressAt(tt.at); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("ProgressAt(%g) = %g, want %g", tt.at, got, tt.want)
			}
		})
	}
}

func TestTargetCurrentIsLatestCheckIn(t *testing.T) {
	tg := strategy.Target{Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease}
	if got := tg.Current(); got != 90 {
		t.Errorf("Current without check-ins = %g, want the baseline 90", got)
	}
	tg.CheckIns = []strategy.CheckIn{{Value: 70}, {Value: 45}}
	if got := tg.Current(); got != 45 {
		t.Errorf("Current = %g, want the latest check-in 45", got)
	}
	if got := tg.Progress(); got != 0.75 {
		t.Errorf("Progress = %g, want 0.75", got)
	}
}

func TestStrategyProgressIsWeightedMean(t *testing.T) {
	s := strategy.Strategy{Targets: []strategy.Target{
		{Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease, Weight: 3, CheckIns: []strategy.CheckIn{{Value: 30}}}, // 1
		{Baseline: 70, Goal: 90, Direction: strategy.DirectionIncrease, Weight: 1},                                            // 0
	}}
	if got := s.Progress(); got != 0.75 {
		t.Errorf("Progress = %g, want (3*1 + 1*0)/4 = 0.75", got)
	}
	if got := (&strategy.Strategy{}).Progress(); got != 0 {
		t.Errorf("Progress without targets = %g, want 0", got)
	}
}

// TestValidateRejectsBadInput holds every rule of Validate to an error that
// names the field and the rule.
func TestValidateRejectsBadInput(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*strategy.Strategy)
		field     string
		rule      string
		wantCause error
	}{
		{"goal equal to baseline", func(s *strategy.Strategy) { s.Targets[0].Goal = s.Targets[0].Baseline },
			"strategy.targets[0].goal", "must differ from baseline", nil},
		{"goal on the wrong side", func(s *strategy.Strategy) { s.Targets[0].Goal = 50 },
			"strategy.targets[0].goal", "must be below baseline", nil},
		{"increase goal below baseline", func(s *strategy.Strategy) { s.Targets[1].Goal = 60 },
			"strategy.targets[1].goal", "must be above baseline", nil},
		{"deadline before start", func(s *strategy.Strategy) { s.Deadline = s.Start.AddDate(0, 0, -1) },
			"strategy.deadline", "must be after start", nil},
		{"deadline equal to start", func(s *strategy.Strategy) { s.Deadline = s.Start },
			"strategy.deadline", "must be after start", nil},
		{"negative money", func(s *strategy.Strategy) { s.Budget[0].Amount = aud(-100) },
			"strategy.budget[0].amount.minor", "must not be negative", nil},
		{"unknown currency", func(s *strategy.Strategy) { s.Budget[1].Amount = money.Amount{Minor: 100, Currency: "XYZ"} },
			"strategy.budget[1].amount.currency", "must be a known ISO 4217 code", money.ErrUnknownCurrency},
		{"weight zero", func(s *strategy.Strategy) { s.Targets[0].Weight = 0 },
			"strategy.targets[0].weight", "must be greater than 0", nil},
		{"weight negative", func(s *strategy.Strategy) { s.Targets[1].Weight = -1 },
			"strategy.targets[1].weight", "must be greater than 0", nil},
		{"hold without band", func(s *strategy.Strategy) {
			s.Targets[1].Direction, s.Targets[1].Goal, s.Targets[1].Band = strategy.DirectionHold, 70, 0
		}, "strategy.targets[1].band", "must be greater than 0", nil},
		{"unknown direction", func(s *strategy.Strategy) { s.Targets[0].Direction = "sideways" },
			"strategy.targets[0].direction", "must be one of increase, decrease, hold", nil},
		{"NaN baseline", func(s *strategy.Strategy) { s.Targets[0].Baseline = math.NaN() },
			"strategy.targets[0].baseline", "must be a finite number", nil},
		{"duplicate target IDs", func(s *strategy.Strategy) { s.Targets[1].ID = "T1" },
			"strategy.targets[1].id", "must be unique", nil},
		{"unknown budget kind", func(s *strategy.Strategy) { s.Budget[0].Kind = "slush" },
			"strategy.budget[0].kind", "must be one of sales, production, cash-flow, marketing, project, management", nil},
		{"unknown area", func(s *strategy.Strategy) { s.Budget[0].Area = "parties" },
			"strategy.budget[0].area", "must be one of maintenance", nil},
		{"negative staff hours", func(s *strategy.Strategy) { s.Budget[0].StaffHours = -1 },
			"strategy.budget[0].staff_hours", "not below 0", nil},
		{"NaN staff hours", func(s *strategy.Strategy) { s.Budget[0].StaffHours = math.NaN() },
			"strategy.budget[0].staff_hours", "must be a finite number", nil},
		{"recommended alternative missing", func(s *strategy.Strategy) { s.Recommended = "Z" },
			"strategy.recommended", "must be the ID of one of the alternatives", nil},
		{"target deadline after the strategy's", func(s *strategy.Strategy) { s.Targets[0].Deadline = s.Deadline.AddDate(0, 0, 1) },
			"strategy.targets[0].deadline", "must not be after the strategy's deadline", nil},
		{"target deadline at the start", func(s *strategy.Strategy) { s.Targets[0].Deadline = s.Start },
			"strategy.targets[0].deadline", "must be after the strategy's start", nil},
		{"unknown communication method", func(s *strategy.Strategy) { s.Communication[0].Method = "carrier pigeon" },
			"strategy.communication[0].method", "must be one of presentation, memo, meeting, newsletter, website, press-release", nil},
		{"communication without a date", func(s *strategy.Strategy) { s.Communication[1].When = time.Time{} },
			"strategy.communication[1].when", "must say when", nil},
		{"objection without text", func(s *strategy.Strategy) {
			s.Input = []strategy.Input{{At: date(2027, 1, 2), By: "Sam", Kind: strategy.InputKindObjection}}
		}, "strategy.input[0].text", "must say what the objection is", nil},
		{"empty title", func(s *strategy.Strategy) { s.Title = " " },
			"strategy.title", "must not be empty", nil},
		{"baseline window backwards", func(s *strategy.Strategy) { s.Targets[0].BaselineTo = s.Targets[0].BaselineFrom },
			"strategy.targets[0].baseline_to", "must be after baseline_from", nil},
		{"check-in without confidence", func(s *strategy.Strategy) {
			s.Targets[0].CheckIns = []strategy.CheckIn{{At: date(2027, 2, 1), Value: 3}}
		}, "strategy.targets[0].check_ins[0].confidence", "must be one of low, medium, high", nil},
		{"compliance without how", func(s *strategy.Strategy) { s.Compliance[0].How = "" },
			"strategy.compliance[0].how", "must say how", nil},
		{"unknown stage", func(s *strategy.Strategy) { s.Stage = "dreaming" },
			"strategy.stage", "must be one of draft, approved, completed, abandoned", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testStrategy()
			tt.edit(&s)
			err := s.Validate()
			var fe *cxkit.ValidationError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate() = %v, want a *cxkit.ValidationError", err)
			}
			if fe.Field != tt.field || !strings.Contains(fe.Rule, tt.rule) {
				t.Errorf("Validate() = %q, want field %q with rule containing %q", err, tt.field, tt.rule)
			}
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Validate() = %v, want it to match store.ErrInvalid", err)
			}
			if tt.wantCause != nil && !errors.Is(err, tt.wantCause) {
				t.Errorf("Validate() = %v, want it to wrap %v", err, tt.wantCause)
			}
		})
	}
	s := testStrategy()
	if err := s.Validate(); err != nil {
		t.Errorf("the complete test strategy is invalid: %v", err)
	}
}

// holdStrategy is testStrategy with its satisfaction target turned into
// one that holds: keep CSAT between 75 and 85.
func holdStrategy() strategy.Strategy {
	s := testStrategy()
	tg := &s.Targets[1]
	tg.Direction, tg.Baseline, tg.Goal, tg.Band = strategy.DirectionHold, 78, 80, 5
	return s
}

func TestHoldTargetValidation(t *testing.T) {
	s := holdStrategy()
	if err := s.Validate(); err != nil {
		t.Fatalf("hold target: %v", err)
	}
	// Baseline equal to goal is fine for a hold: it is already there.
	s.Targets[1].Baseline = s.Targets[1].Goal
	if err := s.Validate(); err != nil {
		t.Errorf("hold with baseline at the goal: %v", err)
	}
	for _, band := range []float64{0, -5} {
		s := holdStrategy()
		s.Targets[1].Band = band
		err := s.Validate()
		var fe *cxkit.ValidationError
		if !errors.As(err, &fe) || fe.Field != "strategy.targets[1].band" || !strings.Contains(fe.Rule, "must be greater than 0 for a target to hold") {
			t.Errorf("band %g: %v, want a band error (the band's low edge must be below its high edge)", band, err)
		}
	}
	tg := holdStrategy().Targets[1]
	if tg.Low() != 75 || tg.High() != 85 || !tg.InBand(75) || !tg.InBand(85) || tg.InBand(85.01) {
		t.Errorf("band [%g, %g], want [75, 85] with edges inside", tg.Low(), tg.High())
	}
}

// TestHoldTargetStatus: a hold target inside its band is on track however
// much time has gone; one that drifts out is off track.
func TestHoldTargetStatus(t *testing.T) {
	// A week's window, read from day 7 of a 70-day strategy.
	s := strategy.Strategy{Start: date(2027, 1, 1), Deadline: date(2027, 3, 12), Targets: []strategy.Target{
		{ID: "T1", Baseline: 80, Goal: 80, Band: 5, Direction: strategy.DirectionHold, Weight: 1,
			BaselineFrom: date(2026, 12, 25), BaselineTo: date(2027, 1, 1),
			CheckIns: []strategy.CheckIn{{At: date(2027, 1, 8), Value: 83}}},
	}}
	for _, now := range []time.Time{date(2027, 1, 8), date(2027, 3, 1), date(2027, 4, 1)} {
		if r := s.ReportAt(now, strategy.DefaultThresholds()); r.Standing != strategy.StandingOnTrack || r.Progress != 1 {
			t.Errorf("inside the band at %s: %v, want on track at 100%%", now, r)
		}
	}
	s.Targets[0].CheckIns = append(s.Targets[0].CheckIns, strategy.CheckIn{At: date(2027, 2, 1), Value: 70})
	if r := s.ReportAt(date(2027, 2, 5), strategy.DefaultThresholds()); r.Standing != strategy.StandingOffTrack || r.Progress != 0 {
		t.Errorf("drifted out half way through: %v, want off track at 0%%", r)
	}
}

func TestHoldTargetCheckAndProposal(t *testing.T) {
	s := holdStrategy()
	// T2's 30-day window has passed by 3 February.
	s.Targets[1].CheckIns = []strategy.CheckIn{{At: date(2027, 2, 5), Value: 82, Confidence: strategy.ConfidenceHigh}}
	r := checkOf(t, s)
	fs := r.Of(strategy.CriterionMeasurable)
	want := "hold csat between 75 and 85 % satisfied from a baseline of 78, typed in by Sam Ortiz"
	if len(fs) != 2 || !fs[1].Met || fs[1].Subject != "T2" || fs[1].Reason != want {
		t.Errorf("measurable findings = %+v, want T2 met: %q", fs, want)
	}
	p, err := strategy.NewProposal(&s, testOrg(), r, strategy.AudienceStaff, date(2027, 2, 6))
	if err != nil {
		t.Fatal(err)
	}
	var md, html strings.Builder
	if err := p.Markdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := p.HTML(&html); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{md.String(), html.String()} {
		if !strings.Contains(out, "hold csat between 75 and 85 % satisfied") ||
			!strings.Contains(out, "current 82 % satisfied, inside the band 75 to 85; weight 1") {
			t.Errorf("proposal does not render the hold target sensibly:\n%s", out)
		}
	}
	s.Targets[1].CheckIns = append(s.Targets[1].CheckIns, strategy.CheckIn{At: date(2027, 3, 1), Value: 70, Confidence: strategy.ConfidenceLow})
	if p, err = strategy.NewProposal(&s, testOrg(), r, strategy.AudienceStaff, date(2027, 3, 2)); err != nil {
		t.Fatal(err)
	}
	md.Reset()
	if err := p.Markdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "current 70 % satisfied, outside the band 75 to 85; weight 1") {
		t.Errorf("drifted hold target:\n%s", md.String())
	}
}
