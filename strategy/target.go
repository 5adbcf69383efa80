package strategy

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
)

// A Direction is which way a target's metric should move.
type Direction string

// The directions.
const (
	// DirectionIncrease: the goal is above the baseline (sales up 12 per
	// cent).
	DirectionIncrease Direction = "increase"
	// DirectionDecrease: the goal is below the baseline (average call wait
	// from 90 s down to 30 s).
	DirectionDecrease Direction = "decrease"
	// DirectionHold: the metric must stay within Band of Goal (keep
	// satisfaction at 80 plus or minus 5).
	DirectionHold Direction = "hold"
)

// Directions returns the directions a target can take.
func Directions() []Direction {
	return []Direction{DirectionIncrease, DirectionDecrease, DirectionHold}
}

// SourceManual is the Source of a target whose check-ins are typed in by a
// person, named in EnteredBy, rather than measured.
const SourceManual = "manual"

// MinWindow is the shortest measurement window a value may cover: a week,
// so that one busy or quiet day does not pass for a trend. DefaultWindow is
// the window of a target that recorded none: 30 days.
const (
	MinWindow     = 7 * 24 * time.Hour
	DefaultWindow = 30 * 24 * time.Hour
)

// A Target is one measurable result of a strategy: a metric with its unit,
// where it stands (Baseline, measured over the baseline window), where it
// should get to (Goal) by when, which way, and where its value comes from.
// Values are always measured over a window as long as the baseline's (see
// Window), so that counts compare like with like. Weight is its share of
// the strategy's progress.
type Target struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Metric is what the Source measures: complaints.CountBy("category",
	// "delivery"), a survey's NPS.
	Metric cxkit.Metric `json:"metric"`
	// Unit is what the value counts ("complaints", "seconds", "points").
	Unit string `json:"unit"`
	// Baseline is where the metric stood before the strategy. Goal is
	// where it should get to; for a Hold target, Goal is the middle of the
	// band to stay in.
	Baseline  float64   `json:"baseline"`
	Goal      float64   `json:"goal"`
	Direction Direction `json:"direction"`
	// Band is the tolerance either side of Goal for a Hold target, which
	// stays within [Goal-Band, Goal+Band]; it must be greater than 0.
	Band float64 `json:"band,omitempty"`
	// Source names a source wired with WithSource, or is SourceManual for
	// values a person types in; empty fails the SMART review.
	Source string `json:"source,omitempty"`
	// EnteredBy names who types the check-ins of a SourceManual target.
	EnteredBy string `json:"entered_by,omitempty"`
	// BaselineFrom and BaselineTo are the window the baseline was measured
	// over; current values are measured over a window of the same length.
	BaselineFrom time.Time `json:"baseline_from,omitzero"`
	BaselineTo   time.Time `json:"baseline_to,omitzero"`
	// Deadline is when this target is due, if earlier than the strategy's
	// deadline; zero means the strategy's.
	Deadline time.Time `json:"deadline,omitzero"`
	Weight   float64   `json:"weight"`
	// CheckIns is the history of values, oldest first.
	CheckIns []CheckIn `json:"check_ins,omitempty"`
}

// A Confidence is how sure the person checking in is that the target will be
// met by the deadline.
type Confidence string

// The confidence levels.
const (
	ConfidenceLow    Confidence = "low"
	ConfidenceMedium Confidence = "medium"
	ConfidenceHigh   Confidence = "high"
)

// Confidences returns the confidence levels, lowest first.
func Confidences() []Confidence { return []Confidence{ConfidenceLow, ConfidenceMedium, ConfidenceHigh} }

// A CheckIn is one reading of a target: its value on a date, how confident
// the person is, a note and the evidence behind the value.
type CheckIn struct {
	At         time.Time  `json:"at"`
	Value      float64    `json:"value"`
	Confidence Confidence `json:"confidence"`
	Note       string     `json:"note,omitempty"`
	// Evidence says what the value rests on, in words: a report, the
	// source and the dates it was measured over.
	Evidence []string `json:"evidence,omitempty"`
	By       string   `json:"by,omitempty"`
}

func (c CheckIn) validate(field string) error {
	if c.At.IsZero() {
		return invalidf(field+".at", "must be set")
	}
	if math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
		return invalidf(field+".value", "must be a finite number, got %v", c.Value)
	}
	if !slices.Contains(Confidences(), c.Confidence) {
		return invalidf(field+".confidence", "must be one of low, medium, high, got %q", c.Confidence)
	}
	return nil
}

