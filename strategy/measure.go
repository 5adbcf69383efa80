package strategy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/stats"
)

// SourceFunc adapts a function to cxkit.MeasurementSource, for a source
// the host computes itself (a spreadsheet's figures, a test's numbers).
type SourceFunc func(ctx context.Context, m cxkit.Metric, from, to time.Time) (float64, error)

// Measure calls f.
func (f SourceFunc) Measure(ctx context.Context, m cxkit.Metric, from, to time.Time) (float64, error) {
	return f(ctx, m, from, to)
}

// sources are the measurement sources wired with WithSource, by name.
type sources map[string]cxkit.MeasurementSource

// measure asks the named source for m over [from, to). A source's NaN
// (nothing to measure) comes back as an error wrapping ErrNoData.
func (ss sources) measure(ctx context.Context, source string, m cxkit.Metric, from, to time.Time) (float64, error) {
	src, ok := ss[source]
	if !ok || src == nil {
		return 0, fmt.Errorf("%w: %q", ErrUnknownSource, source)
	}
	if !to.After(from) {
		return 0, invalidf("measurement.to", "must be after from (%s), got %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	v, err := src.Measure(ctx, m, from, to)
	if err != nil {
		return 0, fmt.Errorf("strategy: measuring %s from %s: %w", m, source, err)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		// Sources say "nothing to measure" with NaN; a check-in must not
		// record it as a value.
		return 0, fmt.Errorf("%w: %s from %s between %s and %s", ErrNoData, m, source, day(from), day(to))
	}
	return v, nil
}

// measureTarget measures t over the full window that ends at now. The
// whole window must lie inside the strategy's run: data from before the
// start says nothing about what the strategy achieved, and a shorter window
// would not compare with the baseline. So before one full window has passed
// it returns ErrTooEarly with the date the first reading is possible; no
// value is ever scaled up from a part of a window.
func (ss sources) measureTarget(ctx context.Context, t *Target, start, now time.Time) (value float64, from time.Time, err error) {
	if t.Source == "" || t.Source == SourceManual {
		return 0, time.Time{}, invalidf("target "+t.ID+".source", "must name a wired measurement source to measure from data; this target's check-ins are typed in")
	}
	if t.Metric == (cxkit.Metric{}) {
		return 0, time.Time{}, invalidf("target "+t.ID+".metric", "must name a metric to measure from data")
	}
	if ready := t.ReadyAt(start); now.Before(ready) {
		return 0, time.Time{}, fmt.Errorf("%w: target %s is measured over %s days, so its first reading is possible on %s",
			ErrTooEarly, t.ID, num(days(t.Window())), day(ready))
	}
	from = now.Add(-t.Window())
	v, err := ss.measure(ctx, t.Source, t.Metric, from, now)
	return v, from, err
}

// evidence says in words where a measured value came from.
func evidence(t *Target, from, to time.Time) string {
	return fmt.Sprintf("%s, from the %s source, over the %s days from %s to %s",
		metricWords(t.Metric, t.Unit), t.Source, num(days(to.Sub(from))), day(from), day(to.Add(-time.Nanosecond)))
}

// metricWords says a metric in words: "complaints with category
// late-delivery", "median resolution hours".
func metricWords(m cxkit.Metric, unit string) string {
	var s string
	switch {
	case m == (cxkit.Metric{}):
		return "no metric"
	case m.Name == "count" && unit != "":
		s = unit
	case m.Name == "count":
		s = "number of records"
	default:
		s = strings.ReplaceAll(m.Name, "_", " ")
	}
	if m.Dimension != "" {
		s += " with " + strings.ReplaceAll(m.Dimension, "_", " ") + " " + m.Value
	}
	return s
}

// A series is a target's metric over consecutive windows before its
// baseline, oldest first, for judging whether a goal is achievable.
type series struct {
	values []float64
	window time.Duration
}

// history reads up to n windows of t's length ending at the baseline's end
// (or at now, when no baseline window was recorded). Windows the source has
// no data for are skipped.
func (ss sources) history(ctx context.Context, t *Target, n int, now time.Time) (series, error) {
	w := t.Window()
	end := t.BaselineTo
	if end.IsZero() {
		end = now
	}
	s := series{window: w}
	for k := n - 1; k >= 0; k-- {
		to := end.Add(-time.Duration(k) * w)
		v, err := ss.measure(ctx, t.Source, t.Metric, to.Add(-w), to)
		if errors.Is(err, ErrNoData) {
			continue
		}
		if err != nil {
			return series{}, err
		}
		s.values = append(s.values, v)
	}
	return s, nil
}

// bestAndNoise returns the largest change between consecutive windows in
// the wanted direction (sign +1 up, -1 down; 0 if the series never moved
// that way) and the standard deviation of the changes, the series' usual
// swing.
func (s series) bestAndNoise(sign float64) (best, noise float64) {
	changes := make([]float64, 0, len(s.values))
	for i := 1; i < len(s.values); i++ {
		d := s.values[i] - s.values[i-1]
		changes = append(changes, d)
		best = math.Max(best, sign*d)
	}
	if len(changes) > 1 {
		noise = stats.StdDev(changes)
	}
	return best, noise
}

func days(d time.Duration) float64 { return math.Round(d.Hours()/24*100) / 100 }
