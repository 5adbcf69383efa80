package feedback

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

// A Secondary is a measure the organisation already keeps for another
// purpose that also tells how its service is doing (secondary research).
type Secondary string

// The secondary measures. Each says how observations in a period combine:
// flows are summed, levels averaged, stocks take the latest value. Counts
// are whole numbers.
const (
	SecondaryNetSales           Secondary = "net-sales"           // flow: money taken
	SecondaryMarketShare        Secondary = "market-share"        // level: percent
	SecondaryRefunds            Secondary = "refunds"             // flow: count
	SecondaryReturns            Secondary = "returns"             // flow: count
	SecondaryExchanges          Secondary = "exchanges"           // flow: count
	SecondaryCancellations      Secondary = "cancellations"       // flow: count
	SecondaryComplaintsReceived Secondary = "complaints-received" // flow: count
	SecondaryWaitingTime        Secondary = "waiting-time"        // level: minutes
	SecondaryCustomersOnBooks   Secondary = "customers-on-books"  // stock: count
	SecondaryStaffTurnover      Secondary = "staff-turnover"      // level: percent
	SecondaryAbsenteeism        Secondary = "absenteeism"         // level: percent
	SecondaryStaffAppraisal     Secondary = "staff-appraisal"     // level: score
	SecondaryQualityAssurance   Secondary = "quality-assurance"   // level: score
)

// Secondaries returns every secondary measure, in the order an analyst
// would gather them.
func Secondaries() []Secondary {
	return []Secondary{SecondaryNetSales, SecondaryMarketShare, SecondaryRefunds, SecondaryReturns, SecondaryExchanges,
		SecondaryCancellations, SecondaryComplaintsReceived, SecondaryWaitingTime, SecondaryCustomersOnBooks,
		SecondaryStaffTurnover, SecondaryAbsenteeism, SecondaryStaffAppraisal, SecondaryQualityAssurance}
}

type aggregation int

const (
	aggSum aggregation = iota
	aggMean
	aggLast
)

// rule is how a measure's values combine and what values it takes.
type rule struct {
	agg      aggregation
	lo, hi   float64
	whole    bool   // a count: whole numbers only
	unitName string // for messages
}

// secondaryRule gives each measure's rule: counts and minutes cannot be
// negative and percentages lie in 0-100. Net sales may be negative (a
// period of refunds) and scores are the organisation's own.
func secondaryRule(m Secondary) (rule, bool) {
	inf := math.Inf(1)
	count := rule{agg: aggSum, lo: 0, hi: inf, whole: true, unitName: "a count"}
	pct := rule{agg: aggMean, lo: 0, hi: 100, unitName: "a percentage"}
	switch m {
	case SecondaryNetSales:
		return rule{agg: aggSum, lo: -inf, hi: inf, unitName: "an amount"}, true
	case SecondaryRefunds, SecondaryReturns, SecondaryExchanges, SecondaryCancellations, SecondaryComplaintsReceived:
		return count, true
	case SecondaryCustomersOnBooks:
		count.agg = aggLast
		return count, true
	case SecondaryWaitingTime:
		return rule{agg: aggMean, lo: 0, hi: inf, unitName: "minutes"}, true
	case SecondaryMarketShare, SecondaryStaffTurnover, SecondaryAbsenteeism:
		return pct, true
	case SecondaryStaffAppraisal, SecondaryQualityAssurance:
		return rule{agg: aggMean, lo: -inf, hi: inf, unitName: "a score"}, true
	}
	return rule{}, false
}

// Valid reports whether s is one of the defined measures.
func (s Secondary) Valid() bool { _, ok := secondaryRule(s); return ok }

// An Observation is one value of a secondary measure at a time. A
// corrected observation keeps its history; a removed one stays stored,
// marked Removed, so the record of what was reported is kept, and counts
// in no series.
type Observation struct {
	store.Meta
	Measure Secondary            `json:"measure"`
	At      time.Time            `json:"at"`
	Value   float64              `json:"value"`
	Note    string               `json:"note,omitempty"`
	Removed bool                 `json:"removed,omitempty"`
	History []cxkit.HistoryEntry `json:"history,omitempty"`
}

func observationIndex(o *Observation) map[string]string {
	return map[string]string{"measure": string(o.Measure), "at": store.TimeKey(o.At), "removed": strconv.FormatBool(o.Removed)}
}

// checkValue applies a measure's rule to a value.
func checkValue(m Secondary, v float64) error {
	r, ok := secondaryRule(m)
	if !ok {
		return invalidf("observation.measure", "must be one of the secondary measures, got %q", m)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return invalidf("observation.value", "must be a finite number")
	}
	if v < r.lo || v > r.hi {
		if math.IsInf(r.hi, 1) {
			return invalidf("observation.value", "must not be negative for %s, got %g", m, v)
		}
		return invalidf("observation.value", "must be a percentage from %g to %g for %s, got %g", r.lo, r.hi, m, v)
	}
	if r.whole && v != math.Trunc(v) {
		return invalidf("observation.value", "must be a whole number for %s (%s), got %g", m, r.unitName, v)
	}
	return nil
}

