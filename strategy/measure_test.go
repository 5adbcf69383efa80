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
