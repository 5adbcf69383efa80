package assessment

import (
	"context"
	"fmt"
	"github.com/cxkit/cxkit"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
)

// AddAction validates a and stores it as a new open action. An action from
// an assessment answers one of its "do better" picks: it must link a
// statement the team put on the "do better" list of its factor (choose it
// first with Choose or AcceptSuggestions); Factor is filled from the
// statement when empty and must match it otherwise. An action is the team's
// answer to "what needs to happen and what will I initiate", so it needs
// both, an owner and a due date. by is who recorded it. UnactionedPicks
// lists the "do better" picks still waiting for an action.
func (s *Service) AddAction(ctx context.Context, a Action, by string) (Action, error) {
	a, err := s.prepareAction(ctx, a, by)
	if err != nil {
		return Action{}, err
	}
	out, err := s.actions.Create(ctx, a)
	if err == nil {
		s.actionAdded(ctx, out, by)
	}
	return out, err
}

// prepareAction checks a new action against its assessment or audit and
// gives it its first history entry.
func (s *Service) prepareAction(ctx context.Context, a Action, by string) (Action, error) {
	if a.Status == "" {
		a.Status = ActionStatusOpen
	}
	if err := a.validate(); err != nil {
		return Action{}, err
	}
	if a.Assessment != "" {
		as, c, err := s.load(ctx, a.Assessment)
		if err != nil {
			return Action{}, err
		}
		if a.Due.Before(as.Created) {
			return Action{}, invalidf("action.due", "must not be before assessment %s was created (%s), got %s",
				as.ID, as.Created.UTC().Format(time.DateOnly), a.Due.UTC().Format(time.DateOnly))
		}
		if err := linkStatement(&a, c, as.Factors); err != nil {
			return Action{}, err
		}
		if !slices.ContainsFunc(as.PicksFor(a.Factor, PickKindDoBetter), func(p Pick) bool { return p.Statement == a.Statement }) {
			return Action{}, invalidf("action.statement", "must be a %q pick of factor %q in assessment %s (choose it first), got %q", PickKindDoBetter, a.Factor, as.ID, a.Statement)
		}
	} else {
		au, c, err := s.loadAudit(ctx, a.Audit)
		if err != nil {
			return Action{}, err
		}
		if a.Due.Before(au.Created) {
			return Action{}, invalidf("action.due", "must not be before audit %s was started (%s), got %s",
				au.ID, au.Created.UTC().Format(time.DateOnly), a.Due.UTC().Format(time.DateOnly))
		}
		if a.Statement != "" || a.Factor != "" {
			if err := linkStatement(&a, c, au.Areas); err != nil {
				return Action{}, err
			}
		}
		if a.Recommendation != "" && au.recommendation(a.Recommendation) == nil {
			return Action{}, invalidf("action.recommendation", "must be a recommendation of audit %s, got %q", au.ID, a.Recommendation)
		}
	}
	a.History = []cxkit.HistoryEntry{{At: s.stamp(), By: by, Action: "created", To: string(a.Status), What: "created as " + string(a.Status)}}
	return a, nil
}

func (s *Service) actionAdded(ctx context.Context, a Action, by string) {
	attrs := map[string]string{"owner": a.Owner, "due": store.TimeKey(a.Due)}
	if a.Assessment != "" {
		attrs["assessment"] = a.Assessment
	} else {
		attrs["audit"] = a.Audit
	}
	s.emit(ctx, cxkit.Event{Type: EventActionAdded, Subject: a.ID, By: by, To: string(a.Status), Note: a.NeedsToHappen, Attrs: attrs})
}