func (t *Target) validate(field string) error {
	if strings.TrimSpace(t.ID) == "" {
		return invalidf(field+".id", "must not be empty")
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"baseline", t.Baseline}, {"goal", t.Goal}, {"band", t.Band}, {"weight", t.Weight}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return invalidf(field+"."+v.name, "must be a finite number, got %v", v.x)
		}
	}
	if t.Weight <= 0 {
		return invalidf(field+".weight", "must be greater than 0, got %g", t.Weight)
	}
	if t.Metric != (cxkit.Metric{}) {
		if _, err := cxkit.ParseMetric(t.Metric.String()); err != nil {
			return invalidf(field+".metric", "must be a well-formed metric: %v", err)
		}
	}
	switch t.Direction {
	case DirectionIncrease, DirectionDecrease:
		if t.Goal == t.Baseline {
			return invalidf(field+".goal", "must differ from baseline (%g) for a target to %s", t.Baseline, t.Direction)
		}
		if t.Direction == DirectionIncrease && t.Goal < t.Baseline {
			return invalidf(field+".goal", "must be above baseline (%g) for a target to increase, got %g", t.Baseline, t.Goal)
		}
		if t.Direction == DirectionDecrease && t.Goal > t.Baseline {
			return invalidf(field+".goal", "must be below baseline (%g) for a target to decrease, got %g", t.Baseline, t.Goal)
		}
	case DirectionHold:
		if t.Band <= 0 {
			return invalidf(field+".band", "must be greater than 0 for a target to hold, got %g", t.Band)
		}
	case "":
		// Not chosen yet: the review reports it as not measurable.
	default:
		return invalidf(field+".direction", "must be one of increase, decrease, hold, got %q", t.Direction)
	}
	if t.Band < 0 {
		return invalidf(field+".band", "must not be negative, got %g", t.Band)
	}
	if !t.BaselineFrom.IsZero() || !t.BaselineTo.IsZero() {
		if !t.BaselineTo.After(t.BaselineFrom) {
			return invalidf(field+".baseline_to", "must be after baseline_from (%s), got %s", day(t.BaselineFrom), day(t.BaselineTo))
		}
	}
	for i, c := range t.CheckIns {
		if err := c.validate(fmt.Sprintf("%s.check_ins[%d]", field, i)); err != nil {
			return err
		}
	}
	return nil
}

// Window is the length of the window the target's values are measured
// over: the baseline's, or DefaultWindow when none was recorded, and never
// less than MinWindow.
func (t *Target) Window() time.Duration {
	w := t.BaselineTo.Sub(t.BaselineFrom)
	if w <= 0 {
		w = DefaultWindow
	}
	return max(w, MinWindow)
}

// ReadyAt is the first moment a reading of t says something about a
// strategy that started at start: one full measurement window later.
// Readings before it cover days before the strategy, or too few days of
// it, and are not counted.
func (t *Target) ReadyAt(start time.Time) time.Time { return start.Add(t.Window()) }

// ValueAt is the target's latest counted reading at at: the last check-in
// dated no later than at and no earlier than ReadyAt(start). ok is false
// when there is none, and value is then the baseline.
func (t *Target) ValueAt(start, at time.Time) (value float64, ok bool) {
	ready := t.ReadyAt(start)
	for i := len(t.CheckIns) - 1; i >= 0; i-- {
		c := t.CheckIns[i]
		if !c.At.After(at) && !c.At.Before(ready) {
			return c.Value, true
		}
	}
	return t.Baseline, false
}

// Current is the target's latest checked-in value, or its baseline when
// nobody has checked in yet. Unlike ValueAt it counts every check-in.
func (t *Target) Current() float64 {
	if n := len(t.CheckIns); n > 0 {
		return t.CheckIns[n-1].Value
	}
	return t.Baseline
}

// ProgressAt returns how far value has gone from the baseline towards the
// goal, as a fraction in [0, 1]: (value - baseline) / (goal - baseline),
// clamped. The formula serves both directions, since for a decreasing target
// both differences are negative.
//
// A Hold target's goal is the band [Goal-Band, Goal+Band], edges included.
// A value inside it scores 1: staying put has no halfway. Outside it, the
// score is how much of the baseline's distance from the band has been
// closed, (dBaseline - dValue) / dBaseline, which is the same formula with
// the nearest band edge as the goal; so a target that starts outside the
// band earns partial credit on the way in, while one that starts inside
// scores 0 once it drifts out.
func (t *Target) ProgressAt(value float64) float64 {
	if t.Direction == DirectionHold {
		d := t.distanceFromBand(value)
		if d == 0 {
			return 1
		}
		if db := t.distanceFromBand(t.Baseline); db > 0 {
			return clamp01((db - d) / db)
		}
		return 0
	}
	if t.Goal == t.Baseline {
		return 0
	}
	return clamp01((value - t.Baseline) / (t.Goal - t.Baseline))
}

// Low is the lower edge of a Hold target's band, Goal - Band.
func (t *Target) Low() float64 { return t.Goal - t.Band }

// High is the upper edge of a Hold target's band, Goal + Band.
func (t *Target) High() float64 { return t.Goal + t.Band }

// InBand reports whether value lies within a Hold target's band, edges
// included.
func (t *Target) InBand(value float64) bool { return t.distanceFromBand(value) == 0 }

// distanceFromBand is how far value lies outside [Low, High]; 0 inside.
func (t *Target) distanceFromBand(value float64) float64 {
	switch {
	case value < t.Low():
		return t.Low() - value
	case value > t.High():
		return value - t.High()
	}
	return 0
}

// Progress is ProgressAt the current value.
func (t *Target) Progress() float64 { return t.ProgressAt(t.Current()) }

// deadline is the target's own deadline, or the strategy's.
func (t *Target) deadline(s *Strategy) time.Time {
	if !t.Deadline.IsZero() {
		return t.Deadline
	}
	return s.Deadline
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// Progress is the weighted mean of the targets' progress at their latest
// check-ins, in [0, 1]; 0 for a strategy without targets. ReportAt is the
// reading to act on: it counts only readings over a full window.
func (s *Strategy) Progress() float64 {
	var sum, weights float64
	for i := range s.Targets {
		t := &s.Targets[i]
		sum += t.Weight * t.Progress()
		weights += t.Weight
	}
	if weights <= 0 {
		return 0
	}
	return sum / weights
}
