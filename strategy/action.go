package strategy

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit/assessment"
)

// DraftFromAction drafts a strategy from an assessment's "do better" action
// (or an audit recommendation's action): the issue is what the team said
// needs to happen, the recommended alternative what the owner will
// initiate, and the owner and due date carry over (o.Owner and o.Deadline
// override them). An action due before the chosen start cannot be the
// strategy's deadline: the deadline is then left for the author, and the
// draft's Origin.Note says so. Nothing is stored; pass the result to
// Create.
func (s *Service) DraftFromAction(ctx context.Context, a assessment.Action, o DraftOptions) (Strategy, error) {
	if strings.TrimSpace(a.NeedsToHappen) == "" {
		return Strategy{}, invalidf("action.needs_to_happen", "must say what needs to happen to draft a strategy from it")
	}
	ref, where := a.ID, ""
	switch {
	case a.Assessment != "":
		where = fmt.Sprintf("A self-assessment rated factor %s (statement %s) as something to do better", a.Factor, a.Statement)
	case a.Audit != "":
		where = fmt.Sprintf("A service audit recommended action in area %s", a.Factor)
	default:
		return Strategy{}, invalidf("action.assessment", "must name the assessment or audit the action comes from")
	}
	st := Strategy{
		Title:    firstLine(a.NeedsToHappen),
		Issue:    fmt.Sprintf("%s: %s", where, a.NeedsToHappen),
		Owner:    a.Owner,
		Start:    o.Start,
		Deadline: cmp.Or(o.Deadline, a.Due),
		Goals:    o.Goals,
		Origin:   &Origin{Kind: OriginAction, Ref: ref},
	}
	if o.Deadline.IsZero() && !o.Start.IsZero() && !a.Due.After(o.Start) {
		st.Deadline = time.Time{}
		st.Origin.Note = fmt.Sprintf("the action was due on %s, which is not after the chosen start (%s), so the deadline is left for the author to set",
			day(a.Due), day(o.Start))
	}
	if strings.TrimSpace(a.Initiate) != "" {
		st.Alternatives = []Alternative{{ID: "A", Title: firstLine(a.Initiate), Description: a.Initiate}}
		st.Recommended = "A"
	}
	return s.finishDraft(ctx, st, o)
}
