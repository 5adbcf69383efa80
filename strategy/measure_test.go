package strategy_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit/strategy"
)

// stubSource answers from a table and remembers what it was asked.
type stubSource struct {
	values map[string]float64
	asked  []stubCall
}

type stubCall struct {
	metric   string
	from, to time.Time
}

var errStubUnknown = errors.New("stub: unknown metric")

func (s *stubSource) Measure(_ context.Context, metric string, from, to time.Time) (float64, error) {
	s.asked = append(s.asked, stubCall{metric, from, to})
	v, ok := s.values[metric]
	if !ok {
		return 0, errStubUnknown
	}
	return v, nil
}

func TestSourcesMeasure(t *testing.T) {
	src := &stubSource{values: map[string]float64{"nps": 12}}
	ss := strategy.Sources{"feedback": src}
	ctx := context.Background()
	v, err := ss.Measure(ctx, "feedback", "nps", date(2027, 1, 1), date(2027, 2, 1))
	if err != nil || v != 12 {
		t.Fatalf("Measure = %g, %v; want 12", v, err)
	}
	if _, err := ss.Measure(ctx, "surveys", "nps", date(2027, 1, 1), date(2027, 2, 1)); !errors.Is(err, strategy.ErrUnknownSource) {
		t.Errorf("unknown source: %v, want ErrUnknownSource", err)
	}
	if _, err := ss.Measure(ctx, "feedback", "mood", date(2027, 1, 1), date(2027, 2, 1)); !errors.Is(err, errStubUnknown) {
		t.Errorf("unknown metric: %v, want the source's own error wrapped", err)
	}
	src.values["csat"] = math.NaN()
	if _, err := ss.Measure(ctx, "feedback", "csat", date(2027, 1, 1), date(2027, 2, 1)); !errors.Is(err, strategy.ErrNoData) {
		t.Errorf("NaN from the source: %v, want ErrNoData", err)
	}
	if _, err := ss.Measure(ctx, "feedback", "nps", date(2027, 2, 1), date(2027, 1, 1)); !errors.Is(err, strategy.ErrInvalid) {
		t.Errorf("backwards window: %v, want ErrInvalid", err)
	}
}

// TestMeasureTargetUsesBaselineWindowLength: a 91-day baseline is compared
// with the 91 days ending now; without a baseline window the default is 30
// days.
func TestMeasureTargetUsesBaselineWindowLength(t *testing.T) {
	src := &stubSource{values: map[string]float64{"count:category=late-delivery": 25, "csat": 74}}
	ss := strategy.Sources{"complaints": src, "feedback": src}
	s := testStrategy()
	now := date(2027, 3, 1)
	v, from, to, err := ss.MeasureTarget(context.Background(), &s.Targets[0], now)
	if err != nil || v != 25 {
		t.Fatalf("MeasureTarget = %g, %v; want 25", v, err)
	}
	if want := now.Add(-s.Targets[0].Window()); !from.Equal(want) || !to.Equal(now) {
		t.Errorf("window = [%s, %s), want [%s, %s)", from, to, want, now)
	}
	_, from, _, err = ss.MeasureTarget(context.Background(), &s.Targets[1], now)
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(-strategy.DefaultWindow); !from.Equal(want) {
		t.Errorf("default window starts %s, want %s", from, want)
	}
	s.Targets[1].Source = ""
	if _, _, _, err := ss.MeasureTarget(context.Background(), &s.Targets[1], now); !errors.Is(err, strategy.ErrInvalid) {
		t.Errorf("target without source: %v, want ErrInvalid", err)
	}
}

// TestMeasureTargetSince: the window never reaches back before the
// strategy's start; a count over a window cut short is scaled to the
// baseline window's length, anything else is taken as measured.
func TestMeasureTargetSince(t *testing.T) {
	ctx := context.Background()
	start := date(2027, 1, 1)
	count := strategy.Target{ID: "T1", Metric: "count:category=late", Source: "s", Baseline: 90, Goal: 45,
		Direction: strategy.Decrease, Weight: 1, BaselineFrom: date(2026, 10, 3), BaselineTo: start} // 90 days
	total := count
	total.Metric = "count"
	rate := count
	rate.Metric = "breach_rate"
	tests := []struct {
		name      string
		tg        strategy.Target
		since     time.Time
		now       time.Time
		wantFrom  time.Time
		wantValue float64
		wantScale float64
	}{
		{"count, window cut to the start and scaled", count, start, date(2027, 1, 31), start, 30, 3},
		{"plain count is a count too", total, start, date(2027, 1, 31), start, 30, 3},
		{"count, window inside the run", count, start, date(2027, 5, 1), date(2027, 1, 31), 10, 1},
		{"count, window ending exactly 90 days in", count, start, date(2027, 4, 1), start, 10, 1},
		{"rate, cut but not scaled", rate, start, date(2027, 1, 31), start, 10, 1},
		{"no start: whole window", count, time.Time{}, date(2027, 1, 31), date(2026, 11, 2), 10, 1},
		{"measured before the start: whole window", count, start, date(2026, 12, 1), date(2026, 9, 2), 10, 1},
		{"uneven scale rounds to two decimals", count, start, date(2027, 1, 8), start, 128.57, 90.0 / 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &stubSource{values: map[string]float64{tt.tg.Metric: 10}}
			m, err := strategy.Sources{"s": src}.MeasureTargetSince(ctx, &tt.tg, tt.since, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if !m.From.Equal(tt.wantFrom) || !m.To.Equal(tt.now) || !src.asked[0].from.Equal(tt.wantFrom) {
				t.Errorf("window [%s, %s), source asked from %s; want [%s, %s)", m.From, m.To, src.asked[0].from, tt.wantFrom, tt.now)
			}
			if m.Value != tt.wantValue || math.Abs(m.Scale-tt.wantScale) > 1e-12 {
				t.Errorf("value %g scale %g, want %g and %g", m.Value, m.Scale, tt.wantValue, tt.wantScale)
			}
			if ev := m.Evidence(&tt.tg); (len(ev) == 2) != (tt.wantScale != 1) {
				t.Errorf("evidence %q: want a scaling line exactly when scaled", ev)
			}
		})
	}
}
