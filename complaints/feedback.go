package complaints

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
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
// and logs nothing new, also when the two hand-overs race or the first
// stopped half-way: a claim record keyed by the organisation and the
// feedback ID is created first, and the store's create-if-absent decides
// which caller logs the complaint.
func (s *Service) TakeFeedback(ctx context.Context, feedbackID, customerRef, channel, text string, received time.Time) (string, error) {
	if strings.TrimSpace(feedbackID) == "" {
		return "", invalid("feedback.id", "is required")
	}
	if err := driverkit.CheckAttrValue("take", Kind, attrFeedback, feedbackID); err != nil || len(feedbackID) > store.MaxAttrValueLen {
		return "", invalid("feedback.id", "must be valid UTF-8 without NUL, at most %d bytes", store.MaxAttrValueLen)
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
	complaintID, err := s.coll.NewID()
	if err != nil {
		return "", err
	}
	claim, err := s.claims.Create(ctx, feedbackClaim{
		Meta:        store.Meta{ID: claimID(s.cfg.Org, feedbackID)},
		ComplaintID: complaintID,
	})
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		// Someone claimed it first: theirs is the complaint, unless they
		// stopped before logging it, in which case this call finishes.
		if claim, err = s.claims.Get(ctx, claimID(s.cfg.Org, feedbackID)); err != nil {
			return "", err
		}
		if _, err := s.coll.Get(ctx, claim.ComplaintID); !errors.Is(err, store.ErrNotFound) {
			return claim.ComplaintID, err
		}
	case err != nil:
		return "", err
	}
	c.ID = claim.ComplaintID
	c.FeedbackID = feedbackID
	c.History[0].What += "; handed over from feedback " + feedbackID + " received by " + channel
	c, err = s.coll.Create(ctx, c)
	if errors.Is(err, store.ErrAlreadyExists) {
		return claim.ComplaintID, nil // a racing finisher logged it
	}
	if err != nil {
		return "", err
	}
	s.emit(ctx, Event{Type: EventLogged, ComplaintID: c.ID, At: c.History[0].At, By: TakeFeedbackBy, To: StatusReceived, Note: "feedback " + feedbackID})
	return c.ID, nil
}

// ClaimKind is the record kind of the hand-over claims TakeFeedback keeps,
// one per organisation and feedback ID.
const ClaimKind = "complaint-feedback-claim"

// feedbackClaim records which complaint a feedback item became.
type feedbackClaim struct {
	store.Meta
	ComplaintID string `json:"complaint_id"`
}

// claimID derives a valid store ID from any organisation and feedback ID,
// which may hold characters IDs may not.
func claimID(org, feedbackID string) string {
	sum := sha256.Sum256([]byte(org + "\x00" + feedbackID))
	return hex.EncodeToString(sum[:16])
}
