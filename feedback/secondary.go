package feedback

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit/store"
)

// A Secondary is a measure the organisation already keeps for another
// purpose that also tells how its service is doing (secondary research).
type Secondary string

// The secondary measures. Each says how observations in a period combine:
// flows are summed, levels averaged, stocks take the latest value.
const (
	NetSales           Secondary = "net-sales"           // flow: money taken
	MarketShare        Secondary = "market-share"        // level: percent
	Refunds            Secondary = "refunds"             // flow: count
	Returns            Secondary = "returns"             // flow: count
	Exchanges          Secondary = "exchanges"           // flow: count
	Cancellations      Secondary = "cancellations"       // flow: count
	ComplaintsReceived Secondary = "complaints-received" // flow: count
	WaitingTime        Secondary = "waiting-time"        // level: minutes
	CustomersOnBooks   Secondary = "customers-on-books"  // stock: count
	StaffTurnover      Secondary = "staff-turnover"      // level: percent
	Absenteeism        Secondary = "absenteeism"         // level: percent
	StaffAppraisal     Secondary = "staff-appraisal"     // level: score
	QualityAssurance   Secondary = "quality-assurance"   // level: score
)

type aggregation int

const (
	aggSum aggregation = iota
	aggMean
	aggLast
)

var secondaryAgg = map[Secondary]aggregation{
	NetSales: aggSum, Refunds: aggSum, Returns: aggSum, Exchanges: aggSum, Cancellations: aggSum,
	ComplaintsReceived: aggSum, WaitingTime: aggMean, CustomersOnBooks: aggLast,
	StaffTurnover: aggMean, Absenteeism: aggMean, QualityAssurance: aggMean,
	MarketShare: aggMean, StaffAppraisal: aggMean,
}

// secondaryRange is the rule on a measure's values: counts and minutes
// cannot be negative and percentages lie in 0-100. Net sales may be
// negative (a period of refunds) and scores are the organisation's own.
var secondaryRange = map[Secondary][2]float64{
	Refunds: {0, math.Inf(1)}, Returns: {0, math.Inf(1)}, Exchanges: {0, math.Inf(1)},
	Cancellations: {0, math.Inf(1)}, ComplaintsReceived: {0, math.Inf(1)},
	CustomersOnBooks: {0, math.Inf(1)}, WaitingTime: {0, math.Inf(1)},
	MarketShare: {0, 100}, StaffTurnover: {0, 100}, Absenteeism: {0, 100},
}

// Valid reports whether s is one of the defined measures.
func (s Secondary) Valid() bool { _, ok := secondaryAgg[s]; return ok }

// An Observation is one value of a secondary measure at a time.
type Observation struct {
	store.Meta
	Measure Secondary `json:"measure"`
	At      time.Time `json:"at"`
	Value   float64   `json:"value"`
	Note    string    `json:"note,omitempty"`
}

func observationIndex(o *Observation) map[string]string {
	return map[string]string{"measure": string(o.Measure), "at": store.TimeKey(o.At)}
}

// Observe stores a value of a secondary measure. A value outside the
// measure's range (a negative count, a percentage above 100), a missing or
// future time, or an unknown measure fails with a *FieldError and stores
// nothing.
func (d *Desk) Observe(ctx context.Context, o Observation) (Observation, error) {
	o.Meta = store.Meta{}
	if !o.Measure.Valid() {
		return Observation{}, invalidf("observation.measure", "must be one of the secondary measures, got %q", o.Measure)
	}
	if o.At.IsZero() {
		return Observation{}, invalidf("observation.at", "must be set")
	}
	if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
		return Observation{}, invalidf("observation.value", "must be a finite number")
	}
	if r, ok := secondaryRange[o.Measure]; ok && (o.Value < r[0] || o.Value > r[1]) {
		if math.IsInf(r[1], 1) {
			return Observation{}, invalidf("observation.value", "must not be negative for %s, got %g", o.Measure, o.Value)
		}
		return Observation{}, invalidf("observation.value", "must be a percentage from %g to %g for %s, got %g", r[0], r[1], o.Measure, o.Value)
	}
	if now := d.now(); o.At.After(now) {
		return Observation{}, invalidf("observation.at", "must not be in the future (now %s), got %s", now.Format(time.RFC3339), o.At.Format(time.RFC3339))
	}
	o.At = o.At.UTC()
	return d.observations.Create(ctx, o)
}

// Series returns a measure's observations in [from, to), in time order.
func (d *Desk) Series(ctx context.Context, m Secondary, from, to time.Time) ([]Observation, error) {
	if !m.Valid() {
		return nil, invalidf("measure", "must be one of the secondary measures, got %q", m)
	}
	var out []Observation
	fs := append([]store.Filter{store.Where("measure", string(m))}, store.Between("at", store.TimeKey(from), store.TimeKey(to))...)
	for o, err := range d.observations.All(ctx, store.Query{Filters: fs, Limit: store.MaxLimit}) {
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	sortObservations(out)
	return out, nil
}

// aggregate combines a period's observations by the measure's rule; NaN
// when there are none.
func aggregate(m Secondary, obs []Observation) float64 {
	if len(obs) == 0 {
		return math.NaN()
	}
	switch secondaryAgg[m] {
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

// sortObservations orders by time; the list came in ID (arrival) order and
// the stable sort keeps it for equal times.
func sortObservations(obs []Observation) {
	slices.SortStableFunc(obs, func(a, b Observation) int { return a.At.Compare(b.At) })
}
