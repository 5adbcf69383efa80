package strategy

import (
	"context"
	"fmt"
	"math"
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
// with a count over 90.
func (ss Sources) MeasureTarget(ctx context.Context, t *Target, now time.Time) (value float64, from, to time.Time, err error) {
	if t.Source == "" {
		return 0, time.Time{}, time.Time{}, invalidf("target "+t.ID+".source", "must name a measurement source to measure from data")
	}
	if t.Metric == "" {
		return 0, time.Time{}, time.Time{}, invalidf("target "+t.ID+".metric", "must name a metric to measure from data")
	}
	w := t.Window()
	if w <= 0 {
		w = DefaultWindow
	}
	from, to = now.Add(-w), now
	value, err = ss.Measure(ctx, t.Source, t.Metric, from, to)
	return value, from, to, err
}
