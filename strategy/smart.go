package strategy

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// A Criterion is one test of the SMART review.
type Criterion string

// The criteria, in the order Check reports them.
const (
	Specific   Criterion = "specific"
	Measurable Criterion = "measurable"
	Achievable Criterion = "achievable"
	Relevant   Criterion = "relevant"
	TimeBound  Criterion = "time-bound"
	// QualityAssurance and Legal are checked per requirement the strategy
	// touches.
	QualityAssurance Criterion = "quality-assurance"
	Legal            Criterion = "legal"
)

// A Finding is the verdict on one criterion (for one target or requirement
// when Subject says so) with the reason for it: what is there, or what is
// missing and how to fix it.
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

// A Review is the outcome of Check: every finding, in criterion order.
type Review struct {
	Findings []Finding `json:"findings"`
}

// OK reports whether every finding is met.
func (r Review) OK() bool { return len(r.Failed()) == 0 }

// Failed returns the findings that are not met.
func (r Review) Failed() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if !f.Met {
			out = append(out, f)
		}
	}
	return out
}

// Of returns the findings on one criterion.
func (r Review) Of(c Criterion) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Criterion == c {
			out = append(out, f)
		}
	}
	return out
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

// CheckOptions are the context of a SMART review beyond the strategy and the
// organisation.
type CheckOptions struct {
	// Sources, when not nil, are the measurement sources available: a target
	// naming a source not among them is not measurable. When nil, source
	// names are not checked against anything.
	Sources Sources
	// Committed are other strategies drawing on the same periods' budgets;
	// the strategy must fit in what they leave.
	Committed []*Strategy
}

// minWords is what separates a statement from a placeholder: "TBD" or
// "delivery" says nothing a reader can act on.
const minWords = 3

var placeholders = []string{"tbd", "todo", "n/a", "na", "none", "tba", "-", "?", "xxx"}

// trivial says why text is too thin to be specific, or "" if it is not.
func trivial(text string) string {
	t := strings.TrimSpace(text)
	switch {
	case t == "":
		return "missing"
	case slices.Contains(placeholders, strings.ToLower(strings.Trim(t, ".! "))):
		return fmt.Sprintf("a placeholder (%q)", t)
	case len(strings.Fields(t)) < minWords:
		return fmt.Sprintf("too short to act on (%q, want at least %d words)", t, minWords)
	}
	return ""
}

// Check reviews s against SMART and the organisation's quality-assurance and
// legal requirements. It returns a finding per criterion (per target for
// Measurable, per requirement touched for QA and legal), each with its
// reason. It fails only when s is malformed (Validate) or amounts cannot be
// compared (a currency differs from the organisation's); an incomplete
// strategy yields findings that are not met, never an error.
func Check(s *Strategy, org Organisation, opts CheckOptions) (Review, error) {
	if err := s.Validate(); err != nil {
		return Review{}, err
	}
	var r Review
	r.Findings = append(r.Findings, checkSpecific(s))
	r.Findings = append(r.Findings, checkMeasurable(s, opts.Sources)...)
	ach, err := checkAchievable(s, org, opts.Committed)
	if err != nil {
		return Review{}, err
	}
	r.Findings = append(r.Findings, ach, checkRelevant(s, org), checkTimeBound(s))
	r.Findings = append(r.Findings, checkRequirements(QualityAssurance, s, org.QualityAssurance)...)
	r.Findings = append(r.Findings, checkRequirements(Legal, s, org.Legal)...)
	return r, nil
}

func checkSpecific(s *Strategy) Finding {
	var gaps []string
	if why := trivial(s.Issue); why != "" {
		gaps = append(gaps, "issue is "+why)
	}
	if why := trivial(s.Scope); why != "" {
		gaps = append(gaps, "scope is "+why)
	}
	if s.Recommended == "" {
		gaps = append(gaps, "no recommended option is chosen")
	} else {
		o, _ := s.Option(s.Recommended)
		if why := trivial(o.Title + " " + o.Description); why != "" {
			gaps = append(gaps, "recommended option "+o.ID+" is "+why)
		}
	}
	if strings.TrimSpace(s.Owner) == "" {
		gaps = append(gaps, "no owner is assigned")
	}
	if len(gaps) > 0 {
		return Finding{Criterion: Specific, Reason: strings.Join(gaps, "; ")}
	}
	return Finding{Criterion: Specific, Met: true,
		Reason: fmt.Sprintf("states the issue, the scope and the recommended option (%s), owned by %s", s.Recommended, s.Owner)}
}

func checkMeasurable(s *Strategy, sources Sources) []Finding {
	if len(s.Targets) == 0 {
		return []Finding{{Criterion: Measurable, Reason: "no targets: add at least one with a metric, unit, baseline, goal, direction and measurement source"}}
	}
	out := make([]Finding, 0, len(s.Targets))
	for i := range s.Targets {
		t := &s.Targets[i]
		var gaps []string
		if strings.TrimSpace(t.Metric) == "" {
			gaps = append(gaps, "no metric")
		}
		if strings.TrimSpace(t.Unit) == "" {
			gaps = append(gaps, "no unit")
		}
		if t.Direction == "" {
			gaps = append(gaps, "no direction (increase, decrease or hold)")
		}
		switch {
		case t.Source == "":
			gaps = append(gaps, "no measurement source")
		case sources != nil && sources[t.Source] == nil:
			gaps = append(gaps, fmt.Sprintf("measurement source %q is not available", t.Source))
		}
		if len(gaps) > 0 {
			out = append(out, Finding{Criterion: Measurable, Subject: t.ID, Reason: strings.Join(gaps, "; ")})
			continue
		}
		out = append(out, Finding{Criterion: Measurable, Subject: t.ID, Met: true, Reason: describeTarget(t)})
	}
	return out
}

