package feedback

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
)

// A ComplaintTaker is the complaints process as feedback sees it: it opens
// a complaint from a piece of feedback and returns the complaint's ID.
// complaints.Service implements it without either package importing the
// other. channel is the feedback channel's string value; category and
// owner are the feedback's, so the complaint starts where the feedback
// was; received is the time of the hand-over, from which the complaint's
// deadlines run. Taking the same feedbackID twice must give the same
// complaint.
type ComplaintTaker interface {
	TakeFeedback(ctx context.Context, feedbackID, customerRef, channel, category, owner, text string, received time.Time) (complaintID string, err error)
}

// HandOff passes a complaint-kind item to the complaints process given
// with WithComplaintHandOff and records the complaint's ID on the item.
// The complaint keeps the item's category, channel, customer and owner,
// and its deadlines run from now, the hand-over, not from when the
// feedback arrived: an item handed over days later does not arrive
// already late. An item with ratings but no text goes over with its
// ratings written out. An item that was handed over already is returned
// as it is, so retrying is safe.
func (s *Service) HandOff(ctx context.Context, id, by string) (Item, error) {
	if s.handoff == nil {
		return Item{}, ErrNoHandOff
	}
	it, err := s.items.Get(ctx, id)
	if err != nil {
		return Item{}, err
	}
	if it.ComplaintID != "" {
		return it, nil
	}
	if it.Kind != KindComplaint {
		return Item{}, invalidf("item.kind", "must be complaint to hand off to the complaints process, got %s", it.Kind)
	}
	now := s.now()
	cid, err := s.handoff.TakeFeedback(ctx, it.ID, it.CustomerRef, string(it.Channel), it.Category(), it.Owner, it.handOffText(), now)
	if err != nil {
		return Item{}, fmt.Errorf("feedback: handing item %s to complaints: %w", it.ID, err)
	}
	handed := false
	it, err = s.items.Mutate(ctx, id, func(it *Item) error {
		if it.ComplaintID == "" {
			handed = true
			it.ComplaintID, it.HandedOverAt = cid, now
			it.History = append(it.History, cxkit.HistoryEntry{At: now, By: by, Action: "handed_over", What: "handed to the complaints process as complaint " + cid})
		}
		return nil
	})
	if err == nil && handed {
		s.emit(ctx, cxkit.Event{Type: EventHandedOver, Subject: id, By: by, Attrs: map[string]string{"complaint_id": cid}})
	}
	return it, err
}

// handOffText is what the complaint says: the customer's words, or, for
// a complaint made only of low ratings, the ratings in words.
func (it Item) handOffText() string {
	if t := strings.TrimSpace(it.fullText()); t != "" {
		return t
	}
	var parts []string
	for _, r := range it.Ratings {
		parts = append(parts, fmt.Sprintf("%s %d out of %d", r.Name, r.Value, r.Max))
	}
	for _, a := range it.Answers {
		if a.Choice != "" {
			parts = append(parts, fmt.Sprintf("%s: %s", a.Question, a.Choice))
		} else {
			parts = append(parts, fmt.Sprintf("%s: %d", a.Question, a.Value))
		}
	}
	return fmt.Sprintf("Ratings only, no comment (%s feedback): %s", it.Channel, strings.Join(parts, "; "))
}
