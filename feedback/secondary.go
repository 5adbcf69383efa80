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

// Observe stores a value of a secondary measure.
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
