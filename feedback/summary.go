package feedback

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/internal/stats"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/survey"
)

// SummaryOptions tune Summarise. The zero value gives the defaults.
type SummaryOptions struct {
	// TopPhrases per category; default 3.
	TopPhrases int
	// BaselinePeriods is how many periods of the same length before this
	// one form the baseline of the rising-category alert; default 4.
	BaselinePeriods int
	// Alpha is the p-value below which a rise counts; default 0.01.
	Alpha float64
	// MinCount is the fewest items in a category this period for an alert,
	// so a handful of items never raises one; default 5.
	MinCount int
}

func (o SummaryOptions) withDefaults() SummaryOptions {
	if o.TopPhrases <= 0 {
		o.TopPhrases = 3
	}
	if o.BaselinePeriods <= 0 {
		o.BaselinePeriods = 4
	}
	if o.Alpha <= 0 || o.Alpha >= 1 {
		o.Alpha = 0.01
	}
	if o.MinCount <= 0 {
		o.MinCount = 5
	}
	return o
}

// A Count is a value of a dimension (a kind, a category, a channel) and
// how many items had it, now and in the previous period of the same length.
type Count struct {
	Value    string
	Now      int
	Previous int
}

// Change is Now - Previous.
func (c Count) Change() int { return c.Now - c.Previous }

// A RatingSummary averages one named rating or form question.
type RatingSummary struct {
	Name     string
	N        int
	Mean     float64
	Min, Max int // the scale
}

// A Phrase is a word or pair of words and how many items used it.
type Phrase struct {
	Text  string
	Items int
}

// An Alert says a category's share of the feedback is rising beyond what
// its recent history explains, and what to do about it.
type Alert struct {
	Category string
	Observed int // items this period
	// Expected is the items this period would have had at the baseline's
	// share.
	Expected float64
	// Share and BaselineShare are the category's percentage of all items
	// this period and over the baseline periods.
	Share, BaselineShare float64
	// P is the one-sided p-value of so large a share or larger if the
	// category's share had not changed.
	P float64
	// Suggestion proposes asking about the category on the feedback forms.
	Suggestion string
}

// A Summary is what the desk reports for a period, for the managers'
// meeting: counts by kind, category and channel against the previous
// period, ratings, the phrases customers use per category, the queue, and
// the categories really on the rise.
type Summary struct {
	From, To       time.Time
	Total          int
	PreviousTotal  int
	ByKind         []Count
	ByCategory     []Count
	ByChannel      []Count
	Ratings        []RatingSummary
	TopPhrases     map[string][]Phrase
	Uncategorised  int
	KindToCheck    int // items whose inferred kind waits for a person
	Unacknowledged int
	Rising         []Alert
}

