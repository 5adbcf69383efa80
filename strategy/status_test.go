package strategy_test

import (
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit/strategy"
)

func TestStatusThresholds(t *testing.T) {
	strict := strategy.Thresholds{OnTrack: 0, AtRisk: 0.05}
	tests := []struct {
		name              string
		th                strategy.Thresholds
		progress, elapsed float64
		want              strategy.Standing
	}{
		{"ahead of the calendar", strategy.DefaultThresholds(), 0.6, 0.5, strategy.StandingOnTrack},
		{"level with the calendar", strategy.DefaultThresholds(), 0.5, 0.5, strategy.StandingOnTrack},
		{"a little behind", strategy.DefaultThresholds(), 0.45, 0.5, strategy.StandingOnTrack},
		{"behind by 20 points", strategy.DefaultThresholds(), 0.3, 0.5, strategy.StandingAtRisk},
		{"behind by 40 points", strategy.DefaultThresholds(), 0.1, 0.5, strategy.StandingOffTrack},
		{"nothing yet in the first days", strategy.DefaultThresholds(), 0, 0.05, strategy.StandingOnTrack},
		{"deadline passed, goal missed", strategy.DefaultThresholds(), 0.7, 1, strategy.StandingOffTrack},
		{"strict: slightly behind is at risk", strict, 0.47, 0.5, strategy.StandingAtRisk},
		{"strict: 10 points behind is off track", strict, 0.4, 0.5, strategy.StandingOffTrack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.th.StandingOf(tt.progress, tt.elapsed); got != tt.want {
				t.Errorf("StandingOf(%g, %g) = %q, want %q", tt.progress, tt.elapsed, got, tt.want)
			}
		})
	}
}

func TestThresholdsValidate(t *testing.T) {
	for _, th := range []strategy.Thresholds{{OnTrack: -0.1, AtRisk: 0.2}, {OnTrack: 0.3, AtRisk: 0.2}, {OnTrack: 0.1, AtRisk: 1.5}, {OnTrack: math.NaN(), AtRisk: 0.2}, {OnTrack: 0.1, AtRisk: math.NaN()}} {
		if err := th.Validate(); err == nil {
			t.Errorf("%+v: Validate() = nil, want an error", th)
		}
	}
	if err := strategy.DefaultThresholds().Validate(); err != nil {
		t.Errorf("DefaultThresholds(): %v", err)
	}
}

func TestElapsed(t *testing.T) {
	start, end := date(2027, 1, 1), date(2027, 1, 11)
	for _, tt := range []struct {
		now  time.Time
		want float64
	}{
		{date(2026, 12, 1), 0}, {start, 0}, {date(2027, 1, 6), 0.5}, {end, 1}, {date(2027, 3, 1), 1},
	} {
		if got := strategy.Elapsed(start, end, tt.now); got != tt.want {
			t.Errorf("Elapsed at %s = %g, want %g", tt.now, got, tt.want)
		}
	}
	if got := strategy.Elapsed(time.Time{}, end, start); got != 0 {
		t.Errorf("Elapsed without a start = %g, want 0", got)
	}
}

// TestStrategyReportAt runs a decreasing target against the calendar: the
// same value is on track early and off track late, and nothing can be told
// before a full measurement window.
func TestStrategyReportAt(t *testing.T) {
	s := strategy.Strategy{Start: date(2027, 1, 1), Deadline: date(2027, 3, 12), Targets: []strategy.Target{
		{ID: "T1", Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease, Weight: 1,
			BaselineFrom: date(2026, 12, 25), BaselineTo: date(2027, 1, 1), // a week
			CheckIns: []strategy.CheckIn{{At: date(2027, 1, 8), Value: 72}}}, // 30% of the way
	}}
	if r := s.ReportAt(date(2027, 1, 4), strategy.DefaultThresholds()); r.Standing != strategy.StandingTooEarly ||
		r.String() != "too early to tell: the first full measurement window ends on 2027-01-08" {
		t.Errorf("day 3: %v, want too early to tell", r)
	}
	if r := s.ReportAt(date(2027, 1, 22), strategy.DefaultThresholds()); r.Standing != strategy.StandingOnTrack {
		t.Errorf("day 21: %v, want on track", r)
	}
	if r := s.ReportAt(date(2027, 2, 5), strategy.DefaultThresholds()); r.Standing != strategy.StandingAtRisk {
		t.Errorf("day 35: %v, want at risk", r)
	}
	if r := s.ReportAt(date(2027, 2, 26), strategy.DefaultThresholds()); r.Standing != strategy.StandingOffTrack {
		t.Errorf("day 56: %v, want off track", r)
	}
	r := s.TargetReportAt(&s.Targets[0], date(2027, 2, 5), strategy.DefaultThresholds())
	if r.Progress < 0.299 || r.Progress > 0.301 || r.Elapsed != 0.5 {
		t.Errorf("target report = %+v, want progress 0.3 and elapsed 0.5", r)
	}
}

// Issue 15: a report at t reads only check-ins dated no later than t, and
// none taken before the first full measurement window ended.
func TestReportAtIgnoresLaterAndEarlyCheckIns(t *testing.T) {
	s := strategy.Strategy{Start: date(2027, 1, 1), Deadline: date(2027, 3, 12), Targets: []strategy.Target{
		{ID: "T1", Baseline: 90, Goal: 30, Direction: strategy.DirectionDecrease, Weight: 1,
			BaselineFrom: date(2026, 12, 25), BaselineTo: date(2027, 1, 1),
			CheckIns: []strategy.CheckIn{
				{At: date(2027, 1, 2), Value: 30},  // a day in: covers days before the start
				{At: date(2027, 1, 15), Value: 72}, // 30%
				{At: date(2027, 3, 1), Value: 30},  // later than the report
			}},
	}}
	r := s.ReportAt(date(2027, 2, 5), strategy.DefaultThresholds())
	if r.Progress < 0.299 || r.Progress > 0.301 || r.Standing != strategy.StandingAtRisk {
		t.Errorf("report on 5 February = %v, want 30%% and at risk from the 15 January reading alone", r)
	}
	if r := s.ReportAt(date(2027, 1, 5), strategy.DefaultThresholds()); r.Standing != strategy.StandingTooEarly {
		t.Errorf("report on 5 January = %v, want too early to tell despite the 100%% reading of 2 January", r)
	}
}
