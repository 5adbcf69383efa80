package strategy_test

import (
	"context"
	"errors"
	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
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

func (s *stubSource) Measure(_ context.Context, m cxkit.Metric, from, to time.Time) (float64, error) {
	metric := m.String()
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
	nps := cxkit.Metric{Name: "nps"}
	v, err := ss.Measure(ctx, "feedback", nps, date(2027, 1, 1), date(2027, 2, 1))
	if err != nil || v != 12 {
		t.Fatalf("Measure = %g, %v; want 12", v, err)
	}
	if _, err := ss.Measure(ctx, "surveys", nps, date(2027, 1, 1), date(2027, 2, 1)); !errors.Is(err, strategy.ErrUnknownSource) {
		t.Errorf("unknown source: %v, want ErrUnknownSource", err)
	}
	if _, err := ss.Measure(ctx, "feedback", cxkit.Metric{Name: "mood"}, date(2027, 1, 1), date(2027, 2, 1)); !errors.Is(err, errStubUnknown) {
		t.Errorf("unknown metric: %v, want the source's own error wrapped", err)
	}
	src.values["csat"] = math.NaN()
	if _, err := ss.Measure(ctx, "feedback", cxkit.Metric{Name: "csat"}, date(2027, 1, 1), date(2027, 2, 1)); !errors.Is(err, strategy.ErrNoData) {
		t.Errorf("NaN from the source: %v, want ErrNoData", err)
	}
	if _, err := ss.Measure(ctx, "feedback", nps, date(2027, 2, 1), date(2027, 1, 1)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("backwards window: %v, want ErrInvalid", err)
	}
}

// TestMeasureTargetUsesBaselineWindowLength: a 28-day baseline is compared
// with the 28 days ending now; without a baseline window the default is 30
// days.
func TestMeasureTargetUsesBaselineWindowLength(t *testing.T) {
	src := &stubSource{values: map[string]float64{lateDelivery.String(): 25, "csat": 74}}
	ss := strategy.Sources{"complaints": src, "feedback": src}
	s := testStrategy()
	s.Targets[1].Source = "feedback"
	now := date(2027, 3, 1)
	v, from, err := ss.MeasureTarget(context.Background(), &s.Targets[0], s.Start, now)
	if err != nil || v != 25 {
		t.Fatalf("MeasureTarget = %g, %v; want 25", v, err)
	}
	if want := now.Add(-s.Targets[0].Window()); !from.Equal(want) || !src.asked[0].to.Equal(now) {
		t.Errorf("window from %s to %s, want from %s to %s", from, src.asked[0].to, want, now)
	}
	_, from, err = ss.MeasureTarget(context.Background(), &s.Targets[1], s.Start, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(-strategy.DefaultWindow); !from.Equal(want) {
		t.Errorf("default window starts %s, want %s", from, want)
	}
	s.Targets[1].Source = ""
	if _, _, err := ss.MeasureTarget(context.Background(), &s.Targets[1], s.Start, now); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("target without source: %v, want ErrInvalid", err)
	}
}

// TestMeasureTargetNeedsFullWindow (issue 15): a value always covers a full
// window inside the strategy's run. A check-in moments after the start once
// measured microseconds and scaled the count by millions; now it is too
// early to tell, for counts and rates alike, and nothing is ever scaled.
func TestMeasureTargetNeedsFullWindow(t *testing.T) {
	ctx := context.Background()
	start := date(2027, 1, 1)
	count := strategy.Target{ID: "T1", Metric: cxkit.Metric{Name: "count", Dimension: "category", Value: "late"}, Source: "s", Baseline: 90, Goal: 45,
		Direction: strategy.DirectionDecrease, Weight: 1, BaselineFrom: date(2026, 10, 3), BaselineTo: start} // 90 days
	rate := count
	rate.Metric = cxkit.Metric{Name: "breach_rate"}
	short := count
	short.BaselineFrom = start.Add(-48 * time.Hour) // two days: the window is stretched to MinWindow
	tests := []struct {
		name     string
		tg       strategy.Target
		now      time.Time
		wantFrom time.Time // zero: too early
	}{
		{"a microsecond after the start", count, start.Add(time.Microsecond), time.Time{}},
		{"count, a month in", count, date(2027, 1, 31), time.Time{}},
		{"rate, a month in", rate, date(2027, 1, 31), time.Time{}},
		{"count, window ending exactly 90 days in", count, date(2027, 4, 1), start},
		{"count, window inside the run", count, date(2027, 5, 1), date(2027, 1, 31)},
		{"two-day baseline, three days in", short, date(2027, 1, 4), time.Time{}},
		{"two-day baseline, a week in", short, date(2027, 1, 8), start},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &stubSource{values: map[string]float64{tt.tg.Metric.String(): 10}}
			v, from, err := strategy.Sources{"s": src}.MeasureTarget(ctx, &tt.tg, start, tt.now)
			if tt.wantFrom.IsZero() {
				if !errors.Is(err, strategy.ErrTooEarly) || len(src.asked) != 0 {
					t.Fatalf("got %g, %v after asking the source %d times; want too early without asking", v, err, len(src.asked))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !from.Equal(tt.wantFrom) || !src.asked[0].from.Equal(tt.wantFrom) || v != 10 {
				t.Errorf("value %g from %s (source asked from %s); want 10 from %s", v, from, src.asked[0].from, tt.wantFrom)
			}
		})
	}
}
