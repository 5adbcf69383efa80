package strategy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/strategy/budget"
)

// A Strategy is a plan to improve one customer-service issue: what the issue
// is and for whom, what happens if nothing is done, the alternatives weighed
// and the one recommended, who owns it, when it runs, what it costs, whom it
// is announced to, and the targets that say whether it worked. The SMART
// review (Service.Check) tells what is still missing; Validate rejects what
// is malformed.
type Strategy struct {
	store.Meta

	Title string `json:"title"`
	// Stage is where the strategy is in its life; "" is a draft.
	Stage Stage `json:"stage,omitempty"`
	// Issue is the customer-service issue the strategy addresses.
	Issue string `json:"issue"`
	// Scope says who or what the strategy affects (which customers,
	// channels, sites, teams).
	Scope string `json:"scope,omitempty"`
	// Needs are the customers' needs the issue leaves unmet.
	Needs string `json:"needs,omitempty"`
	// Inaction is the implication of doing nothing.
	Inaction string `json:"inaction,omitempty"`
	// Overview explains why this plan is being prepared.
	Overview string `json:"overview,omitempty"`
	// Alternatives are the solutions considered; Recommended is the ID of
	// the one chosen, whose Activities are the plan.
	Alternatives []Alternative `json:"alternatives,omitempty"`
	Recommended  string        `json:"recommended,omitempty"`
	// Owner is the named person accountable: the "assignable" in SMART.
	Owner string `json:"owner,omitempty"`
	// Consulted are the people asked during planning.
	Consulted []string  `json:"consulted,omitempty"`
	Start     time.Time `json:"start"`
	// Deadline is when the strategy ends; a target may have an earlier
	// deadline of its own.
	Deadline time.Time `json:"deadline"`
	// CheckInDays is the cadence of check-ins, in days.
	CheckInDays int      `json:"check_in_days,omitempty"`
	Targets     []Target `json:"targets,omitempty"`
	// Goals are the IDs of the organisation's goals the strategy serves.
	Goals  []string      `json:"goals,omitempty"`
	Budget []budget.Line `json:"budget,omitempty"`
	Risks  []Risk        `json:"risks,omitempty"`
	// Touches are the topics the strategy affects ("customer-details",
	// "returns", ...); a quality-assurance or legal requirement with one of
	// these topics applies to it.
	Touches []string `json:"touches,omitempty"`
	// Compliance says how the strategy respects each requirement it touches.
	Compliance []Compliance `json:"compliance,omitempty"`
	// Communication is how the change is announced to each audience.
	Communication []Announcement `json:"communication,omitempty"`
	// Input is what staff said about the proposal: comments, support and
	// objections, beside (not instead of) the approval.
	Input []Input `json:"input,omitempty"`
	// Origin records where the strategy came from, when it was drafted.
	Origin *Origin `json:"origin,omitempty"`
	// History is the audit trail: every change through a Service.
	History []cxkit.HistoryEntry `json:"history,omitempty"`
}

// An Alternative is one possible solution.
type Alternative struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// Activities are the pieces of work the alternative consists of; for
	// the recommended one each needs a budget line (money or staff hours)
	// naming it, or the plan is not costed.
	Activities []string `json:"activities,omitempty"`
	// Pros and Cons are the arguments for and against, for the proposal.
	Pros []string `json:"pros,omitempty"`
	Cons []string `json:"cons,omitempty"`
}

// A Risk is something that could stop the strategy, with what will be done
// about it.
type Risk struct {
	Description string `json:"description"`
	Mitigation  string `json:"mitigation,omitempty"`
}

// Compliance is the strategy's answer to one requirement: how it stays
// within it, in words that refer to the requirement.
type Compliance struct {
	Requirement string `json:"requirement"`
	How         string `json:"how"`
}

// An Origin says what a drafted strategy came from.
type Origin struct {
	// Kind is OriginAction or OriginCategory.
	Kind string `json:"kind"`
	// Ref identifies the source: the action's ID, the category's name.
	Ref string `json:"ref"`
	// Note is what the author should know about the draft, such as a
	// deadline left open.
	Note string `json:"note,omitempty"`
}

// An Announcement is how and when the change is communicated to one
// audience.
type Announcement struct {
	Audience Audience  `json:"audience"`
	Method   Method    `json:"method"`
	When     time.Time `json:"when"`
	// Message is what the audience is told, in a sentence or two.
	Message string `json:"message,omitempty"`
}

// A Method is how a change is communicated.
type Method string

// The methods of communicating a change.
const (
	MethodPresentation Method = "presentation"
	MethodMemo         Method = "memo"
	MethodMeeting      Method = "meeting"
	MethodNewsletter   Method = "newsletter"
	MethodWebsite      Method = "website"
	MethodPressRelease Method = "press-release"
)

// Methods returns the methods of communicating a change.
func Methods() []Method {
	return []Method{MethodPresentation, MethodMemo, MethodMeeting, MethodNewsletter, MethodWebsite, MethodPressRelease}
}

// An Input is one staff member's word on a proposal.
type Input struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Kind InputKind `json:"kind"`
	Text string    `json:"text"`
}

// An InputKind says whether an input is a comment, support or an objection.
type InputKind string

// The kinds of staff input.
const (
	InputKindComment   InputKind = "comment"
	InputKindSupport   InputKind = "support"
	InputKindObjection InputKind = "objection"
)

