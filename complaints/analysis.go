package complaints

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit/internal/stats"
)

// Dimension is what the complaints log can be counted by.
type Dimension string

// The dimensions.
const (
	DimensionCategory   Dimension = attrCategory
	DimensionMadeBy     Dimension = attrMadeBy
	DimensionDirectedAt Dimension = attrDirectedAt // the target's kind
	DimensionChannel    Dimension = attrChannel
	DimensionSeverity   Dimension = attrSeverity
	DimensionStatus     Dimension = attrStatus
	// DimensionProduct is the product a complaint is directed at (the
	// target's name when its kind is product); other complaints have none.
	DimensionProduct Dimension = attrProduct
	// DimensionTarget is whom or what a complaint is directed at, kind and
	// name ("staff: Salesperson"): a person, a team, a supplier, a product.
	DimensionTarget Dimension = attrTarget
)

// Dimensions() lists every dimension.
func Dimensions() []Dimension {
	return []Dimension{DimensionCategory, DimensionMadeBy, DimensionDirectedAt, DimensionChannel, DimensionSeverity, DimensionStatus, DimensionProduct, DimensionTarget}
}

func (d Dimension) validate() error {
	if !slices.Contains(Dimensions(), d) {
		return invalid("dimension", "must be one of %s, got %q", join(Dimensions()), d)
	}
	return nil
}

// checkValue reports a value that no complaint can have on d: the fixed
// vocabularies are checked, categories (the organisation's own) are not.
func (d Dimension) checkValue(v string) error {
	var ok bool
	var known string
	switch d {
	case DimensionMadeBy:
		ok, known = slices.Contains(MadeBys(), MadeBy(v)), join(MadeBys())
	case DimensionDirectedAt:
		ok, known = slices.Contains(TargetKinds(), TargetKind(v)), join(TargetKinds())
	case DimensionChannel:
		ok, known = slices.Contains(Channels(), Channel(v)), join(Channels())
	case DimensionSeverity:
		ok, known = slices.Contains(Severities(), Severity(v)), join(Severities())
	case DimensionStatus:
		ok, known = slices.Contains(Statuses(), Status(v)), join(Statuses())
	default:
		return nil
	}
	if !ok {
		return invalid(string(d), "must be one of %s, got %q", known, v)
	}
	return nil
}

