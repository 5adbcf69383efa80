package complaints

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
)

// Metric names Measure understands. Each is measured over the complaints
// received in [from, to).
const (
	// MetricCount is the number of complaints; "count:<dimension>=<value>"
	// counts those with one value, e.g. "count:category=delivery" or
	// "count:made_by=colleague". A value no complaint can have on a fixed
	// dimension (status, made_by, directed_at, channel, severity), such as
	// a misspelt "count:status=clsoed", is an error wrapping ErrInvalid
	// rather than a silent zero; categories are the organisation's own and
	// any value counts.
	MetricCount = "count"
	// MetricMedianResolution and MetricP90Resolution are hours from receipt
	// until the customer was told the solution, over those resolved.
	MetricMedianResolution = "median_resolution_hours"
	MetricP90Resolution    = "p90_resolution_hours"
	// MetricMedianAcknowledgement and MetricP90Acknowledgement are hours
	// until someone declared to resolve the complaint.
	MetricMedianAcknowledgement = "median_acknowledgement_hours"
	MetricP90Acknowledgement    = "p90_acknowledgement_hours"
	// The same four times in business hours of Config.Calendar, for
	// targets set in business hours; asking for them without a calendar
	// is an error wrapping ErrInvalid.
	MetricMedianResolutionBusiness      = "median_resolution_business_hours"
	MetricP90ResolutionBusiness         = "p90_resolution_business_hours"
	MetricMedianAcknowledgementBusiness = "median_acknowledgement_business_hours"
	MetricP90AcknowledgementBusiness    = "p90_acknowledgement_business_hours"
	// MetricBreachRate is the share (0..1) of complaints with a deadline
	// breached or met late.
	MetricBreachRate = "breach_rate"
	// MetricShareEscalatedExternally is the share referred to an outside
	// body; MetricShareEscalated the share escalated internally.
	MetricShareEscalatedExternally = "share_escalated_externally"
	MetricShareEscalated           = "share_escalated"
	// MetricFirstContactResolution is the share of resolved complaints
	// resolved at first contact.
	MetricFirstContactResolution = "first_contact_resolution"
	// MetricRepeatComplainants is the number of customers with two or more
	// complaints.
	MetricRepeatComplainants = "repeat_complainants"
)

// Measure returns the value of metric over the complaints received in
// [from, to), for a strategy's target. It is the measurement source the
// strategy package declares; complaints implements it without importing
// strategy. Unknown metrics give an error wrapping ErrUnknownMetric. A
// time metric over a period with nothing resolved is NaN.
func (s *Service) Measure(ctx context.Context, metric string, from, to time.Time) (float64, error) {
	if err := checkPeriod(from, to); err != nil {
		return 0, err
	}
	if rest, ok := strings.CutPrefix(metric, MetricCount+":"); ok {
		attr, value, ok := strings.Cut(rest, "=")
		if !ok || Dimension(attr).validate() != nil {
			return 0, fmt.Errorf("%w: %q (want count:<%s>=<value>)", ErrUnknownMetric, metric, strings.Join(dimNames(), "|"))
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
	switch metric {
	case MetricCount:
		gs, err := s.coll.Count(ctx, s.period(from, to))
		if err != nil {
			return 0, err
		}
		return float64(gs[0].Count), nil
	case MetricMedianResolution, MetricP90Resolution, MetricMedianAcknowledgement, MetricP90Acknowledgement, MetricBreachRate,
		MetricMedianResolutionBusiness, MetricP90ResolutionBusiness, MetricMedianAcknowledgementBusiness, MetricP90AcknowledgementBusiness:
		if strings.Contains(metric, "business") && s.biz == nil {
			return 0, invalid("metric", "%s needs a business calendar (Config.Calendar)", metric)
		}
		t, err := s.times(ctx, from, to)
		if err != nil {
			return 0, err
		}
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
	return 0, fmt.Errorf("%w: %q", ErrUnknownMetric, metric)
}

func dimNames() []string {
	out := make([]string, len(Dimensions))
	for i, d := range Dimensions {
		out[i] = string(d)
	}
	return out
}
