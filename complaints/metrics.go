package complaints

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

// MetricName names a measure of the complaints log (cxkit.Metric.Name).
type MetricName string

// The measures Measure understands, each over the complaints received in
// the period.
const (
	// MetricCount is the number of complaints; CountBy narrows it to
	// those with one value of a dimension. A value no complaint can have
	// on a fixed dimension (status, made by, directed at, channel,
	// severity), such as a misspelt status, is a *cxkit.ValidationError
	// rather than a silent zero; categories and products are the
	// organisation's own and any value counts.
	MetricCount MetricName = "count"
	// MetricMedianResolution and MetricP90Resolution are hours from receipt
	// until the customer was told the solution, over those resolved.
	MetricMedianResolution MetricName = "median_resolution_hours"
	MetricP90Resolution    MetricName = "p90_resolution_hours"
	// MetricMedianAcknowledgement and MetricP90Acknowledgement are hours
	// until someone declared to resolve the complaint.
	MetricMedianAcknowledgement MetricName = "median_acknowledgement_hours"
	MetricP90Acknowledgement    MetricName = "p90_acknowledgement_hours"
	// The same four times in business hours of Config.Calendar, for
	// targets set in business hours; asking for them without a calendar
	// is a *cxkit.ValidationError.
	MetricMedianResolutionBusiness      MetricName = "median_resolution_business_hours"
	MetricP90ResolutionBusiness         MetricName = "p90_resolution_business_hours"
	MetricMedianAcknowledgementBusiness MetricName = "median_acknowledgement_business_hours"
	MetricP90AcknowledgementBusiness    MetricName = "p90_acknowledgement_business_hours"
	// MetricBreachRate is the share (0..1) of complaints with a deadline
	// breached or met late.
	MetricBreachRate MetricName = "breach_rate"
	// MetricShareEscalatedExternally is the share referred to an outside
	// body; MetricShareEscalated the share escalated internally.
	MetricShareEscalatedExternally MetricName = "share_escalated_externally"
	MetricShareEscalated           MetricName = "share_escalated"
	// MetricFirstContactResolution is the share of resolved complaints
	// resolved at first contact.
	MetricFirstContactResolution MetricName = "first_contact_resolution"
	// MetricRepeatComplainants is the number of customers with two or more
	// complaints.
	MetricRepeatComplainants MetricName = "repeat_complainants"
)

// Metric returns the cxkit.Metric for the whole population: what a
// strategy's target holds.
func (n MetricName) Metric() cxkit.Metric { return cxkit.Metric{Name: string(n)} }

// MetricNames lists every measure.
func MetricNames() []MetricName {
	return []MetricName{MetricCount, MetricMedianResolution, MetricP90Resolution, MetricMedianAcknowledgement, MetricP90Acknowledgement,
		MetricMedianResolutionBusiness, MetricP90ResolutionBusiness, MetricMedianAcknowledgementBusiness, MetricP90AcknowledgementBusiness,
		MetricBreachRate, MetricShareEscalatedExternally, MetricShareEscalated, MetricFirstContactResolution, MetricRepeatComplainants}
}

// CountBy is the number of complaints whose dim is value: CountBy(
// DimensionCategory, "delivery") counts the delivery complaints.
func CountBy(dim Dimension, value string) cxkit.Metric {
	return cxkit.Metric{Name: string(MetricCount), Dimension: string(dim), Value: value}
}

// Measure returns the value of m over the complaints received from from
// until to, for a strategy's target: Service is a cxkit.MeasurementSource.
// A metric it does not provide gives an error wrapping
// cxkit.ErrUnknownMetric. A time metric over a period with nothing
// resolved is NaN.
func (s *Service) Measure(ctx context.Context, m cxkit.Metric, from, to time.Time) (float64, error) {
	if err := checkPeriod(from, to); err != nil {
		return 0, err
	}
	if m.Dimension != "" || m.Value != "" {
		attr, value := m.Dimension, m.Value
		if MetricName(m.Name) != MetricCount || Dimension(attr).validate() != nil {
			return 0, fmt.Errorf("%w: %q (only count can be narrowed, by %s)", cxkit.ErrUnknownMetric, m, strings.Join(dimNames(), ", "))
		}
		if err := Dimension(attr).checkValue(value); err != nil {
			return 0, err
		}
		gs, err := s.coll.Count(ctx, append(s.period(from, to), store.Where(attr, value)))
		if err != nil {
			return 0, err
		}
		return float64(gs[0].Count), nil
	}
	metric := MetricName(m.Name)
	switch metric {
	case MetricCount:
		gs, err := s.coll.Count(ctx, s.period(from, to))
		if err != nil {
			return 0, err
		}
		return float64(gs[0].Count), nil
	case MetricMedianResolution, MetricP90Resolution, MetricMedianAcknowledgement, MetricP90Acknowledgement, MetricBreachRate,
		MetricMedianResolutionBusiness, MetricP90ResolutionBusiness, MetricMedianAcknowledgementBusiness, MetricP90AcknowledgementBusiness:
		if strings.Contains(string(metric), "business") && s.biz == nil {
			return 0, invalid("metric", "%s needs a business calendar (Config.Calendar)", metric)
		}
		t, err := s.times(ctx, from, to)
		if err != nil {
			return 0, err
		}
		metric := MetricName(m.Name)
		switch metric {
		case MetricMedianResolutionBusiness:
			return t.bizRes.Median, nil
		case MetricP90ResolutionBusiness:
			return t.bizRes.P90, nil
		case MetricMedianAcknowledgementBusiness:
			return t.bizAck.Median, nil
		case MetricP90AcknowledgementBusiness:
			return t.bizAck.P90, nil
		case MetricMedianResolution:
			return t.res.Median, nil
		case MetricP90Resolution:
			return t.res.P90, nil
		case MetricMedianAcknowledgement:
			return t.ack.Median, nil
		case MetricP90Acknowledgement:
			return t.ack.P90, nil
		}
		if t.n == 0 {
			return 0, nil
		}
		return float64(t.breaches) / float64(t.n), nil
	case MetricShareEscalatedExternally:
		return s.share(ctx, from, to, attrExternal)
	case MetricShareEscalated:
		return s.share(ctx, from, to, attrEscalated)
	case MetricFirstContactResolution:
		res, yes, err := s.firstContactCounts(ctx, from, to)
		if err != nil || res == 0 {
			return math.NaN(), err
		}
		return float64(yes) / float64(res), nil
	case MetricRepeatComplainants:
		n, _, err := s.repeats(ctx, from, to)
		return float64(n), err
	}
	return 0, fmt.Errorf("%w: %q", cxkit.ErrUnknownMetric, m)
}

func dimNames() []string {
	ds := Dimensions()
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = string(d)
	}
	return out
}
