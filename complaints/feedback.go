package complaints

import (
	"context"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
)

// TakeFeedbackBy is the name the history gives to the hand-over.
const TakeFeedbackBy = "feedback-handover"

// TakeFeedback logs a complaint handed over by a feedback system (package
// feedback declares the interface; this satisfies it without either
// package importing the other). channel is the feedback channel's name;
// one this package does not have becomes ChannelOther, and the original is
// kept in the history together with the feedback ID. The complaint starts
// uncategorised (Config.FeedbackCategory), made by "other", directed at
// "unspecified", of medium severity, for someone to triage.
//
// Handing the same feedback ID over twice returns the first complaint's ID
// and logs nothing new.
func (s *Service) TakeFeedback(ctx context.Context, feedbackID, customerRef, channel, text string, received time.Time) (string, error) {
	if strings.TrimSpace(feedbackID) == "" {
		return "", invalid("feedback.id", "is required")
	}
	if err := store.CheckAttrValue("take", Kind, attrFeedback, feedbackID); err != nil || len(feedbackID) > store.MaxAttrValueLen {
		return "", invalid("feedback.id", "must be valid UTF-8 without NUL, at most %d bytes", store.MaxAttrValueLen)
	}
	existing, _, err := s.coll.List(ctx, store.Query{Filters: []store.Filter{store.Where(attrOrg, s.cfg.Org), store.Where(attrFeedback, feedbackID)}, Limit: 1})
	if err != nil {
		return "", err
	}
	if len(existing) > 0 {
		return existing[0].ID, nil
	}
	ch := Channel(channel)
	known := false
	for _, c := range Channels {
		known = known || c == ch
	}
	if !known {
		ch = ChannelOther
	}
	c, err := s.build(New{
		Received:   received,
		Channel:    ch,
		Customer:   Customer{Ref: customerRef},
		Summary:    text,
		Category:   s.cfg.FeedbackCategory,
		MadeBy:     ByOther,
		DirectedAt: Target{Kind: TargetUnspecified},
		Severity:   SeverityMedium,
		By:         TakeFeedbackBy,
	})
	if err != nil {
		return "", err
	}
	c.FeedbackID = feedbackID
	c.History[0].What += "; handed over from feedback " + feedbackID + " received by " + channel
	c, err = s.coll.Create(ctx, c)
	if err != nil {
		return "", err
	}
	s.emit(ctx, Event{Type: EventLogged, ComplaintID: c.ID, At: c.History[0].At, By: TakeFeedbackBy, To: StatusReceived, Note: "feedback " + feedbackID})
	return c.ID, nil
}