// InputKinds returns the kinds of staff input.
func InputKinds() []InputKind {
	return []InputKind{InputKindComment, InputKindSupport, InputKindObjection}
}

// Target returns the target with the given ID.
func (s *Strategy) Target(id string) (*Target, error) {
	for i := range s.Targets {
		if s.Targets[i].ID == id {
			return &s.Targets[i], nil
		}
	}
	return nil, fmt.Errorf("%w: %q in strategy %q", ErrUnknownTarget, id, s.ID)
}

// Alternative returns the alternative with the given ID.
func (s *Strategy) Alternative(id string) (Alternative, bool) {
	for _, o := range s.Alternatives {
		if o.ID == id {
			return o, true
		}
	}
	return Alternative{}, false
}

// Validate rejects a malformed strategy: the rules every stored strategy
// keeps, whether or not it is finished. An incomplete strategy (no owner,
// no target yet) is valid; the SMART review is what says it is not ready.
// Errors are *cxkit.ValidationError values naming the field and the rule.
func (s *Strategy) Validate() error {
	if strings.TrimSpace(s.Title) == "" {
		return invalidf("strategy.title", "must not be empty")
	}
	if s.Stage != "" && !slices.Contains(Stages(), s.Stage) {
		return invalidf("strategy.stage", "must be one of draft, approved, completed, abandoned, got %q", s.Stage)
	}
	if !s.Start.IsZero() && !s.Deadline.IsZero() && !s.Deadline.After(s.Start) {
		return invalidf("strategy.deadline", "must be after start (%s), got %s", day(s.Start), day(s.Deadline))
	}
	if s.CheckInDays < 0 {
		return invalidf("strategy.check_in_days", "must not be negative, got %d", s.CheckInDays)
	}
	alts := map[string]bool{}
	for i, o := range s.Alternatives {
		f := fmt.Sprintf("strategy.alternatives[%d]", i)
		if o.ID == "" {
			return invalidf(f+".id", "must not be empty")
		}
		if alts[o.ID] {
			return invalidf(f+".id", "must be unique, %q appears twice", o.ID)
		}
		alts[o.ID] = true
		if strings.TrimSpace(o.Title) == "" {
			return invalidf(f+".title", "must not be empty")
		}
		for j, a := range o.Activities {
			if strings.TrimSpace(a) == "" {
				return invalidf(fmt.Sprintf("%s.activities[%d]", f, j), "must not be empty")
			}
		}
	}
	if s.Recommended != "" && !alts[s.Recommended] {
		return invalidf("strategy.recommended", "must be the ID of one of the alternatives, got %q", s.Recommended)
	}
	ids := map[string]bool{}
	for i := range s.Targets {
		f := fmt.Sprintf("strategy.targets[%d]", i)
		if err := s.Targets[i].validate(f); err != nil {
			return err
		}
		if ids[s.Targets[i].ID] {
			return invalidf(f+".id", "must be unique, %q appears twice", s.Targets[i].ID)
		}
		ids[s.Targets[i].ID] = true
		if d := s.Targets[i].Deadline; !d.IsZero() {
			if !s.Start.IsZero() && !d.After(s.Start) {
				return invalidf(f+".deadline", "must be after the strategy's start (%s), got %s", day(s.Start), day(d))
			}
			if !s.Deadline.IsZero() && d.After(s.Deadline) {
				return invalidf(f+".deadline", "must not be after the strategy's deadline (%s), got %s", day(s.Deadline), day(d))
			}
		}
	}
	for i, l := range s.Budget {
		if err := l.Validate(fmt.Sprintf("strategy.budget[%d]", i)); err != nil {
			return err
		}
	}
	for i, r := range s.Risks {
		if strings.TrimSpace(r.Description) == "" {
			return invalidf(fmt.Sprintf("strategy.risks[%d].description", i), "must not be empty")
		}
	}
	for i, c := range s.Compliance {
		f := fmt.Sprintf("strategy.compliance[%d]", i)
		if c.Requirement == "" {
			return invalidf(f+".requirement", "must name a requirement ID")
		}
		if strings.TrimSpace(c.How) == "" {
			return invalidf(f+".how", "must say how the requirement is met")
		}
	}
	for i, a := range s.Communication {
		f := fmt.Sprintf("strategy.communication[%d]", i)
		if !slices.Contains(Audiences(), a.Audience) {
			return invalidf(f+".audience", "must be one of %s, got %q", joinKinds(Audiences()), a.Audience)
		}
		if !slices.Contains(Methods(), a.Method) {
			return invalidf(f+".method", "must be one of %s, got %q", joinKinds(Methods()), a.Method)
		}
		if a.When.IsZero() {
			return invalidf(f+".when", "must say when the audience hears of the change")
		}
	}
	for i, in := range s.Input {
		if err := in.validate(fmt.Sprintf("strategy.input[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func (in Input) validate(f string) error {
	switch {
	case strings.TrimSpace(in.By) == "":
		return invalidf(f+".by", "must name who gives the input")
	case !slices.Contains(InputKinds(), in.Kind):
		return invalidf(f+".kind", "must be one of %s, got %q", joinKinds(InputKinds()), in.Kind)
	case in.Kind != InputKindSupport && strings.TrimSpace(in.Text) == "":
		return invalidf(f+".text", "must say what the %s is", in.Kind)
	case in.At.IsZero():
		return invalidf(f+".at", "must be set")
	}
	return nil
}