func checkPeriod(from, to time.Time) error {
	if from.IsZero() || to.IsZero() {
		return invalid("period", "from and to are required")
	}
	if !to.After(from) {
		return invalid("period", "to must be after from, got %s to %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return nil
}

// Count is how many complaints have one value of a dimension.
type Count struct {
	Value string
	Count int64
}

// Counts counts the complaints received in [from, to) by dim, most
// frequent first (ties by value). It uses the store's grouped count, so a
// driver with a fast path never decodes a complaint.
func (s *Service) Counts(ctx context.Context, from, to time.Time, dim Dimension) ([]Count, error) {
	if err := checkPeriod(from, to); err != nil {
		return nil, err
	}
	if err := dim.validate(); err != nil {
		return nil, err
	}
	gs, err := s.coll.Count(ctx, s.period(from, to), string(dim))
	if err != nil {
		return nil, err
	}
	out := make([]Count, 0, len(gs))
	for _, g := range gs {
		if g.Values[0] == "" && dim == DimensionProduct {
			continue // not about a product
		}
		out = append(out, Count{Value: g.Values[0], Count: g.Count})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	return out, nil
}

// Pareto ranks what customers complain about most: each value of a
// dimension with its count, its share of the total and the cumulative
// share down the ranking.
type Pareto struct {
	Dimension Dimension
	Total     int64
	Rows      []ParetoRow
}

// ParetoRow is one line of a Pareto ranking; shares are fractions (0..1).
type ParetoRow struct {
	Value      string
	Count      int64
	Share      float64
	Cumulative float64
}

// Vital returns the first rows that together reach share of the total
// (0.8 for the classic "vital few").
func (p Pareto) Vital(share float64) []ParetoRow {
	for i, r := range p.Rows {
		if r.Cumulative >= share-1e-12 {
			return p.Rows[:i+1]
		}
	}
	return p.Rows
}

// Pareto ranks the complaints received in [from, to) by dim.
func (s *Service) Pareto(ctx context.Context, from, to time.Time, dim Dimension) (Pareto, error) {
	cs, err := s.Counts(ctx, from, to, dim)
	if err != nil {
		return Pareto{}, err
	}
	return pareto(dim, cs), nil
}

func pareto(dim Dimension, cs []Count) Pareto {
	p := Pareto{Dimension: dim, Rows: make([]ParetoRow, 0, len(cs))}
	for _, c := range cs {
		p.Total += c.Count
	}
	var cum int64
	for _, c := range cs {
		cum += c.Count
		p.Rows = append(p.Rows, ParetoRow{Value: c.Value, Count: c.Count,
			Share: float64(c.Count) / float64(p.Total), Cumulative: float64(cum) / float64(p.Total)})
	}
	return p
}

// Granularity is the width of a trend's buckets.
type Granularity string

// The granularities. Weeks start on Monday; all buckets follow the
// calendar's time zone.
const (
	GranularityDay   Granularity = "day"
	GranularityWeek  Granularity = "week"
	GranularityMonth Granularity = "month"
)

// TrendPoint is one bucket of a trend, with the change against the bucket
// before it. ChangePct is NaN when the previous bucket had none.
//
// Partial marks the bucket still under way (it holds the present): its
// Previous is then the bucket before counted over the same stretch of
// time (Monday to Wednesday noon against Monday to Wednesday noon), so an
// unfinished week or month never shows a fall that did not happen.
type TrendPoint struct {
	Start, End time.Time
	Count      int64
	Previous   int64
	Change     int64
	ChangePct  float64
	Partial    bool
}

// Trend counts complaints received per bucket, from the bucket holding
// from to the bucket holding the instant before to (and not past the
// present), each compared with the bucket before it (the first with the
// bucket before from, so it has a comparison too). Buckets are whole
// days, weeks or months; the one under way is compared like with like
// (see TrendPoint.Partial).
func (s *Service) Trend(ctx context.Context, from, to time.Time, g Granularity) ([]TrendPoint, error) {
	series, err := s.trend(ctx, from, to, g, "")
	if err != nil {
		return nil, err
	}
	return series[0].Points, nil
}

// Series is the trend of the complaints with one value of a dimension.
type Series struct {
	Value  string
	Total  int64 // complaints over the whole trend
	Points []TrendPoint
}

// TrendBy is Trend broken down by dim: one series per value that has
// complaints in the period (by category, by who made them, by what they
// were directed at, by product), largest first.
func (s *Service) TrendBy(ctx context.Context, from, to time.Time, g Granularity, dim Dimension) ([]Series, error) {
	if err := dim.validate(); err != nil {
		return nil, err
	}
	return s.trend(ctx, from, to, g, dim)
}

// trend builds the series of dim ("" for one series of every complaint).
func (s *Service) trend(ctx context.Context, from, to time.Time, g Granularity, dim Dimension) ([]Series, error) {
	if err := checkPeriod(from, to); err != nil {
		return nil, err
	}
	switch g {
	case GranularityDay, GranularityWeek, GranularityMonth:
	default:
		return nil, invalid("granularity", "must be one of day, week, month, got %q", g)
	}
	now := s.now()
	if to.After(now) && now.After(from) {
		to = now // nothing was received in the future: no empty buckets past today
	}
	start := s.bucketStart(from, g)
	prevStart := s.step(start, g, -1)
	var bounds []time.Time
	for t := prevStart; t.Before(to); t = s.step(t, g, 1) {
		bounds = append(bounds, t)
	}
	bounds = append(bounds, s.step(bounds[len(bounds)-1], g, 1))
	group := []string{attrDay}
	if dim != "" {
		group = append(group, string(dim))
	}
	gs, err := s.coll.Count(ctx, s.period(prevStart, bounds[len(bounds)-1]), group...)
	if err != nil {
		return nil, err
	}
	counts := map[string][]int64{}
	if dim == "" {
		counts[""] = make([]int64, len(bounds)-1)
	}
	for _, gr := range gs {
		day, err := time.ParseInLocation(time.DateOnly, gr.Values[0], s.loc)
		if err != nil {
			continue
		}
		key := ""
		if dim != "" {
			key = gr.Values[1]
			if key == "" {
				continue // no value on this dimension (not about a product)
			}
		}
		i, found := slices.BinarySearchFunc(bounds, day, func(b, t time.Time) int { return b.Compare(t) })
		if !found {
			i--
		}
		if i < 0 || i >= len(bounds)-1 {
			continue
		}
		if counts[key] == nil {
			counts[key] = make([]int64, len(bounds)-1)
		}
		counts[key][i] += gr.Count
	}
	// The bucket under way is compared with the same stretch of the one
	// before it.
	last := len(bounds) - 2
	var partialPrev map[string]int64
	if bounds[last+1].After(now) && !bounds[last].After(now) && last >= 1 {
		elapsed := now.Sub(bounds[last])
		pgs, err := s.coll.Count(ctx, s.period(bounds[last-1], bounds[last-1].Add(elapsed)), group[1:]...)
		if err != nil {
			return nil, err
		}
		partialPrev = map[string]int64{}
		for _, gr := range pgs {
			key := ""
			if dim != "" {
				key = gr.Values[0]
			}
			partialPrev[key] += gr.Count
		}
	}
	out := make([]Series, 0, len(counts))
	for key, cs := range counts {
		se := Series{Value: key, Points: make([]TrendPoint, 0, len(cs)-1)}
		for i := 1; i < len(cs); i++ {
			p := TrendPoint{Start: bounds[i], End: bounds[i+1], Count: cs[i], Previous: cs[i-1]}
			if i == last && partialPrev != nil {
				p.Partial, p.Previous = true, partialPrev[key]
			}
			p.Change = p.Count - p.Previous
			p.ChangePct = math.NaN()
			if p.Previous > 0 {
				p.ChangePct = 100 * float64(p.Change) / float64(p.Previous)
			}
			se.Total += p.Count
			se.Points = append(se.Points, p)
		}
		out = append(out, se)
	}
	slices.SortFunc(out, func(a, b Series) int { return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Value, b.Value)) })
	return out, nil
}

func (s *Service) step(t time.Time, g Granularity, n int) time.Time {
	switch g {
	case GranularityWeek:
		return t.AddDate(0, 0, 7*n)
	case GranularityMonth:
		return t.AddDate(0, n, 0)
	}
	return t.AddDate(0, 0, n)
}

// bucketStart is the local midnight starting t's day, week or month.
func (s *Service) bucketStart(t time.Time, g Granularity) time.Time {
	l := t.In(s.loc)
	y, m, d := l.Date()
	switch g {
	case GranularityWeek:
		back := (int(l.Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, m, d-back, 0, 0, 0, 0, s.loc)
	case GranularityMonth:
		return time.Date(y, m, 1, 0, 0, 0, 0, s.loc)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, s.loc)
}

// Spread summarises durations in hours.
type Spread struct {
	N      int
	Median float64
	P90    float64
}

func spread(hours []float64) Spread {
	if len(hours) == 0 {
		return Spread{Median: math.NaN(), P90: math.NaN()}
	}
	slices.Sort(hours)
	return Spread{N: len(hours), Median: stats.SortedQuantile(hours, 0.5), P90: stats.SortedQuantile(hours, 0.9)}
}

// Summary is the complaints log analysed over a period.
type Summary struct {
	From, To time.Time
	Total    int64
	// Counts by each dimension, most frequent first.
	ByCategory, ByMadeBy, ByDirectedAt, ByChannel, BySeverity, ByStatus []Count
	// Pareto of categories: what customers complain about most.
	Pareto Pareto
	// Acknowledgement and resolution (until the customer is told the
	// solution) times, in calendar hours, of those done, measured from
	// receipt: what the customer waited.
	Acknowledgement, Resolution Spread
	// The same times in business hours of Config.Calendar (only the hours
	// the organisation is open count), comparable with targets set in
	// business hours. Without a calendar they are empty (N 0, NaN).
	BusinessAcknowledgement, BusinessResolution Spread
	// Breaches counts complaints with at least one deadline breached or
	// met late as of the time of the summary, including breaches Sweep
	// recorded and those before a reopening (Complaint.PastBreaches);
	// BreachRate is their share. Deadlines are those of Config.Targets,
	// in calendar or business time as the targets are.
	Breaches   int
	BreachRate float64
	// RepeatComplainants are customers (by reference) with two or more
	// complaints in the period; RepeatComplaints the complaints they made.
	RepeatComplainants int
	RepeatComplaints   int64
	// Shares of complaints escalated internally and referred outside.
	ShareEscalated, ShareEscalatedExternally float64
	// FirstContactResolution is the share of resolved complaints resolved
	// at first contact (see Config.FirstContact); NaN if none resolved.
	Resolved               int64
	FirstContactResolution float64
}

// Summarise analyses the complaints received in [from, to). Counts come
// from the store's grouped counts; times and breaches need each
// complaint's body and stream through it once.
func (s *Service) Summarise(ctx context.Context, from, to time.Time) (Summary, error) {
	if err := checkPeriod(from, to); err != nil {
		return Summary{}, err
	}
	sum := Summary{From: from, To: to}
	dims := []*[]Count{&sum.ByCategory, &sum.ByMadeBy, &sum.ByDirectedAt, &sum.ByChannel, &sum.BySeverity, &sum.ByStatus}
	for i, d := range []Dimension{DimensionCategory, DimensionMadeBy, DimensionDirectedAt, DimensionChannel, DimensionSeverity, DimensionStatus} {
		cs, err := s.Counts(ctx, from, to, d)
		if err != nil {
			return Summary{}, err
		}
		*dims[i] = cs
	}
	for _, c := range sum.ByCategory {
		sum.Total += c.Count
	}
	sum.Pareto = pareto(DimensionCategory, sum.ByCategory)
	var err error
	if sum.RepeatComplainants, sum.RepeatComplaints, err = s.repeats(ctx, from, to); err != nil {
		return Summary{}, err
	}
	esc, err := s.share(ctx, from, to, attrEscalated)
	if err != nil {
		return Summary{}, err
	}
	ext, err := s.share(ctx, from, to, attrExternal)
	if err != nil {
		return Summary{}, err
	}
	sum.ShareEscalated, sum.ShareEscalatedExternally = esc, ext
	var fcrYes int64
	if sum.Resolved, fcrYes, err = s.firstContactCounts(ctx, from, to); err != nil {
		return Summary{}, err
	}
	sum.FirstContactResolution = math.NaN()
	if sum.Resolved > 0 {
		sum.FirstContactResolution = float64(fcrYes) / float64(sum.Resolved)
	}
	t, err := s.times(ctx, from, to)
	if err != nil {
		return Summary{}, err
	}
	sum.Acknowledgement, sum.Resolution, sum.Breaches = t.ack, t.res, t.breaches
	sum.BusinessAcknowledgement, sum.BusinessResolution = t.bizAck, t.bizRes
	if t.n > 0 {
		sum.BreachRate = float64(t.breaches) / float64(t.n)
	}
	return sum, nil
}

func (s *Service) repeats(ctx context.Context, from, to time.Time) (int, int64, error) {
	gs, err := s.coll.Count(ctx, s.period(from, to), attrCustomer)
	if err != nil {
		return 0, 0, err
	}
	var people int
	var n int64
	for _, g := range gs {
		if g.Values[0] != "" && g.Count >= 2 {
			people++
			n += g.Count
		}
	}
	return people, n, nil
}

// share is the fraction of complaints in the period whose flag attribute
// is "true"; 0 for an empty period.
func (s *Service) share(ctx context.Context, from, to time.Time, attr string) (float64, error) {
	gs, err := s.coll.Count(ctx, s.period(from, to), attr)
	if err != nil {
		return 0, err
	}
	var yes, all int64
	for _, g := range gs {
		all += g.Count
		if g.Values[0] == "true" {
			yes += g.Count
		}
	}
	if all == 0 {
		return 0, nil
	}
	return float64(yes) / float64(all), nil
}

func (s *Service) firstContactCounts(ctx context.Context, from, to time.Time) (resolved, yes int64, err error) {
	gs, err := s.coll.Count(ctx, s.period(from, to), attrFirst)
	if err != nil {
		return 0, 0, err
	}
	for _, g := range gs {
		switch g.Values[0] {
		case "true":
			yes += g.Count
			resolved += g.Count
		case "false":
			resolved += g.Count
		}
	}
	return resolved, yes, nil
}

type timing struct {
	n              int
	ack, res       Spread
	bizAck, bizRes Spread // in business hours; empty without a calendar
	breaches       int
}

func (s *Service) times(ctx context.Context, from, to time.Time) (timing, error) {
	now := s.now()
	var ack, res, bizAck, bizRes []float64
	var t timing
	for c, err := range s.Received(ctx, from, to) {
		if err != nil {
			return timing{}, err
		}
		t.n++
		if !c.Acknowledged.IsZero() {
			ack = append(ack, c.Acknowledged.Sub(c.Received).Hours())
			if s.biz != nil {
				bizAck = append(bizAck, s.biz.Between(c.Received, c.Acknowledged).Hours())
			}
		}
		if !c.Resolved.IsZero() {
			res = append(res, c.Resolved.Sub(c.Received).Hours())
			if s.biz != nil {
				bizRes = append(bizRes, s.biz.Between(c.Received, c.Resolved).Hours())
			}
		}
		if s.late(&c, now) {
			t.breaches++
		}
	}
	t.ack, t.res = spread(ack), spread(res)
	t.bizAck, t.bizRes = spread(bizAck), spread(bizRes)
	return t, nil
}
