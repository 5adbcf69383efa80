package complaints

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// takeFeedbackBy is the name the history gives to the hand-over.
const takeFeedbackBy = "feedback-handover"

// TakeFeedback logs a complaint handed over by a feedback system (package
// feedback declares the interface; this satisfies it without either
// package importing the other). It keeps what the feedback side knew:
//
//   - category: the feedback's category becomes the complaint's ("" means
//     Config.FeedbackCategory, for someone to triage);
//   - channel: the feedback channel's name; one this package does not have
//     (questionnaire, interview, meeting, third party) becomes ChannelOther,
//     and the original is kept in the history;
//   - customerRef: the customer's reference, so that erasure reaches the
//     complaint too;
//   - owner: who the feedback was routed to becomes the resolver (the
//     charter's assignment otherwise);
//   - text: the customer's words; a ratings-only item with no text is
//     handed over with a summary saying so.
//
// received is when the hand-over happened, not when the feedback first
// arrived: the complaint's deadlines run from it, so an item handed over
// days late does not arrive already breached. The feedback ID is kept in
// the history and in Complaint.FeedbackID.
//
// Handing the same feedback ID over twice returns the first complaint's ID
// and logs nothing new, also when the two hand-overs race or the first
// stopped half-way: a claim record keyed by the organisation and the
// feedback ID is created first, and the store's create-if-absent decides
// which caller logs the complaint.
func (s *Service) TakeFeedback(ctx context.Context, feedbackID, customerRef, channel, category, owner, text string, received time.Time) (string, error) {
	if strings.TrimSpace(feedbackID) == "" {
		return "", invalid("feedback.id", "is required")
	}
	if err := driverkit.CheckAttrValue("take", Kind, attrFeedback, feedbackID); err != nil || len(feedbackID) > store.MaxAttrValueLen {
		return "", invalid("feedback.id", "must be valid UTF-8 without NUL, at most %d bytes", store.MaxAttrValueLen)
	}
	ch := Channel(channel)
	if !slices.Contains(Channels(), ch) {
		ch = ChannelOther
	}
	if strings.TrimSpace(category) == "" {
		category = s.cfg.FeedbackCategory
	}
	if strings.TrimSpace(text) == "" {
		text = "Complaint given as ratings only, with no text (feedback " + feedbackID + ")"
	}
	c, err := s.build(Intake{
		Received:   received,
		Channel:    ch,
		Customer:   Customer{Ref: customerRef},
		Summary:    text,
		Category:   category,
		MadeBy:     MadeByOther,
		DirectedAt: Target{Kind: TargetKindUnspecified},
		Severity:   SeverityMedium,
		By:         takeFeedbackBy,
	})
	if err != nil {
		return "", err
	}
	if owner = strings.TrimSpace(owner); owner != "" {
		c.Assigned.Resolver = owner
		c.History[0].What = fmt.Sprintf("logged by %s via %s; assigned to %s, the feedback's owner (%s)", takeFeedbackBy, ch, owner, describe(c.Assigned))
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
	e := event(EventLogged, &c, takeFeedbackBy, "feedback "+feedbackID)
	e.To = string(StatusReceived)
	s.emit(ctx, e)
	return c.ID, nil
}

// claimKind is the record kind of the hand-over claims TakeFeedback keeps,
// one per organisation and feedback ID.
const claimKind = "complaint-feedback-claim"

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
