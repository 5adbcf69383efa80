package assessment

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/cxkit/cxkit/store"
)

// AddAction validates a and stores it as a new open action. An action from
// an assessment must link a statement of a factor that assessment covers;
// Factor is filled from the statement when empty and must match it
// otherwise. An action is the team's answer to "what needs to happen and
// what will I initiate", so it needs both, an owner and a due date. by is
// who recorded it.
func (s *Service) AddAction(ctx context.Context, a Action, by string) (Action, error) {
	if a.Status == "" {
		a.Status = ActionOpen
	}
	if err := a.validate(); err != nil {
		return Action{}, err
	}
	if a.Assessment != "" {
		as, c, err := s.load(ctx, a.Assessment)
		if err != nil {
			return Action{}, err
		}
		if err := linkStatement(&a, c, as.Factors); err != nil {
			return Action{}, err
		}
	} else {
		au, c, err := s.loadAudit(ctx, a.Audit)
		if err != nil {
			return Action{}, err
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
	a.History = []Change{{At: s.stamp(), By: by, What: "created as " + string(a.Status)}}
	return s.actions.Create(ctx, a)
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
	if next == ActionDropped && strings.TrimSpace(why) == "" {
		return Action{}, invalidf("why", "must say why an action is dropped")
	}
	now := s.stamp()
	return s.actions.Mutate(ctx, id, attempts, func(a *Action) error {
		if !a.Status.CanMoveTo(next) {
			return &FieldError{Field: "action.status", Rule: fmt.Sprintf("cannot move from %s to %s", a.Status, next), Cause: ErrTransition}
		}
		a.History = append(a.History, Change{At: now, By: by, What: fmt.Sprintf("%s -> %s", a.Status, next), Why: why})
		a.Status = next
		return nil
	})
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
	var fs []store.Filter
	for attr, v := range map[string]string{"assessment": f.Assessment, "audit": f.Audit, "owner": f.Owner, "status": string(f.Status), "statement": f.Statement} {
		if v != "" {
			fs = append(fs, store.Where(attr, v))
		}
	}
	return s.actions.All(ctx, store.Query{Filters: fs})
}
