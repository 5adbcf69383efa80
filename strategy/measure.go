package strategy

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// A Source measures a metric over the half-open period [from, to). Packages
// complaints and feedback implement it without importing this package; each
// documents its metric names and returns an error wrapping its own
// ErrUnknownMetric for a name it does not know.
type Source interface {
	Measure(ctx context.Context, metric string, from, to time.Time) (float64, error)
}

// SourceFunc adapts a function to Source.
type SourceFunc func(ctx context.Context, metric string, from, to time.Time) (float64, error)

// Measure calls f.
func (f SourceFunc) Measure(ctx context.Context, metric string, from, to time.Time) (float64, error) {
	return f(ctx, metric, from, to)
}

// Sources names the measurement sources a caller makes available
// ("complaints", "feedback"); a target's Source is a key of this map. It is
// a value the caller passes, not a registry anyone else can change.
type Sources map[string]Source

// Measure asks the named source for metric over [from, to). A source's NaN
// (nothing to measure) comes back as an error wrapping ErrNoData.
func (ss Sources) Measure(ctx context.Context, source, metric string, from, to time.Time) (float64, error) {
	src, ok := ss[source]
	if !ok || src == nil {
		return 0, fmt.Errorf("%w: %q", ErrUnknownSource, source)
	}
	if !to.After(from) {
		return 0, invalidf("measurement.to", "must be after from (%s), got %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	v, err := src.Measure(ctx, metric, from, to)
	if err != nil {
		return 0, fmt.Errorf("strategy: measuring %s from %s: %w", metric, source, err)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		// Sources say "nothing to measure" with NaN; a check-in must not
		// record it as a value.
		return 0, fmt.Errorf("%w: %s from %s over [%s, %s)", ErrNoData, metric, source, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return v, nil
}

// DefaultWindow is the measurement window of a target that has no baseline
// window: the 30 days before the moment of measurement.
const DefaultWindow = 30 * 24 * time.Hour

// MeasureTarget measures t's metric from its source over the window of the
// baseline's length that ends at now, and returns the value with the window
// used. The same length matters: a count over 30 days is not comparable
// with a count over 90. MeasureTargetSince is the same with the window kept
// inside the strategy's run.
func (ss Sources) MeasureTarget(ctx context.Context, t *Target, now time.Time) (value float64, from, to time.Time, err error) {
	m, err := ss.MeasureTargetSince(ctx, t, time.Time{}, now)
	return m.Value, m.From, m.To, err
}

// A Measurement is a target's value measured from its source, with the
// window it was measured over.
type Measurement struct {
	Value    float64
	From, To time.Time
	// Scale is what a count measured over a window cut short by the
	// strategy's start was multiplied by to stand for a full window; 1
	// when nothing was scaled.
	Scale float64
}

// Evidence returns the evidence lines of m for target t: where and over
// which window it was measured and, when it was scaled, by how much.
func (m Measurement) Evidence(t *Target) []string {
	ev := []string{Evidence(t.Source, t.Metric, m.From, m.To)}
	if m.Scale != 1 {
		ev = append(ev, fmt.Sprintf("count scaled by %s from %s to the baseline window's %s days",
			strconv.FormatFloat(m.Scale, 'f', 3, 64), num(days(m.To.Sub(m.From))), num(days(t.window()))))
	}
	return ev
}

// IsCount reports whether metric counts events ("count",
// "count:category=late-delivery"), whose value grows with the length of the
// window measured.
func IsCount(metric string) bool { return metric == "count" || strings.HasPrefix(metric, "count:") }

// MeasureTargetSince measures t's metric from its source over the window of
// the baseline's length ending at now, but starting no earlier than since
// (the strategy's start): data from before the strategy began says nothing
// about what it achieved. When the window is cut short, a count
// (IsCount) is scaled up in proportion, to the baseline window's length,
// and rounded to two decimals, so it still compares with the baseline; a
// rate, median, share or score needs no scaling. A zero since, or one not
// before now, leaves the window whole: before the strategy starts there is
// nothing to cut it to.
func (ss Sources) MeasureTargetSince(ctx context.Context, t *Target, since, now time.Time) (Measurement, error) {
	if t.Source == "" {
		return Measurement{}, invalidf("target "+t.ID+".source", "must name a measurement source to measure from data")
	}
	if t.Metric == "" {
		return Measurement{}, invalidf("target "+t.ID+".metric", "must name a metric to measure from data")
	}
	w := t.window()
	m := Measurement{From: now.Add(-w), To: now, Scale: 1}
	if !since.IsZero() && since.After(m.From) && since.Before(now) {
		m.From = since
	}
	v, err := ss.Measure(ctx, t.Source, t.Metric, m.From, m.To)
	if err != nil {
		return Measurement{}, err
	}
	m.Value = v
	if got := m.To.Sub(m.From); got < w && IsCount(t.Metric) {
		m.Scale = float64(w) / float64(got)
		m.Value = math.Round(v*m.Scale*100) / 100
	}
	return m, nil
}

// window is the length of the window t's values are measured over: the
// baseline's, or DefaultWindow when none was recorded.
func (t *Target) window() time.Duration {
	if w := t.Window(); w > 0 {
		return w
	}
	return DefaultWindow
}

func days(d time.Duration) float64 { return math.Round(d.Hours()/24*100) / 100 }
