package feedback

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cxkit/cxkit"
)

// MaxBatch is the most items IntakeBatch takes in one call.
const MaxBatch = 10_000

// IntakeBatch takes many items in at once, for a migration or a nightly
// load: each goes through the same validation, kind inference,
// categorisation, routing and history as Intake, and then all of them are
// stored in one atomic write, or none are. A bad item fails the whole
// batch with a *cxkit.ValidationError whose field names its index
// ("items[41].channel") and stores nothing. It needs a driver that writes
// batches atomically (every driver cxkit ships does); otherwise it fails
// with an error wrapping errors.ErrUnsupported.
func (s *Service) IntakeBatch(ctx context.Context, in []Intake) ([]Item, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if len(in) > MaxBatch {
		return nil, invalidf("items", "must be at most %d items in one batch, got %d", MaxBatch, len(in))
	}
	cc, model := s.state()
	now := s.now()
	forms := formCache{}
	items := make([]Item, len(in))
	for i, x := range in {
		it, err := s.prepare(ctx, cc, model, x, now, forms)
		if err != nil {
			return nil, prefixField(err, fmt.Sprintf("items[%d].", i))
		}
		items[i] = it
	}
	stored, err := s.items.CreateMany(ctx, items)
	if err != nil {
		return nil, err
	}
	for i, it := range stored {
		s.emit(ctx, intakeEvents(it, in[i].By)...)
	}
	return stored, nil
}

// prefixField puts prefix before the field of a validation error, so that
// a batch's error names the item.
func prefixField(err error, prefix string) error {
	var ve *cxkit.ValidationError
	if errors.As(err, &ve) {
		cp := *ve
		cp.Field = prefix + strings.TrimPrefix(cp.Field, "item.")
		return &cp
	}
	return err
}