// Summarise reports on the items received in [from, to). The previous
// period is the same length just before from; the rising-category alert
// compares this period with the BaselinePeriods before it, so a category
// that was always busy does not alert, and a single spike of a few items
// does not either (see SummaryOptions).
func (s *Service) Summarise(ctx context.Context, from, to time.Time, opts SummaryOptions) (Summary, error) {
	if !to.After(from) {
		return Summary{}, invalidf("period", "must end after it starts, got %s to %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	if math.IsNaN(opts.Alpha) || math.IsInf(opts.Alpha, 0) {
		return Summary{}, invalidf("summary.alpha", "must be a number between 0 and 1, got %g", opts.Alpha)
	}
	opts = opts.withDefaults()
	sum := Summary{From: from, To: to, TopPhrases: map[string][]Phrase{}}
	kinds, cats, chans := map[string]int{}, map[string]int{}, map[string]int{}
	type acc struct {
		n, sum   int
		min, max int
	}
	ratings := map[string]*acc{}
	phrases := map[string]map[string]int{}
	forms := map[string]survey.Form{}
	for it, err := range s.Items(ctx, ItemFilter{From: from, To: to}) {
		if err != nil {
			return Summary{}, err
		}
		sum.Total++
		kinds[string(it.Kind)]++
		cats[it.Category()]++
		chans[string(it.Channel)]++
		if it.Category() == Uncategorised {
			sum.Uncategorised++
		}
		if !it.Acknowledged {
			sum.Unacknowledged++
		}
		if it.KindReview {
			sum.KindToCheck++
		}
		add := func(name string, v, lo, hi int) {
			a := ratings[name]
			if a == nil {
				a = &acc{min: lo, max: hi}
				ratings[name] = a
			}
			a.n++
			a.sum += v
		}
		for _, r := range it.Ratings {
			add(r.Name, r.Value, r.Min, r.Max)
		}
		if len(it.Answers) > 0 {
			key := formRecordID(it.Form, it.FormVersion)
			f, ok := forms[key]
			if !ok {
				if f, err = s.Form(ctx, it.Form, it.FormVersion); err != nil {
					return Summary{}, err
				}
				forms[key] = f
			}
			for _, a := range it.Answers {
				q, _ := f.Question(a.Question)
				if lo, hi, numeric := q.Scale(); numeric {
					add(a.Question, a.Value, lo, hi)
				}
			}
		}
		pc := phrases[it.Category()]
		if pc == nil {
			pc = map[string]int{}
			phrases[it.Category()] = pc
		}
		for p := range itemPhrases(it.fullText()) {
			pc[p]++
		}
	}
	prevFrom := from.Add(-to.Sub(from))
	prev, err := s.countBy(ctx, prevFrom, from, "kind", "category", "channel")
	if err != nil {
		return Summary{}, err
	}
	sum.PreviousTotal = prev.total
	sum.ByKind = counts(kinds, prev.by["kind"])
	sum.ByCategory = counts(cats, prev.by["category"])
	sum.ByChannel = counts(chans, prev.by["channel"])
	for name, a := range ratings {
		sum.Ratings = append(sum.Ratings, RatingSummary{Name: name, N: a.n, Mean: float64(a.sum) / float64(a.n), Min: a.min, Max: a.max})
	}
	slices.SortFunc(sum.Ratings, func(a, b RatingSummary) int { return strings.Compare(a.Name, b.Name) })
	for c, pc := range phrases {
		sum.TopPhrases[c] = topPhrases(pc, opts.TopPhrases)
	}
	sum.Rising, err = s.rising(ctx, from, to, cats, sum.Total, opts)
	if err != nil {
		return Summary{}, err
	}
	return sum, nil
}

type periodCounts struct {
	total int
	by    map[string]map[string]int
}

// countBy counts the items of a period by each attribute, through the
// store's grouped count (a driver's fast path when it has one).
func (s *Service) countBy(ctx context.Context, from, to time.Time, attrs ...string) (periodCounts, error) {
	pc := periodCounts{by: map[string]map[string]int{}}
	fs := store.Between("received", store.TimeKey(from), store.TimeKey(to))
	for i, a := range attrs {
		gs, err := s.items.Count(ctx, fs, a)
		if err != nil {
			return periodCounts{}, err
		}
		m := map[string]int{}
		total := 0
		for _, g := range gs {
			m[g.Values[0]] += int(g.Count)
			total += int(g.Count)
		}
		pc.by[a] = m
		if i == 0 {
			pc.total = total
		}
	}
	return pc, nil
}

// counts merges this period's and the previous period's counts, most
// frequent now first.
func counts(now, prev map[string]int) []Count {
	var out []Count
	for v, n := range now {
		out = append(out, Count{Value: v, Now: n, Previous: prev[v]})
	}
	for v, n := range prev {
		if _, ok := now[v]; !ok {
			out = append(out, Count{Value: v, Previous: n})
		}
	}
	slices.SortFunc(out, func(a, b Count) int {
		if a.Now != b.Now {
			return b.Now - a.Now
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}

// rising tests each category's share of this period's items against its
// share of the baseline periods' items. Shares, not counts: in a busy
// season every category grows, and only one that grows faster than the
// rest is news. The test is the exact conditional test of two Poisson
// rates with the periods' totals as exposures (stats.RateRise): given the
// category's items in both, this period's are binomial with the period's
// share of all items when the category's share has not changed. The
// baseline is itself a sample, so its noise is allowed for; MinCount
// keeps a one-off handful from alerting even in a category with no
// history.
func (s *Service) rising(ctx context.Context, from, to time.Time, now map[string]int, total int, opts SummaryOptions) ([]Alert, error) {
	span := to.Sub(from)
	base := map[string]int{}
	baseTotal := 0
	for i := 1; i <= opts.BaselinePeriods; i++ {
		pc, err := s.countBy(ctx, from.Add(-time.Duration(i)*span), from.Add(-time.Duration(i-1)*span), "category")
		if err != nil {
			return nil, err
		}
		for c, n := range pc.by["category"] {
			base[c] += n
		}
		baseTotal += pc.total
	}
	var out []Alert
	if total == 0 || baseTotal == 0 {
		// With no baseline there is no share to compare with.
		return out, nil
	}
	for c, n := range now {
		if c == Uncategorised || n < opts.MinCount {
			continue
		}
		share, baseShare := float64(n)/float64(total), float64(base[c])/float64(baseTotal)
		p := stats.RateRise(n, base[c], float64(baseTotal)/float64(total))
		if p >= opts.Alpha || share <= baseShare {
			continue
		}
		exp := baseShare * float64(total)
		out = append(out, Alert{Category: c, Observed: n, Expected: exp, Share: 100 * share, BaselineShare: 100 * baseShare, P: p,
			Suggestion: fmt.Sprintf("Feedback about %s rose to %.0f%% of all feedback (%d items) from %.0f%% over the %d periods before, more than chance explains: consider revising the feedback forms to ask about %s.", c, 100*share, n, 100*baseShare, opts.BaselinePeriods, c)})
	}
	slices.SortFunc(out, func(a, b Alert) int {
		if a.P != b.P {
			if a.P < b.P {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Category, b.Category)
	})
	return out, nil
}
