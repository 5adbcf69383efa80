package feedback

import (
	"context"
	"fmt"
	"time"
)

// A ComplaintTaker is the complaints process as feedback sees it: it opens
// a complaint from a piece of feedback and returns the complaint's ID. The
// complaints package implements it without either package importing the
// other; channel is the feedback channel's string value.
type ComplaintTaker interface {
	TakeFeedback(ctx context.Context, feedbackID, customerRef, channel, text string, received time.Time) (complaintID string, err error)
}

// HandOff passes a complaint-kind item to the complaints process configured
// with WithHandOff and records the complaint's ID on the item. An item that
// was handed off already is returned as it is, so retrying is safe.
func (d *Desk) HandOff(ctx context.Context, id, who string) (Item, error) {
	if d.handoff == nil {
		return Item{}, ErrNoHandOff
	}
	it, err := d.items.Get(ctx, id)
	if err != nil {
		return Item{}, err
	}
	if it.ComplaintID != "" {
		return it, nil
	}
	if it.Kind != KindComplaint {
		return Item{}, invalidf("item.kind", "must be complaint to hand off to the complaints process, got %s", it.Kind)
	}
	cid, err := d.handoff.TakeFeedback(ctx, it.ID, it.CustomerRef, string(it.Channel), it.fullText(), it.Received)
	if err != nil {
		return Item{}, fmt.Errorf("feedback: handing item %s to complaints: %w", it.ID, err)
	}
	now := d.now()
	return d.items.Mutate(ctx, id, func(it *Item) error {
		if it.ComplaintID == "" {
			it.ComplaintID = cid
			it.History = append(it.History, Event{At: now, Who: who, What: "handed to complaints as " + cid})
		}
		return nil
	})
}
