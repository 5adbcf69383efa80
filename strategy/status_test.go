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
		want              strategy.Status
	}{
		{"ahead of the calendar", strategy.DefaultThresholds, 0.6, 0.5, strategy.OnTrack},
		{"level with the calendar", strategy.DefaultThresholds, 0.5, 0.5, strategy.OnTrack},
		{"a little behind", strategy.DefaultThresholds, 0.45, 0.5, strategy.OnTrack},
		{"behind by 20 points", strategy.DefaultThresholds, 0.3, 0.5, strategy.AtRisk},
		{"behind by 40 points", strategy.DefaultThresholds, 0.1, 0.5, strategy.OffTrack},
		{"nothing yet in the first days", strategy.DefaultThresholds, 0, 0.05, strategy.OnTrack},
		{"deadline passed, goal missed", strategy.DefaultThresholds, 0.7, 1, strategy.OffTrack},
		{"strict: slightly behind is at risk", strict, 0.47, 0.5, strategy.AtRisk},
		{"strict: 10 points behind is off track", strict, 0.4, 0.5, strategy.OffTrack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.th.StatusOf(tt.progress, tt.elapsed); got != tt.want {
				t.Errorf("StatusOf(%g, %g) = %q, want %q", tt.progress, tt.elapsed, got, tt.want)
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
	if err := strategy.DefaultThresholds.Validate(); err != nil {
		t.Errorf("DefaultThresholds: %v", err)
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

// TestStrategyStatusAt runs a decreasing target against the calendar: the
// same value is on track early and off track late.
func TestStrategyStatusAt(t *testing.T) {
	s := strategy.Strategy{Start: date(2027, 1, 1), Deadline: date(2027, 1, 11), Targets: []strategy.Target{
		{ID: "T1", Baseline: 90, Goal: 30, Direction: strategy.Decrease, Weight: 1,
			CheckIns: []strategy.CheckIn{{Value: 72}}}, // 30% of the way
	}}
	if r := s.StatusAt(date(2027, 1, 4), strategy.DefaultThresholds); r.Status != strategy.OnTrack {
		t.Errorf("day 3: %v, want on track", r)
	}
	if r := s.StatusAt(date(2027, 1, 6), strategy.DefaultThresholds); r.Status != strategy.AtRisk {
		t.Errorf("day 5: %v, want at risk", r)
	}
	if r := s.StatusAt(date(2027, 1, 9), strategy.DefaultThresholds); r.Status != strategy.OffTrack {
		t.Errorf("day 8: %v, want off track", r)
	}
	r := s.TargetStatusAt(&s.Targets[0], date(2027, 1, 6), strategy.DefaultThresholds)
	if r.Progress < 0.299 || r.Progress > 0.301 || r.Elapsed != 0.5 {
		t.Errorf("target report = %+v, want progress 0.3 and elapsed 0.5", r)
	}
}
