package assessment

import (
	"context"
	"errors"
	"fmt"

	"github.com/cxkit/cxkit"
)

// AddActions stores actions in one atomic batch, for a migration from
// another system: each goes through the same checks as AddAction (linked
// to a "do better" pick of its assessment, or to an audit, with an owner
// and a due date not before its origin) and gets the same first history
// entry, and either all are stored or none is. A refusal names the action
// by its index ("actions[2].owner"). Without a driver that writes
// atomically it returns an error wrapping errors.ErrUnsupported and stores
// nothing. One EventActionAdded follows per action.
func (s *Service) AddActions(ctx context.Context, acts []Action, by string) ([]Action, error) {
	if len(acts) == 0 {
		return nil, nil
	}
	prepared := make([]Action, len(acts))
	for i, a := range acts {
		p, err := s.prepareAction(ctx, a, by)
		if err != nil {
			var ve *cxkit.ValidationError
			if errors.As(err, &ve) {
				field := ve.Field
				if len(field) > len("action") && field[:len("action")] == "action" {
					field = field[len("action"):]
				} else {
					field = "." + field
				}
				return nil, &cxkit.ValidationError{Field: fmt.Sprintf("actions[%d]%s", i, field), Rule: ve.Rule, Err: ve.Err}
			}
			return nil, err
		}
		prepared[i] = p
	}
	out, err := s.actions.CreateMany(ctx, prepared)
	if err != nil {
		return nil, err
	}
	for _, a := range out {
		s.actionAdded(ctx, a, by)
	}
	return out, nil
}