// linkStatement checks the action's factor and statement against the
// catalogue and the factors in scope, and stamps the catalogue.
func linkStatement(a *Action, c *Catalogue, scope []string) error {
	a.Catalogue, a.CatalogueVersion = c.ID, c.Version
	if a.Statement == "" {
		if _, ok := c.Factor(a.Factor); !ok || !contains(scope, a.Factor) {
			return invalidf("action.factor", "must be one of %s, got %q", strings.Join(scope, ", "), a.Factor)
		}
		return nil
	}
	_, f, ok := c.Statement(a.Statement)
	if !ok {
		return invalidf("action.statement", "must be a statement of catalogue %s, got %q", c.Key(), a.Statement)
	}
	if !contains(scope, f.ID) {
		return invalidf("action.statement", "must belong to a factor in scope (%s); %q is in %q", strings.Join(scope, ", "), a.Statement, f.ID)
	}
	if a.Factor != "" && a.Factor != f.ID {
		return invalidf("action.factor", "must be %q, the factor of statement %q, got %q", f.ID, a.Statement, a.Factor)
	}
	a.Factor = f.ID
	return nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Action returns the action with the given ID.
func (s *Service) Action(ctx context.Context, id string) (Action, error) {
	return s.actions.Get(ctx, id)
}

// SetActionStatus moves an action to status next if the transition table
// allows it, recording who and why. Moving to the status it already has is
// an error, so the history only holds real changes.
func (s *Service) SetActionStatus(ctx context.Context, id string, next ActionStatus, by, why string) (Action, error) {
	if !next.Valid() {
		return Action{}, invalidf("action.status", "must be one of open, in-progress, done, dropped; got %q", next)
	}
	if next == ActionStatusDropped && strings.TrimSpace(why) == "" {
		return Action{}, invalidf("why", "must say why an action is dropped")
	}
	now := s.stamp()
	var from ActionStatus
	out, err := s.actions.Mutate(ctx, id, func(a *Action) error {
		from = a.Status
		if !a.Status.CanMoveTo(next) {
			return &cxkit.TransitionError{ID: a.ID, From: string(a.Status), Step: string(next)}
		}
		a.History = append(a.History, cxkit.HistoryEntry{At: now, By: by, Action: "status", From: string(a.Status), To: string(next), What: fmt.Sprintf("%s -> %s", a.Status, next), Why: why})
		a.Status = next
		return nil
	})
	if err == nil {
		s.emit(ctx, cxkit.Event{Type: EventActionMoved, Subject: out.ID, By: by, From: string(from), To: string(next), Note: why})
	}
	return out, err
}

// ActionFilter selects actions; empty fields match everything.
type ActionFilter struct {
	Assessment string
	Audit      string
	Owner      string
	Status     ActionStatus
	Statement  string
}

// Actions streams the actions matching f, oldest first.
func (s *Service) Actions(ctx context.Context, f ActionFilter) iter.Seq2[Action, error] {
	return s.actions.All(ctx, store.Query{Filters: f.filters()})
}

func (f ActionFilter) filters() []store.Filter {
	var fs []store.Filter
	for _, kv := range [][2]string{{"assessment", f.Assessment}, {"audit", f.Audit}, {"owner", f.Owner}, {"status", string(f.Status)}, {"statement", f.Statement}} {
		if kv[1] != "" {
			fs = append(fs, store.Where(kv[0], kv[1]))
		}
	}
	return fs
}

// Overdue reports whether the action is still open or in progress after
// its due time. Due is an instant: an action due on a day should carry the
// end of that day (or the start of the next) if it is to stay on time all
// day.
func (a Action) Overdue(now time.Time) bool {
	return (a.Status == ActionStatusOpen || a.Status == ActionStatusInProgress) && now.After(a.Due)
}

// Overdue streams the actions matching f that are overdue by the Service's
// clock (see Action.Overdue), oldest first. Done and dropped actions are
// never overdue, so a filter on either status yields nothing.
func (s *Service) Overdue(ctx context.Context, f ActionFilter) iter.Seq2[Action, error] {
	now := s.now()
	// The store narrows to actions due before now; the status rule stays
	// in one place, Action.Overdue.
	q := store.Query{Filters: append(f.filters(), store.Filter{Attr: "due", Op: store.OpLt, Values: []string{store.TimeKey(now)}})}
	return func(yield func(Action, error) bool) {
		for a, err := range s.actions.All(ctx, q) {
			if err != nil {
				yield(Action{}, err)
				return
			}
			if a.Overdue(now) && !yield(a, nil) {
				return
			}
		}
	}
}

// UnactionedPicks returns the "do better" picks of an assessment that have
// no action yet, in the order of the assessment's picks. An action that was
// dropped does not count: the pick needs a new one.
func (s *Service) UnactionedPicks(ctx context.Context, assessmentID string) ([]Pick, error) {
	a, err := s.assessments.Get(ctx, assessmentID)
	if err != nil {
		return nil, err
	}
	acted := map[string]bool{}
	for act, err := range s.Actions(ctx, ActionFilter{Assessment: a.ID}) {
		if err != nil {
			return nil, err
		}
		if act.Status != ActionStatusDropped {
			acted[act.Statement] = true
		}
	}
	var out []Pick
	for _, p := range a.Picks {
		if p.Kind == PickKindDoBetter && !acted[p.Statement] {
			out = append(out, p)
		}
	}
	return out, nil
}