// RecordObservation stores a value of a secondary measure. A value outside
// the measure's range (a negative count, a percentage above 100, half a
// refund), a missing or future time, or an unknown measure fails with a
// *cxkit.ValidationError and stores nothing.
func (s *Service) RecordObservation(ctx context.Context, o Observation, by string) (Observation, error) {
	o.Meta, o.Removed, o.History = store.Meta{}, false, nil
	if err := checkValue(o.Measure, o.Value); err != nil {
		return Observation{}, err
	}
	if o.At.IsZero() {
		return Observation{}, invalidf("observation.at", "must be set")
	}
	now := s.now()
	if o.At.After(now) {
		return Observation{}, invalidf("observation.at", "must not be in the future (now %s), got %s", now.Format(time.RFC3339), o.At.Format(time.RFC3339))
	}
	o.At = o.At.UTC()
	o.History = []cxkit.HistoryEntry{{At: now, By: by, Action: "recorded", What: fmt.Sprintf("%s recorded as %g", o.Measure, o.Value)}}
	out, err := s.observations.Create(ctx, o)
	if err == nil {
		s.emitObservation(ctx, out, "recorded", by)
	}
	return out, err
}

// CorrectObservation changes the value of a recorded observation, keeping
// the old value and the reason in its history.
func (s *Service) CorrectObservation(ctx context.Context, id string, value float64, by, why string) (Observation, error) {
	if strings.TrimSpace(by) == "" {
		return Observation{}, invalidf("by", "must name who corrected the observation")
	}
	now := s.now()
	out, err := s.observations.Mutate(ctx, id, func(o *Observation) error {
		if o.Removed {
			return invalidf("observation", "was removed on %s; record a new one instead", o.Updated.Format("2 January 2006"))
		}
		if err := checkValue(o.Measure, value); err != nil {
			return err
		}
		o.History = append(o.History, cxkit.HistoryEntry{At: now, By: by, Action: "corrected",
			What: fmt.Sprintf("value corrected from %g to %g", o.Value, value), Why: why,
			From: strconv.FormatFloat(o.Value, 'g', -1, 64), To: strconv.FormatFloat(value, 'g', -1, 64)})
		o.Value = value
		return nil
	})
	if err == nil {
		s.emitObservation(ctx, out, "corrected", by)
	}
	return out, err
}

// RemoveObservation takes an observation out of every series (entered by
// mistake, a duplicate), keeping it stored with who removed it and why.
// Removing twice is harmless.
func (s *Service) RemoveObservation(ctx context.Context, id, by, why string) (Observation, error) {
	if strings.TrimSpace(by) == "" {
		return Observation{}, invalidf("by", "must name who removed the observation")
	}
	if strings.TrimSpace(why) == "" {
		return Observation{}, invalidf("why", "must say why the observation is removed")
	}
	now := s.now()
	removed := false
	out, err := s.observations.Mutate(ctx, id, func(o *Observation) error {
		if o.Removed {
			return nil
		}
		removed = true
		o.Removed = true
		o.History = append(o.History, cxkit.HistoryEntry{At: now, By: by, Action: "removed", What: fmt.Sprintf("value %g removed from the series", o.Value), Why: why})
		return nil
	})
	if err == nil && removed {
		s.emitObservation(ctx, out, "removed", by)
	}
	return out, err
}

func (s *Service) emitObservation(ctx context.Context, o Observation, change, by string) {
	s.emit(ctx, cxkit.Event{Type: EventObservationChanged, Subject: o.ID, By: by,
		Attrs: map[string]string{"measure": string(o.Measure), "change": change}})
}

// Series returns a measure's observations in [from, to), in time order,
// without removed ones.
func (s *Service) Series(ctx context.Context, m Secondary, from, to time.Time) ([]Observation, error) {
	if !m.Valid() {
		return nil, invalidf("measure", "must be one of the secondary measures, got %q", m)
	}
	var out []Observation
	fs := append([]store.Filter{store.Where("measure", string(m)), store.Where("removed", "false")}, store.Between("at", store.TimeKey(from), store.TimeKey(to))...)
	for o, err := range s.observations.All(ctx, store.Query{Filters: fs, Limit: store.MaxLimit}) {
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	// The list came in ID (arrival) order and the stable sort keeps it
	// for equal times.
	slices.SortStableFunc(out, func(a, b Observation) int { return a.At.Compare(b.At) })
	return out, nil
}

// SalesGrowth returns the growth of net sales in [from, to) over the
// period of the same length just before, in percent: (this - previous) /
// |previous| x 100. It is NaN when either period has no net sales
// recorded or the previous period's sales were zero.
func (s *Service) SalesGrowth(ctx context.Context, from, to time.Time) (float64, error) {
	if !to.After(from) {
		return 0, invalidf("period", "must end after it starts")
	}
	now, err := s.Series(ctx, SecondaryNetSales, from, to)
	if err != nil {
		return 0, err
	}
	prev, err := s.Series(ctx, SecondaryNetSales, from.Add(-to.Sub(from)), from)
	if err != nil {
		return 0, err
	}
	a, b := aggregate(SecondaryNetSales, now), aggregate(SecondaryNetSales, prev)
	if math.IsNaN(a) || math.IsNaN(b) || b == 0 {
		return math.NaN(), nil
	}
	return 100 * (a - b) / math.Abs(b), nil
}

// aggregate combines a period's observations by the measure's rule; NaN
// when there are none.
func aggregate(m Secondary, obs []Observation) float64 {
	if len(obs) == 0 {
		return math.NaN()
	}
	r, _ := secondaryRule(m)
	switch r.agg {
	case aggLast:
		return obs[len(obs)-1].Value
	case aggMean:
		var s float64
		for _, o := range obs {
			s += o.Value
		}
		return s / float64(len(obs))
	}
	var s float64
	for _, o := range obs {
		s += o.Value
	}
	return s
}
