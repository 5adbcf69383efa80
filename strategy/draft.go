package strategy

import (
	"context"
	"fmt"
	"github.com/cxkit/cxkit"
	"math"
	"strings"
	"time"
)

// The origins of drafted strategies.
const (
	OriginAction   = "assessment-action"
	OriginCategory = "complaint-category"
)

// originWords says an origin kind in words, for the history.
func originWords(kind string) string {
	switch kind {
	case OriginAction:
		return "assessment action"
	case OriginCategory:
		return "complaint category"
	}
	return kind
}

// A Baseline says how to pre-fill a drafted strategy's first target from the
// data: which source and metric, the unit and direction, and the window to
// measure the baseline over. Change proposes the goal as a fraction of the
// baseline (-0.5 halves it, 0.2 raises it a fifth) — a starting point for
// the author, who will revise it.
type Baseline struct {
	Source    string
	Metric    cxkit.Metric
	Unit      string
	Direction Direction
	From, To  time.Time
	Change    float64
	// Whole rounds the goal to a whole number in the target's direction,
	// for counts: half of 37 complaints is a goal of 18, not 18.5.
	Whole bool
}

// DraftOptions are what a draft needs beyond its origin.
type DraftOptions struct {
	// Start is the proposed start; Deadline, if zero, is left for the
	// author (the action's due date is used when drafting from an action).
	Start    time.Time
	Deadline time.Time
	// Baseline says what to measure from the service's sources. Without
	// a Baseline the draft has no target and its SMART review says so.
	Baseline *Baseline
	// Goals pre-link the organisation's goals the author expects it to
	// serve.
	Goals []string
	// Owner overrides the owner taken from the origin.
	Owner string
}

// A CategoryTrend is a complaint category at the top of a Pareto ranking
// over [From, To): plain values, so that this package needs nothing from
// package complaints.
type CategoryTrend struct {
	Category string
	Count    int64
	// Share is the category's fraction of all complaints in the period.
	Share    float64
	From, To time.Time
}

// DraftFromCategory drafts a strategy to reduce the complaints of a category
// that leads the Pareto. Without o.Baseline it targets the category's count
// (from source "complaints") over a window as long as the trend's, halving
// it; the baseline is measured from the source when it is wired, else taken
// from the trend's count. Nothing is stored; pass the result to Create.
func (s *Service) DraftFromCategory(ctx context.Context, c CategoryTrend, o DraftOptions) (Strategy, error) {
	if strings.TrimSpace(c.Category) == "" {
		return Strategy{}, invalidf("trend.category", "must not be empty")
	}
	if !c.To.After(c.From) {
		return Strategy{}, invalidf("trend.to", "must be after from (%s), got %s", day(c.From), day(c.To))
	}
	if c.Count < 0 || c.Share < 0 || c.Share > 1 {
		return Strategy{}, invalidf("trend", "count must not be negative and share must be between 0 and 1, got %d and %g", c.Count, c.Share)
	}
	if o.Baseline != nil {
		b := *o.Baseline // filled in below; the caller's stays as it was
		o.Baseline = &b
	} else {
		o.Baseline = &Baseline{Source: "complaints", Metric: categoryCount(c.Category), Unit: "complaints",
			Direction: DirectionDecrease, Change: -0.5, Whole: true}
	}
	if o.Baseline.From.IsZero() && o.Baseline.To.IsZero() {
		o.Baseline.From, o.Baseline.To = c.From, c.To
	}
	st := Strategy{
		Title: "Fewer complaints about " + c.Category,
		Issue: fmt.Sprintf("Complaints about %s lead the complaint Pareto: %d between %s and %s, %.0f%% of all complaints.",
			c.Category, c.Count, day(c.From), day(c.To), 100*c.Share),
		Owner:    o.Owner,
		Start:    o.Start,
		Deadline: o.Deadline,
		Goals:    o.Goals,
		Origin:   &Origin{Kind: OriginCategory, Ref: c.Category},
	}
	if _, ok := s.sources[o.Baseline.Source]; !ok && o.Baseline.Metric == categoryCount(c.Category) {
		// The trend already counted it: use that rather than leave the
		// target without a baseline.
		return finishDraftWith(st, o, float64(c.Count))
	}
	return s.finishDraft(ctx, st, o)
}

// categoryCount is the metric counting a complaint category.
func categoryCount(category string) cxkit.Metric {
	return cxkit.Metric{Name: "count", Dimension: "category", Value: category}
}

func (svc *Service) finishDraft(ctx context.Context, s Strategy, o DraftOptions) (Strategy, error) {
	if o.Owner != "" {
		s.Owner = o.Owner
	}
	if o.Baseline == nil {
		return s, s.Validate()
	}
	b := o.Baseline
	if !b.To.After(b.From) {
		return Strategy{}, invalidf("baseline.to", "must be after from (%s), got %s", day(b.From), day(b.To))
	}
	v, err := svc.sources.measure(ctx, b.Source, b.Metric, b.From, b.To)
	if err != nil {
		return Strategy{}, err
	}
	return finishDraftWith(s, o, v)
}

func finishDraftWith(s Strategy, o DraftOptions, baseline float64) (Strategy, error) {
	if o.Owner != "" {
		s.Owner = o.Owner
	}
	b := o.Baseline
	goal := baseline * (1 + b.Change)
	switch {
	case b.Direction == DirectionHold:
	case b.Whole && b.Direction == DirectionDecrease:
		goal = math.Floor(goal)
	case b.Whole:
		goal = math.Ceil(goal)
	default:
		goal = math.Round(goal*100) / 100
	}
	if goal == baseline && b.Direction != DirectionHold {
		return Strategy{}, invalidf("baseline.change", "must move the goal away from the measured baseline (%g) for a target to %s", baseline, b.Direction)
	}
	t := Target{ID: "T1", Name: metricWords(b.Metric, b.Unit), Metric: b.Metric, Unit: b.Unit, Baseline: baseline, Goal: goal,
		Direction: b.Direction, Source: b.Source, BaselineFrom: b.From, BaselineTo: b.To, Weight: 1}
	if b.Direction == DirectionHold {
		t.Goal = baseline
		t.Band = math.Abs(baseline * b.Change)
	}
	s.Targets = append(s.Targets, t)
	return s, s.Validate()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\n."); i > 0 {
		s = s[:i]
	}
	const max = 80
	if r := []rune(s); len(r) > max {
		s = strings.TrimSpace(string(r[:max])) + "…"
	}
	return s
}
