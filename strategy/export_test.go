package strategy

import (
	"context"
	"time"

	"github.com/cxkit/cxkit"
)

// Test-only doors into the unexported measuring and reviewing code, so
// the external tests can drive them with values the store would not hold.

// Sources is the set of wired sources, by name.
type Sources = sources

// Measure is sources.measure.
func (ss sources) Measure(ctx context.Context, source string, m cxkit.Metric, from, to time.Time) (float64, error) {
	return ss.measure(ctx, source, m, from, to)
}

// MeasureTarget is sources.measureTarget.
func (ss sources) MeasureTarget(ctx context.Context, t *Target, start, now time.Time) (float64, time.Time, error) {
	return ss.measureTarget(ctx, t, start, now)
}

// CheckWith reviews st with committed as the strategies already drawing on
// the budget, instead of the approved ones in the store.
func (s *Service) CheckWith(ctx context.Context, st Strategy, committed []*Strategy) (Review, error) {
	return reviewer{cfg: s.cfg, sources: s.sources, committed: committed, now: s.set.Now()}.review(ctx, &st)
}
