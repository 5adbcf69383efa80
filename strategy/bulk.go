package strategy

import (
	"context"
	"errors"
	"fmt"

	"github.com/cxkit/cxkit"
)

// CreateMany stores strategies as new drafts in one atomic batch, for a
// migration from another system: each goes through the same validation as
// Create and gets the same first history entry, and either all are stored
// or none is. A refusal names the strategy by its index
// ("strategies[3].targets[0].goal"). Without a driver that writes
// atomically it returns an error wrapping errors.ErrUnsupported and stores
// nothing. One EventCreated follows per strategy.
func (s *Service) CreateMany(ctx context.Context, sts []Strategy, by string) ([]Strategy, error) {
	if err := checkBy(by); err != nil {
		return nil, err
	}
	if len(sts) == 0 {
		return nil, nil
	}
	prepared := make([]Strategy, len(sts))
	for i, st := range sts {
		if err := s.prepare(&st, by, "imported"); err != nil {
			var ve *cxkit.ValidationError
			if errors.As(err, &ve) {
				return nil, &cxkit.ValidationError{Field: fmt.Sprintf("strategies[%d]%s", i, trimKind(ve.Field)), Rule: ve.Rule, Err: ve.Err}
			}
			return nil, err
		}
		prepared[i] = st
	}
	out, err := s.c.CreateMany(ctx, prepared)
	if err != nil {
		return nil, err
	}
	for _, st := range out {
		s.set.Emit(ctx, cxkit.Event{Type: EventCreated, Subject: st.ID, By: by, To: string(StageDraft), Note: st.Title})
	}
	return out, nil
}

// trimKind turns "strategy.targets[0]" into ".targets[0]".
func trimKind(field string) string {
	if len(field) > len("strategy") && field[:len("strategy")] == "strategy" {
		return field[len("strategy"):]
	}
	return "." + field
}
