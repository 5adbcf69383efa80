package strategy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/strategy/budget"
)

// A Criterion is one test of the SMART review.
type Criterion string

// The criteria, in the order the review reports them.
const (
	CriterionSpecific   Criterion = "specific"
	CriterionMeasurable Criterion = "measurable"
	CriterionAchievable Criterion = "achievable"
	CriterionRelevant   Criterion = "relevant"
	CriterionTimeBound  Criterion = "time-bound"
	// CriterionAssignable: a named person owns the strategy (Doran's
	// "assignable", kept apart from Specific).
	CriterionAssignable Criterion = "assignable"
	// CriterionQualityAssurance and CriterionLegal are judged per
	// requirement the strategy touches.
	CriterionQualityAssurance Criterion = "quality-assurance"
	CriterionLegal            Criterion = "legal"
)

// Criteria returns the criteria in review order.
func Criteria() []Criterion {
	return []Criterion{CriterionSpecific, CriterionMeasurable, CriterionAchievable, CriterionRelevant,
		CriterionTimeBound, CriterionAssignable, CriterionQualityAssurance, CriterionLegal}
}

// A Finding is the judgement on one criterion (for one target or
// requirement when Subject says so) with its evidence: what is there and
// why it holds, or what is missing or unrealistic and by how much.
type Finding struct {
	Criterion Criterion `json:"criterion"`
	// Subject is the target ID or requirement ID the finding is about;
	// empty for findings about the whole strategy.
	Subject string `json:"subject,omitempty"`
	Met     bool   `json:"met"`
	Reason  string `json:"reason"`
}

// String returns the finding as "criterion (subject): met: reason".
func (f Finding) String() string {
	verdict := "met"
	if !f.Met {
		verdict = "NOT met"
	}
	subj := string(f.Criterion)
	if f.Subject != "" {
		subj += " (" + f.Subject + ")"
	}
	return fmt.Sprintf("%s: %s: %s", subj, verdict, f.Reason)
}

// A Review is the outcome of the SMART review: every finding, in criterion
// order.
type Review struct {
	Findings []Finding `json:"findings"`
}

// OK reports whether every finding is met.
func (r Review) OK() bool { return len(r.Failed()) == 0 }

// Failed returns the findings that are not met.
func (r Review) Failed() []Finding {
	return slices.DeleteFunc(slices.Clone(r.Findings), func(f Finding) bool { return f.Met })
}

// Of returns the findings on one criterion.
func (r Review) Of(c Criterion) []Finding {
	return slices.DeleteFunc(slices.Clone(r.Findings), func(f Finding) bool { return f.Criterion != c })
}

