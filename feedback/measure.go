package feedback

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/survey"
)

// A MetricName names a measure of the feedback (cxkit.Metric.Name).
type MetricName string

// The measures Measure understands, over [from, to).
const (
	// MetricNPS is the NPS (-100 to 100) of every NPS answer given in the
	// period, on survey responses and feedback forms.
	MetricNPS MetricName = "nps"
	// MetricCSAT is the % of CSAT answers that are 4 or 5.
	MetricCSAT MetricName = "csat"
	// MetricCES is the mean CES answer (1 to 7).
	MetricCES MetricName = "ces"
	// MetricCount is the number of items received; CountBy narrows it to
	// one kind, category or channel.
	MetricCount MetricName = "count"
	// MetricShare is the % of the items received that are in one category
	// (ShareOf).
	MetricShare MetricName = "share"
	// MetricSecondary is a secondary measure (SecondaryMetric), summed,
	// averaged or the latest value as the measure says.
	MetricSecondary MetricName = "secondary"
	// MetricSalesGrowth is the growth of net sales over the period before,
	// in percent (see Service.SalesGrowth).
	MetricSalesGrowth MetricName = "sales_growth"
)

// MetricNames lists every measure.
func MetricNames() []MetricName {
	return []MetricName{MetricNPS, MetricCSAT, MetricCES, MetricCount, MetricShare, MetricSecondary, MetricSalesGrowth}
}

// Metric returns the cxkit.Metric for the whole population.
func (n MetricName) Metric() cxkit.Metric { return cxkit.Metric{Name: string(n)} }

// A Dimension is what a count can be narrowed by.
type Dimension string

// The dimensions of CountBy.
const (
	DimensionKind     Dimension = "kind"
	DimensionCategory Dimension = "category"
	DimensionChannel  Dimension = "channel"
)

// Dimensions lists every dimension.
func Dimensions() []Dimension { return []Dimension{DimensionKind, DimensionCategory, DimensionChannel} }

// CountBy is the number of items whose dim is value: CountBy(DimensionKind,
// "complaint") counts the complaints among the feedback.
func CountBy(dim Dimension, value string) cxkit.Metric {
	return cxkit.Metric{Name: string(MetricCount), Dimension: string(dim), Value: value}
}

// ShareOf is the % of the items received that are in category.
func ShareOf(category string) cxkit.Metric {
	return cxkit.Metric{Name: string(MetricShare), Dimension: string(DimensionCategory), Value: category}
}

// SecondaryMetric is the value of a secondary measure over the period.
func SecondaryMetric(m Secondary) cxkit.Metric {
	return cxkit.Metric{Name: string(MetricSecondary), Dimension: "measure", Value: string(m)}
}

// Measure returns the value of m over [from, to), so that a strategy's
// target can follow it: Service is a cxkit.MeasurementSource. Score metrics
// with no answers in the period, and a share of a period with no items,
// are NaN. A metric it does not provide fails with an error wrapping
// cxkit.ErrUnknownMetric.
func (s *Service) Measure(ctx context.Context, m cxkit.Metric, from, to time.Time) (float64, error) {
	if !to.After(from) {
		return 0, invalidf("period", "must end after it starts")
	}
	unknown := func(why string) error {
		return fmt.Errorf("feedback: metric %q %s: %w", m.String(), why, cxkit.ErrUnknownMetric)
	}
	whole := m.Dimension == "" && m.Value == ""
	switch MetricName(m.Name) {
	case MetricNPS, MetricCSAT, MetricCES:
		if !whole {
			return 0, unknown("cannot be narrowed")
		}
		t := map[MetricName]survey.QuestionType{MetricNPS: survey.QuestionTypeNPS, MetricCSAT: survey.QuestionTypeCSAT, MetricCES: survey.QuestionTypeCES}[MetricName(m.Name)]
		vs, err := s.scoreValues(ctx, t, from, to)
		if err != nil {
			return 0, err
		}
		if len(vs) == 0 {
			return math.NaN(), nil
		}
		switch t {
		case survey.QuestionTypeNPS:
			sc, err := survey.NPS(vs, 0.95)
			return sc.Score, err
		case survey.QuestionTypeCSAT:
			sc, err := survey.CSAT(vs, 0.95)
			return sc.Percent, err
		default:
			sc, err := survey.CES(vs, 0.95)
			return sc.Mean, err
		}
	case MetricCount:
		if whole {
			pc, err := s.countBy(ctx, from, to, "kind")
			return float64(pc.total), err
		}
		switch Dimension(m.Dimension) {
		case DimensionKind:
			if !Kind(m.Value).Valid() {
				return 0, unknown("names an unknown kind")
			}
		case DimensionChannel:
			if !Channel(m.Value).Valid() {
				return 0, unknown("names an unknown channel")
			}
		case DimensionCategory:
			if cc, _ := s.state(); !cc.known[m.Value] && m.Value != Uncategorised {
				return 0, unknown("names an unknown category")
			}
		default:
			return 0, unknown("names an unknown dimension")
		}
		pc, err := s.countBy(ctx, from, to, m.Dimension)
		return float64(pc.by[m.Dimension][m.Value]), err
	case MetricShare:
		cc, _ := s.state()
		if Dimension(m.Dimension) != DimensionCategory || (!cc.known[m.Value] && m.Value != Uncategorised) {
			return 0, unknown("must name one of the organisation's categories")
		}
		pc, err := s.countBy(ctx, from, to, "category")
		if err != nil || pc.total == 0 {
			return math.NaN(), err
		}
		return 100 * float64(pc.by["category"][m.Value]) / float64(pc.total), nil
	case MetricSecondary:
		sm := Secondary(m.Value)
		if m.Dimension != "measure" || !sm.Valid() {
			return 0, unknown("names an unknown secondary measure")
		}
		obs, err := s.Series(ctx, sm, from, to)
		if err != nil {
			return 0, err
		}
		return aggregate(sm, obs), nil
	case MetricSalesGrowth:
		if !whole {
			return 0, unknown("cannot be narrowed")
		}
		return s.SalesGrowth(ctx, from, to)
	}
	return 0, unknown("is not a feedback measure (known: nps, csat, ces, count, share, secondary, sales_growth)")
}