// describeTarget says a target in one line: "count:category=x from 40 to 20
// complaints (decrease), measured from complaints".
func describeTarget(t *Target) string {
	var goal string
	switch t.Direction {
	case Hold:
		goal = fmt.Sprintf("hold %s between %s and %s %s (%s ± %s) from a baseline of %s", t.Metric,
			num(t.Low()), num(t.High()), t.Unit, num(t.Goal), num(t.Band), num(t.Baseline))
	default:
		goal = fmt.Sprintf("%s %s from %s to %s %s", t.Direction, t.Metric, num(t.Baseline), num(t.Goal), t.Unit)
	}
	return goal + ", measured from " + t.Source
}

func checkAchievable(s *Strategy, org Organisation, committed []*Strategy) (Finding, error) {
	if len(s.Budget) == 0 {
		return Finding{Criterion: Achievable, Reason: "no budget lines: estimate the money and staff time the strategy needs, training included"}, nil
	}
	short, err := fitOf(org, s, committed)
	if err != nil {
		return Finding{}, err
	}
	if len(short) > 0 {
		reasons := make([]string, len(short))
		for i, sf := range short {
			reasons[i] = sf.Reason
		}
		return Finding{Criterion: Achievable, Reason: "does not fit the declared resources: " + strings.Join(reasons, "; ")}, nil
	}
	t, err := Total(s.Budget)
	if err != nil {
		return Finding{}, err
	}
	return Finding{Criterion: Achievable, Met: true,
		Reason: fmt.Sprintf("%s and %g staff hours fit the declared resources", amounts(t.Money), t.StaffHours)}, nil
}

// fitOf returns the shortfalls that s's own demands run into: the money
// of each budget kind and the staff time of each period that s draws on,
// counted together with what committed draws from them, and s's lines
// that fall in no period. What committed strategies overrun elsewhere, or
// their lines in periods no longer declared, is not s's to answer for.
func fitOf(org Organisation, s *Strategy, committed []*Strategy) ([]Shortfall, error) {
	own, err := Use(org, s)
	if err != nil {
		return nil, err
	}
	type key struct {
		period string
		kind   BudgetKind // "" for staff time
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
	all, err := Use(org, append([]*Strategy{s}, committed...)...)
	if err != nil {
		return nil, err
	}
	all.Unplaced = own.Unplaced
	short, err := all.Shortfalls()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(short, func(sf Shortfall) bool {
		return sf.Period != "" && !draws[key{sf.Period, sf.Kind}]
	}), nil
}

func checkRelevant(s *Strategy, org Organisation) Finding {
	var known, unknown []string
	for _, id := range s.Goals {
		if g, ok := org.Goal(id); ok {
			known = append(known, fmt.Sprintf("%s (%s)", g.ID, g.Title))
		} else {
			unknown = append(unknown, id)
		}
	}
	switch {
	case len(known) > 0:
		return Finding{Criterion: Relevant, Met: true, Reason: "serves " + strings.Join(known, ", ")}
	case len(unknown) > 0:
		return Finding{Criterion: Relevant, Reason: fmt.Sprintf("names goals the organisation has not declared: %s", strings.Join(unknown, ", "))}
	}
	return Finding{Criterion: Relevant, Reason: "linked to none of the organisation's declared goals"}
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
	if len(gaps) > 0 {
		return Finding{Criterion: TimeBound, Reason: strings.Join(gaps, "; ")}
	}
	return Finding{Criterion: TimeBound, Met: true,
		Reason: fmt.Sprintf("runs from %s to %s with a check-in every %d days", day(s.Start), day(s.Deadline), s.CheckInDays)}
}

func checkRequirements(c Criterion, s *Strategy, reqs []Requirement) []Finding {
	var out []Finding
	for _, req := range reqs {
		topics := slices.DeleteFunc(slices.Clone(req.Topics), func(t string) bool { return !slices.Contains(s.Touches, t) })
		if len(topics) == 0 {
			continue
		}
		i := slices.IndexFunc(s.Compliance, func(cp Compliance) bool { return cp.Requirement == req.ID })
		if i < 0 {
			out = append(out, Finding{Criterion: c, Subject: req.ID,
				Reason: fmt.Sprintf("touches %s, so %q applies, but the strategy does not say how it is met", strings.Join(topics, ", "), req.Title)})
			continue
		}
		out = append(out, Finding{Criterion: c, Subject: req.ID, Met: true,
			Reason: fmt.Sprintf("%q applies (%s): %s", req.Title, strings.Join(topics, ", "), s.Compliance[i].How)})
	}
	if len(out) == 0 {
		return []Finding{{Criterion: c, Met: true, Reason: fmt.Sprintf("touches none of the %d declared %s requirements", len(reqs), c)}}
	}
	return out
}
