package strategy

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/cxkit/cxkit/assessment"
)

// DraftFromAction drafts a strategy from an assessment's "do better" action
// (or an audit recommendation's action): the issue is what the team said
// needs to happen, the recommended option what the owner will initiate, and
// the owner and due date carry over (o.Owner and o.Deadline override them).
// Nothing is stored; pass the result to
// Manager.Create.
func DraftFromAction(ctx context.Context, a assessment.Action, o DraftOptions) (Strategy, error) {
	if strings.TrimSpace(a.NeedsToHappen) == "" {
		return Strategy{}, invalidf("action.needs_to_happen", "must say what needs to happen to draft a strategy from it")
	}
	ref, where := a.ID, ""
	switch {
	case a.Assessment != "":
		where = fmt.Sprintf("self-assessment %s rated factor %s (statement %s) as something to do better", a.Assessment, a.Factor, a.Statement)
	case a.Audit != "":
		where = fmt.Sprintf("service audit %s recommended action in area %s", a.Audit, a.Factor)
	default:
		return Strategy{}, invalidf("action.assessment", "must name the assessment or audit the action comes from")
	}
	s := Strategy{
		Title:    firstLine(a.NeedsToHappen),
		Issue:    fmt.Sprintf("%s: %s", where, a.NeedsToHappen),
		Owner:    a.Owner,
		Start:    o.Start,
		Deadline: cmp.Or(o.Deadline, a.Due),
		Goals:    o.Goals,
		Origin:   &Origin{Kind: OriginAction, Ref: ref},
	}
	if strings.TrimSpace(a.Initiate) != "" {
		s.Options = []Option{{ID: "A", Title: firstLine(a.Initiate), Description: a.Initiate}}
		s.Recommended = "A"
	}
	return finishDraft(ctx, s, o)
}
