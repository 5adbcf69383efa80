package feedback

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
)

// Measure makes the desk a measurement source: it returns the value of a
// metric over [from, to), so a strategy's target can follow it. The
// metrics are:
//
//	nps                  NPS (-100 to 100) of every NPS answer given in the period
//	csat                 % of CSAT answers that are 4 or 5
//	ces                  mean CES answer (1 to 7)
//	count                items received
//	count:kind=<k>       items of kind k received
//	share:category=<c>   % of the items received that are in category c
//	secondary:<measure>  a secondary measure (summed, averaged or the latest
//	                     value, as the measure says; see Secondary)
//
// Score metrics with no answers in the period return NaN. An unknown
// metric fails with an error wrapping ErrUnknownMetric.
func (d *Desk) Measure(ctx context.Context, metric string, from, to time.Time) (float64, error) {
	if !to.After(from) {
		return 0, invalidf("period", "must end after it starts")
	}
	name, arg, _ := strings.Cut(metric, ":")
	switch {
	case arg == "" && (name == "nps" || name == "csat" || name == "ces"):
		t := map[string]QuestionType{"nps": QuestionNPS, "csat": QuestionCSAT, "ces": QuestionCES}[name]
		vs, err := d.scoreValues(ctx, t, from, to)
		if err != nil {
			return 0, err
		}
		if len(vs) == 0 {
			return math.NaN(), nil
		}
		switch t {
		case QuestionNPS:
			s, err := NPS(vs, 0.95)
			return s.Score, err
		case QuestionCSAT:
			s, err := CSAT(vs, 0.95)
			return s.Percent, err
		default:
			s, err := CES(vs, 0.95)
			return s.Mean, err
		}
	case metric == "count":
		pc, err := d.countBy(ctx, from, to, "kind")
		return float64(pc.total), err
	case name == "count" && strings.HasPrefix(arg, "kind="):
		k := Kind(strings.TrimPrefix(arg, "kind="))
		if !k.Valid() {
			return 0, fmt.Errorf("%w: %q names an unknown kind", ErrUnknownMetric, metric)
		}
		pc, err := d.countBy(ctx, from, to, "kind")
		return float64(pc.by["kind"][string(k)]), err
	case name == "share" && strings.HasPrefix(arg, "category="):
		c := strings.TrimPrefix(arg, "category=")
		cat, _ := d.config()
		if !cat.Known(c) && c != Uncategorised {
			return 0, fmt.Errorf("%w: %q names an unknown category", ErrUnknownMetric, metric)
		}
		pc, err := d.countBy(ctx, from, to, "category")
		if err != nil || pc.total == 0 {
			return math.NaN(), err
		}
		return 100 * float64(pc.by["category"][c]) / float64(pc.total), nil
	case name == "secondary":
		m := Secondary(arg)
		if !m.Valid() {
			return 0, fmt.Errorf("%w: %q names an unknown secondary measure", ErrUnknownMetric, metric)
		}
		obs, err := d.Series(ctx, m, from, to)
		if err != nil {
			return 0, err
		}
		return aggregate(m, obs), nil
	}
	return 0, fmt.Errorf("%w: %q (known: nps, csat, ces, count, count:kind=<k>, share:category=<c>, secondary:<measure>)", ErrUnknownMetric, metric)
}
