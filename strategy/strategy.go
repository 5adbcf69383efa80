package strategy

import (
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
)

// A Strategy is a plan to improve one customer-service issue: what the issue
// is and for whom, what happens if nothing is done, the options weighed and
// the one recommended, who owns it, when it runs, what it costs and the
// targets that say whether it worked. Check (the SMART review) tells what is
// still missing; Validate rejects what is malformed.
type Strategy struct {
	store.Meta

	Title string `json:"title"`
	// Stage is where the strategy is in its life; "" is a draft.
	Stage Stage `json:"stage,omitempty"`
	// Issue is the customer-service issue the strategy addresses.
	Issue string `json:"issue"`
	// Scope says where the strategy applies (which customers, channels,
	// sites, teams).
	Scope string `json:"scope,omitempty"`
	// Needs are the customers' needs the issue leaves unmet.
	Needs string `json:"needs,omitempty"`
	// Inaction is the implication of doing nothing.
	Inaction string `json:"inaction,omitempty"`
	// Overview explains why this plan is being prepared.
	Overview string `json:"overview,omitempty"`
	// Options are the solutions considered; Recommended is the ID of the
	// one chosen.
	Options     []Option `json:"options,omitempty"`
	Recommended string   `json:"recommended,omitempty"`
	// Owner is the person accountable: the "assignable" in SMART.
	Owner string `json:"owner,omitempty"`
	// Consulted are the people asked during planning.
	Consulted []string  `json:"consulted,omitempty"`
	Start     time.Time `json:"start"`
	Deadline  time.Time `json:"deadline"`
	// CheckInDays is the cadence of check-ins, in days.
	CheckInDays int      `json:"check_in_days,omitempty"`
	Targets     []Target `json:"targets,omitempty"`
	// Goals are the IDs of the organisation's goals the strategy serves.
	Goals  []string     `json:"goals,omitempty"`
	Budget []BudgetLine `json:"budget,omitempty"`
	Risks  []Risk       `json:"risks,omitempty"`
	// Touches are the topics the strategy affects ("customer-details",
	// "returns", ...); a quality-assurance or legal requirement with one of
	// these topics applies to it.
	Touches []string `json:"touches,omitempty"`
	// Compliance says how the strategy respects each requirement it touches.
	Compliance []Compliance `json:"compliance,omitempty"`
	// Origin records where the strategy came from, when it was drafted.
	Origin *Origin `json:"origin,omitempty"`
	// History is the audit trail: every change through a Manager.
	History []Event `json:"history,omitempty"`
}

// An Option is one possible solution.
type Option struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
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
// within it.
type Compliance struct {
	Requirement string `json:"requirement"`
	How         string `json:"how"`
}

// An Origin says what a drafted strategy came from.
type Origin struct {
	// Kind is "assessment-action" or "complaint-category".
	Kind string `json:"kind"`
	// Ref identifies the source: the action's ID, the category's name.
	Ref string `json:"ref"`
}

// An Event is one entry of a strategy's history: who did what, when and why.
type Event struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	What string    `json:"what"`
	Why  string    `json:"why,omitempty"`
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

// Option returns the option with the given ID.
func (s *Strategy) Option(id string) (Option, bool) {
	for _, o := range s.Options {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}

// Validate rejects a malformed strategy: the rules every stored strategy
// keeps, whether or not it is finished. An incomplete strategy (no owner,
// no target yet) is valid; Check is what says it is not SMART yet. Errors
// are *FieldError values naming the field and the rule.
func (s *Strategy) Validate() error {
	if strings.TrimSpace(s.Title) == "" {
		return invalidf("strategy.title", "must not be empty")
	}
	switch s.Stage {
	case "", Draft, Approved, Completed, Abandoned:
	default:
		return invalidf("strategy.stage", "must be one of draft, approved, completed, abandoned, got %q", s.Stage)
	}
	if !s.Start.IsZero() && !s.Deadline.IsZero() && !s.Deadline.After(s.Start) {
		return invalidf("strategy.deadline", "must be after start (%s), got %s", day(s.Start), day(s.Deadline))
	}
	if s.CheckInDays < 0 {
		return invalidf("strategy.check_in_days", "must not be negative, got %d", s.CheckInDays)
	}
	opts := map[string]bool{}
	for i, o := range s.Options {
		f := fmt.Sprintf("strategy.options[%d]", i)
		if o.ID == "" {
			return invalidf(f+".id", "must not be empty")
		}
		if opts[o.ID] {
			return invalidf(f+".id", "must be unique, %q appears twice", o.ID)
		}
		opts[o.ID] = true
		if strings.TrimSpace(o.Title) == "" {
			return invalidf(f+".title", "must not be empty")
		}
	}
	if s.Recommended != "" && !opts[s.Recommended] {
		return invalidf("strategy.recommended", "must be the ID of one of the options, got %q", s.Recommended)
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
	}
	for i, l := range s.Budget {
		if err := l.validate(fmt.Sprintf("strategy.budget[%d]", i)); err != nil {
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
	return nil
}