// String returns the findings one per line.
func (r Review) String() string {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// reviewer holds what a review judges a strategy against.
type reviewer struct {
	cfg       Config
	sources   sources
	committed []*Strategy
	now       time.Time
}

// review judges s against SMART and the organisation's requirements. It
// fails only when s is malformed or a source fails for a reason other than
// not knowing the metric or having no data; an incomplete or vague strategy
// yields findings that are not met.
func (rv reviewer) review(ctx context.Context, s *Strategy) (Review, error) {
	if err := s.Validate(); err != nil {
		return Review{}, err
	}
	var r Review
	r.Findings = append(r.Findings, checkSpecific(s))
	for i := range s.Targets {
		f, err := rv.checkMeasurable(ctx, &s.Targets[i])
		if err != nil {
			return Review{}, err
		}
		r.Findings = append(r.Findings, f)
	}
	if len(s.Targets) == 0 {
		r.Findings = append(r.Findings, Finding{Criterion: CriterionMeasurable,
			Reason: "no targets: add at least one with a metric, unit, baseline, goal, direction and measurement source"})
	}
	ach, err := rv.checkBudget(s)
	if err != nil {
		return Review{}, err
	}
	r.Findings = append(r.Findings, ach)
	for i := range s.Targets {
		if s.Start.IsZero() || s.Targets[i].deadline(s).IsZero() {
			continue // time-bound says what is missing; there is nothing to judge against
		}
		f, err := rv.checkAchievableTarget(ctx, s, &s.Targets[i])
		if err != nil {
			return Review{}, err
		}
		r.Findings = append(r.Findings, f)
	}
	r.Findings = append(r.Findings, checkRelevant(s, rv.cfg), checkTimeBound(s), checkAssignable(s))
	r.Findings = append(r.Findings, checkRequirements(CriterionQualityAssurance, s, rv.cfg.QualityAssurance)...)
	r.Findings = append(r.Findings, checkRequirements(CriterionLegal, s, rv.cfg.Legal)...)
	return r, nil
}

func checkSpecific(s *Strategy) Finding {
	var gaps []string
	if why := vagueness(s.Issue); why != "" {
		gaps = append(gaps, "the issue is "+why)
	}
	if why := vagueness(s.Scope); why != "" {
		gaps = append(gaps, "the scope, who or what is affected, is "+why)
	}
	alt, chosen := s.Alternative(s.Recommended)
	switch {
	case !chosen:
		gaps = append(gaps, "no alternative is recommended")
	case vagueness(alt.Title+" "+alt.Description) != "":
		gaps = append(gaps, "the recommended alternative is "+vagueness(alt.Title+" "+alt.Description))
	}
	if len(gaps) > 0 {
		return Finding{Criterion: CriterionSpecific, Reason: strings.Join(gaps, "; ")}
	}
	return Finding{Criterion: CriterionSpecific, Met: true,
		Reason: fmt.Sprintf("states the issue, who or what it affects (%s) and the recommended alternative (%s)", s.Scope, alt.Title)}
}

func (rv reviewer) checkMeasurable(ctx context.Context, t *Target) (Finding, error) {
	fail := func(format string, args ...any) (Finding, error) {
		return Finding{Criterion: CriterionMeasurable, Subject: t.ID, Reason: fmt.Sprintf(format, args...)}, nil
	}
	var gaps []string
	if t.Metric == (cxkit.Metric{}) {
		gaps = append(gaps, "no metric")
	}
	if strings.TrimSpace(t.Unit) == "" {
		gaps = append(gaps, "no unit")
	}
	if t.Direction == "" {
		gaps = append(gaps, "no direction (increase, decrease or hold)")
	}
	if w := t.BaselineTo.Sub(t.BaselineFrom); w > 0 && w < MinWindow {
		gaps = append(gaps, fmt.Sprintf("the baseline covers %s days, less than the %s-day minimum a measurement needs to mean something",
			num(days(w)), num(days(MinWindow))))
	}
	if len(gaps) > 0 {
		return fail("%s", strings.Join(gaps, "; "))
	}
	switch {
	case t.Source == "":
		return fail("no measurement source: wire a source that computes %s, or declare the target manual and name who types its check-ins",
			metricWords(t.Metric, t.Unit))
	case t.Source == SourceManual:
		if !isPerson(t.EnteredBy) {
			return fail("declared manual, but no named person types its check-ins")
		}
		return Finding{Criterion: CriterionMeasurable, Subject: t.ID, Met: true,
			Reason: describeTarget(t) + ", typed in by " + t.EnteredBy}, nil
	case rv.sources[t.Source] == nil:
		return fail("measurement source %q is not wired, so nothing can compute %s", t.Source, metricWords(t.Metric, t.Unit))
	}
	// Ask the source for the baseline window: it proves the source knows
	// the metric, and a figure far from the stated baseline shows a metric
	// that does not match what the source stores ("Delivery" where the
	// category is "delivery" counts nothing).
	from, to := t.BaselineFrom, t.BaselineTo
	if from.IsZero() {
		to = rv.now
		from = to.Add(-t.Window())
	}
	v, err := rv.sources.measure(ctx, t.Source, t.Metric, from, to)
	switch {
	case errors.Is(err, cxkit.ErrUnknownMetric):
		return fail("the %s source cannot compute %s", t.Source, metricWords(t.Metric, t.Unit))
	case errors.Is(err, ErrNoData):
		if !t.BaselineFrom.IsZero() {
			return fail("the %s source has no data between %s and %s, where the baseline says %s %s",
				t.Source, day(from), day(to), num(t.Baseline), t.Unit)
		}
	case err != nil:
		return Finding{}, err
	case !t.BaselineFrom.IsZero() && math.Abs(v-t.Baseline) > math.Max(1, 0.1*math.Abs(t.Baseline)):
		return fail("the %s source gives %s %s between %s and %s, but the baseline says %s: check that the metric names what the source stores",
			t.Source, num(round2(v)), t.Unit, day(from), day(to), num(t.Baseline))
	}
	return Finding{Criterion: CriterionMeasurable, Subject: t.ID, Met: true, Reason: describeTarget(t) + ", measured by the " + t.Source + " source"}, nil
}

// describeTarget says a target in one line: "decrease late-delivery
// complaints from 40 to 20 complaints".
func describeTarget(t *Target) string {
	what := metricWords(t.Metric, t.Unit)
	if t.Direction == DirectionHold {
		return fmt.Sprintf("hold %s between %s and %s %s from a baseline of %s", what,
			num(t.Low()), num(t.High()), t.Unit, num(t.Baseline))
	}
	return fmt.Sprintf("%s %s from %s to %s %s", t.Direction, what, num(t.Baseline), num(t.Goal), t.Unit)
}

func (rv reviewer) checkBudget(s *Strategy) (Finding, error) {
	fail := func(gaps []string) (Finding, error) {
		return Finding{Criterion: CriterionAchievable, Reason: "budget: " + strings.Join(gaps, "; ")}, nil
	}
	if len(s.Budget) == 0 {
		return fail([]string{"no budget lines: estimate the money and staff time the strategy needs, training included"})
	}
	var gaps []string
	var hours float64
	for i, l := range s.Budget {
		for _, g := range l.Gaps() {
			gaps = append(gaps, fmt.Sprintf("line %d (%s): %s", i+1, l.Description, g))
		}
		hours += l.StaffHours
	}
	if hours == 0 {
		gaps = append(gaps, "no staff hours: carrying out the plan takes someone's time, training included")
	}
	alt, chosen := s.Alternative(s.Recommended)
	switch {
	case !chosen:
	case len(alt.Activities) == 0:
		gaps = append(gaps, fmt.Sprintf("the recommended alternative lists no activities, so nothing shows the budget covers the work"))
	default:
		for _, a := range alt.Activities {
			if !slices.ContainsFunc(s.Budget, func(l budget.Line) bool { return l.Activity == a && (l.Amount.Minor > 0 || l.StaffHours > 0) }) {
				gaps = append(gaps, fmt.Sprintf("no line with money or staff hours pays for the activity %q", a))
			}
		}
		for i, l := range s.Budget {
			if l.Activity != "" && !slices.Contains(alt.Activities, l.Activity) {
				gaps = append(gaps, fmt.Sprintf("line %d (%s) pays for %q, which is not an activity of the recommended alternative", i+1, l.Description, l.Activity))
			}
		}
	}
	short, err := fitOf(rv.cfg, s, rv.committed)
	if err != nil {
		return Finding{}, err
	}
	for _, sf := range short {
		gaps = append(gaps, sf.Reason)
	}
	if len(gaps) > 0 {
		return fail(gaps)
	}
	// A sales forecast is income, not a cost of the plan.
	t, err := budget.Total(slices.DeleteFunc(slices.Clone(s.Budget), func(l budget.Line) bool { return l.Kind == budget.KindSales }))
	if err != nil {
		return Finding{}, err
	}
	return Finding{Criterion: CriterionAchievable, Met: true,
		Reason: fmt.Sprintf("budget: %s and %s staff hours cover the %d activities of %q and fit the declared resources",
			amounts(t.Money), num(t.StaffHours), len(alt.Activities), alt.Title)}, nil
}

// checkAchievableTarget judges one target against the time it has and,
// where its source has history, against what the series has ever done.
func (rv reviewer) checkAchievableTarget(ctx context.Context, s *Strategy, t *Target) (Finding, error) {
	f := Finding{Criterion: CriterionAchievable, Subject: t.ID}
	deadline := t.deadline(s)
	w := t.Window()
	windows := math.Floor(float64(deadline.Sub(s.Start)) / float64(w))
	if windows < 1 {
		f.Reason = fmt.Sprintf("time: the %s-day measurement window does not fit once between the start (%s) and the deadline (%s), so no reading could show the goal met",
			num(days(w)), day(s.Start), day(deadline))
		return f, nil
	}
	timeOK := fmt.Sprintf("%s full %s-day measurement windows fit before the deadline", num(windows), num(days(w)))
	if (t.Direction != DirectionIncrease && t.Direction != DirectionDecrease) || t.Source == SourceManual || rv.sources[t.Source] == nil || t.Metric == (cxkit.Metric{}) {
		f.Met, f.Reason = true, timeOK+"; no measured history to compare the goal with"
		return f, nil
	}
	ser, err := rv.sources.history(ctx, t, rv.cfg.historyWindows(), rv.now)
	if errors.Is(err, cxkit.ErrUnknownMetric) {
		f.Reason = "history: the source cannot compute the metric (see measurable)"
		return f, nil
	}
	if err != nil {
		return Finding{}, err
	}
	if len(ser.values) < 3 {
		f.Met, f.Reason = true, timeOK+fmt.Sprintf("; the source has only %d earlier windows of data, too few to judge the goal against", len(ser.values))
		return f, nil
	}
	sign, fall := 1.0, "rise"
	if t.Direction == DirectionDecrease {
		sign, fall = -1, "fall"
	}
	total := math.Abs(t.Goal - t.Baseline)
	need := total / windows
	best, noise := ser.bestAndNoise(sign)
	per := fmt.Sprintf("%s-day window", num(days(w)))
	switch {
	case need > best:
		f.Reason = fmt.Sprintf("history: the goal needs a %s of %s %s every %s for %s windows; the best %s between two windows in the last %d was %s",
			fall, num(round2(need)), t.Unit, per, num(windows), fall, len(ser.values), num(round2(best)))
	case total < noise:
		f.Reason = fmt.Sprintf("history: the goal moves %s %s, less than the usual swing of %s between windows, so reaching it would not show the strategy worked",
			num(round2(total)), t.Unit, num(round2(noise)))
	default:
		f.Met = true
		f.Reason = fmt.Sprintf("%s; the goal needs a %s of %s %s per window, and the last %d windows show a %s of up to %s (usual swing %s)",
			timeOK, fall, num(round2(need)), t.Unit, len(ser.values), fall, num(round2(best)), num(round2(noise)))
	}
	return f, nil
}

// fitOf returns the shortfalls that s's own demands run into: the money
// of each budget kind and the staff time of each period that s draws on,
// counted together with what committed draws from them, and s's lines
// that fall in no period. What committed strategies overrun elsewhere, or
// their lines in periods no longer declared, is not s's to answer for.
func fitOf(cfg Config, s *Strategy, committed []*Strategy) ([]budget.Shortfall, error) {
	own, err := budget.Use(cfg.Periods, planOf(s))
	if err != nil {
		return nil, err
	}
	type key struct {
		period string
		kind   budget.Kind // "" for staff time
	}
	draws := map[key]bool{}
	for _, pu := range own.Periods {
		for k, a := range pu.Needed {
			if !a.IsZero() {
				draws[key{pu.Period.Name, k}] = true
			}
		}
		if pu.NeededHours > 0 {
			draws[key{pu.Period.Name, ""}] = true
		}
	}
	plans := []budget.Plan{planOf(s)}
	for _, c := range committed {
		plans = append(plans, planOf(c))
	}
	all, err := budget.Use(cfg.Periods, plans...)
	if err != nil {
		return nil, err
	}
	all.Unplaced = own.Unplaced
	short, err := all.Shortfalls()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(short, func(sf budget.Shortfall) bool {
		return sf.Period != "" && !draws[key{sf.Period, sf.Kind}]
	}), nil
}

func checkRelevant(s *Strategy, cfg Config) Finding {
	var known, unknown []string
	for _, id := range s.Goals {
		if g, ok := cfg.Goal(id); ok {
			k := fmt.Sprintf("%s (%s)", g.ID, g.Title)
			if areas := cfg.cultureOf(g.ID); len(areas) > 0 {
				k += ", in the culture area " + strings.Join(areas, " and ")
			}
			known = append(known, k)
		} else {
			unknown = append(unknown, id)
		}
	}
	switch {
	case len(unknown) > 0:
		return Finding{Criterion: CriterionRelevant, Reason: fmt.Sprintf("names goals the organisation has not declared: %s", strings.Join(unknown, ", "))}
	case len(known) > 0:
		return Finding{Criterion: CriterionRelevant, Met: true, Reason: "serves " + strings.Join(known, "; ")}
	}
	return Finding{Criterion: CriterionRelevant, Reason: "linked to none of the organisation's declared goals"}
}

func checkTimeBound(s *Strategy) Finding {
	var gaps []string
	if s.Start.IsZero() {
		gaps = append(gaps, "no start date")
	}
	if s.Deadline.IsZero() {
		gaps = append(gaps, "no deadline")
	}
	if s.CheckInDays == 0 {
		gaps = append(gaps, "no check-in cadence")
	} else if !s.Start.IsZero() && !s.Deadline.IsZero() && s.Deadline.Sub(s.Start) < time.Duration(s.CheckInDays)*24*time.Hour {
		gaps = append(gaps, fmt.Sprintf("check-in every %d days leaves no check-in before the deadline", s.CheckInDays))
	}
	if !s.Start.IsZero() {
		for i := range s.Targets {
			t := &s.Targets[i]
			if d := t.deadline(s); !d.IsZero() && d.Before(t.ReadyAt(s.Start)) {
				gaps = append(gaps, fmt.Sprintf("target %s is due %s, before its first full %s-day measurement window ends on %s",
					t.ID, day(d), num(days(t.Window())), day(t.ReadyAt(s.Start))))
			}
		}
	}
	if len(gaps) > 0 {
		return Finding{Criterion: CriterionTimeBound, Reason: strings.Join(gaps, "; ")}
	}
	return Finding{Criterion: CriterionTimeBound, Met: true,
		Reason: fmt.Sprintf("runs from %s to %s with a check-in every %d days", day(s.Start), day(s.Deadline), s.CheckInDays)}
}

func checkAssignable(s *Strategy) Finding {
	switch {
	case strings.TrimSpace(s.Owner) == "":
		return Finding{Criterion: CriterionAssignable, Reason: "no owner is assigned"}
	case !isPerson(s.Owner):
		return Finding{Criterion: CriterionAssignable, Reason: fmt.Sprintf("the owner %q is a group or a role, not a named person who answers for it", s.Owner)}
	}
	return Finding{Criterion: CriterionAssignable, Met: true, Reason: "owned by " + s.Owner}
}

func checkRequirements(c Criterion, s *Strategy, reqs []Requirement) []Finding {
	var out []Finding
	for _, req := range reqs {
		topics := slices.DeleteFunc(slices.Clone(req.Topics), func(t string) bool { return !slices.Contains(s.Touches, t) })
		if len(topics) == 0 {
			continue
		}
		i := slices.IndexFunc(s.Compliance, func(cp Compliance) bool { return cp.Requirement == req.ID })
		f := Finding{Criterion: c, Subject: req.ID}
		switch {
		case i < 0:
			f.Reason = fmt.Sprintf("touches %s, so %q applies, but the strategy does not say how it is met", strings.Join(topics, ", "), req.Title)
		case vagueness(s.Compliance[i].How) != "":
			f.Reason = fmt.Sprintf("%q applies, and the answer is %s", req.Title, vagueness(s.Compliance[i].How))
		case !refersTo(s.Compliance[i].How, req):
			f.Reason = fmt.Sprintf("%q applies, and the answer (%q) does not refer to it: say how this requirement is met", req.Title, s.Compliance[i].How)
		default:
			f.Met, f.Reason = true, fmt.Sprintf("%q applies (%s): %s", req.Title, strings.Join(topics, ", "), s.Compliance[i].How)
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return []Finding{{Criterion: c, Met: true, Reason: fmt.Sprintf("touches none of the %d declared %s requirements", len(reqs), c)}}
	}
	return out
}

// planOf is what s asks of the budget.
func planOf(s *Strategy) budget.Plan {
	return budget.Plan{Name: s.Title, Start: s.Start, Lines: s.Budget}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
