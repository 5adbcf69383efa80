package complaints

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
)

// Closure is why a complaint was closed without the remaining steps.
type Closure string

// The early closures.
const (
	ClosureWithdrawn     Closure = "withdrawn"       // the customer withdrew it
	ClosureDuplicate     Closure = "duplicate"       // the same complaint as another, which is kept
	ClosureNotAComplaint Closure = "not-a-complaint" // a question, a suggestion, a compliment
)

// Closures lists every early closure.
func Closures() []Closure {
	return []Closure{ClosureWithdrawn, ClosureDuplicate, ClosureNotAComplaint}
}

// CloseEarly closes an open complaint without the remaining steps, where
// that is the honest outcome: the customer withdrew it, it duplicates
// another complaint (duplicateOf, which must be a complaint of the
// organisation and is the one worked on), or it is not a complaint at
// all. The reason becomes the outcome and Complaint.Closure; nothing
// further is due on it. It emits EventOutcome.
func (s *Service) CloseEarly(ctx context.Context, id string, why Closure, duplicateOf string, in Input) (Complaint, error) {
	if !slices.Contains(Closures(), why) {
		return Complaint{}, invalid("close.closure", "must be one of %s, got %q", join(Closures()), why)
	}
	if (why == ClosureDuplicate) != (duplicateOf != "") {
		return Complaint{}, invalid("close.duplicate_of", "names the complaint kept, for a duplicate and only then")
	}
	if why == ClosureDuplicate {
		if duplicateOf == id {
			return Complaint{}, invalid("close.duplicate_of", "must be another complaint")
		}
		if _, err := s.Get(ctx, duplicateOf); err != nil {
			return Complaint{}, fmt.Errorf("the complaint kept: %w", err)
		}
	}
	outcome := map[Closure]string{ClosureWithdrawn: "withdrawn by the customer", ClosureDuplicate: "duplicate of " + duplicateOf,
		ClosureNotAComplaint: "not a complaint"}[why]
	return s.transition(ctx, id, StepCloseEarly, in,
		func(c *Complaint) string { return "closed early: " + outcome },
		func(c *Complaint, now time.Time) error {
			c.Closure, c.DuplicateOf, c.Outcome, c.Closed = why, duplicateOf, outcome, now
			c.WaitingSince = time.Time{}
			return nil
		}, outcomeEvent)
}

// ResolveAtFirstContact records a complaint the person who took it put
// right there and then: one step standing for acknowledging it, deciding
// the remedy d (within d.By's own authority: a remedy that needs approval
// is not a first-contact resolution) and telling the customer how. The
// complaint moves to notified, to be followed up, with d.By as its owner.
func (s *Service) ResolveAtFirstContact(ctx context.Context, id string, d remedy.Decision, how string) (Complaint, error) {
	if strings.TrimSpace(how) == "" {
		return Complaint{}, invalid("notify.how", "is required: how the customer was told")
	}
	need, err := s.cfg.Policy.Check(d, s.now())
	if err != nil {
		return Complaint{}, err
	}
	if need != "" {
		return Complaint{}, remedy.Unauthorised(d.By, "resolve at first contact with", d.Amount.String(), "own authority", need)
	}
	if d.Amount.Currency == "" && d.Amount.Minor == 0 {
		d.Amount.Currency = s.cfg.Policy.Currency
	}
	in := Input{By: d.By.Name, Note: d.Note}
	return s.transition(ctx, id, StepFirstContact, in,
		func(c *Complaint) string {
			return fmt.Sprintf("resolved at first contact by %s (%s): %s, customer told by %s", d.By.Name, d.By.Role, c.Remedy.String(), how)
		},
		func(c *Complaint, now time.Time) error {
			c.Remedy = &remedy.Remedy{Kind: d.Kind, Amount: d.Amount, Note: d.Note, DecidedBy: d.By, DecidedAt: now, State: remedy.StateApproved, Purchase: d.Purchase}
			c.Owner = d.By.Name
			if c.Acknowledged.IsZero() {
				c.Acknowledged = now
			}
			c.NotifiedHow, c.Resolved, c.Outcome = how, now, c.Remedy.String()
			s.dueTimes(c)
			return nil
		}, outcomeEvent)
}

// WaitOnCustomer pauses a complaint until the customer answers (the
// information asked for, a photo, a time to call): the resolution clock
// stops, so waiting on them never breaches the organisation's target. in.Note
// says what is awaited. Resume restarts the clock.
func (s *Service) WaitOnCustomer(ctx context.Context, id string, in Input) (Complaint, error) {
	if strings.TrimSpace(in.Note) == "" {
		return Complaint{}, invalid("wait.note", "is required: what the customer is asked for")
	}
	return s.transition(ctx, id, StepWait, in,
		func(c *Complaint) string { return "waiting on the customer; the resolution clock is paused" },
		func(c *Complaint, now time.Time) error {
			c.WaitingSince = now
			return nil
		})
}

// Resume takes a complaint that was waiting on the customer back to where
// it stood; the resolution deadline moves on by the time spent waiting.
func (s *Service) Resume(ctx context.Context, id string, in Input) (Complaint, error) {
	var waited time.Duration
	return s.transition(ctx, id, StepResume, in,
		func(c *Complaint) string {
			w := fmt.Sprintf("resumed after waiting %s on the customer", waited.Round(time.Minute))
			if !c.Due.Resolve.IsZero() {
				w += "; resolution now due " + c.Due.Resolve.Format(time.RFC3339)
			}
			return w
		},
		func(c *Complaint, now time.Time) error {
			waited = s.span.Between(c.WaitingSince, now)
			c.Paused += waited
			c.WaitingSince = time.Time{}
			s.dueTimes(c)
			return nil
		})
}

// FollowUpUnreachable records that the follow-up could not reach the
// customer: the follow-up was attempted (its deadline is met), whether
// they were satisfied stays unknown, and the complaint can be closed.
func (s *Service) FollowUpUnreachable(ctx context.Context, id string, in Input) (Complaint, error) {
	return s.transition(ctx, id, StepFollowUp, in,
		func(c *Complaint) string { return "customer could not be reached for the follow-up" },
		func(c *Complaint, now time.Time) error {
			c.Satisfied, c.Unreachable, c.FollowedUp = nil, true, now
			return nil
		})
}

// RecordRefund records how and when an approved refund was paid. It may
// be recorded once, from the decision on (before or after the customer is
// told), and emits EventRefundPaid.
func (s *Service) RecordRefund(ctx context.Context, id string, p remedy.Payment) (Complaint, error) {
	if !slices.Contains(remedy.Methods(), p.Method) {
		return Complaint{}, invalid("payment.method", "must be one of %s, got %q", join(remedy.Methods()), p.Method)
	}
	if strings.TrimSpace(p.By) == "" {
		return Complaint{}, invalid("payment.by", "is required: who paid it")
	}
	return s.change(ctx, id, Input{By: p.By}, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
		if c.Remedy == nil || c.Remedy.Kind != remedy.KindRefund || c.Remedy.State != remedy.StateApproved {
			return nil, refuse(c, "record-refund", "no approved refund")
		}
		if c.Remedy.Payment != nil {
			return nil, refuse(c, "record-refund", "the refund's payment is already recorded")
		}
		pay := p
		if pay.Paid.IsZero() {
			pay.Paid = now
		}
		if pay.Paid.After(now.Add(time.Minute)) {
			return nil, invalid("payment.paid", "must not be in the future")
		}
		r := *c.Remedy
		r.Payment = &pay
		c.Remedy = &r
		c.History = append(c.History, cxkit.HistoryEntry{At: now, By: p.By, Action: "refund-paid", From: string(c.Status), To: string(c.Status),
			What: fmt.Sprintf("refund of %s paid by %s on %s, reference %q", r.Amount, pay.Method, pay.Paid.Format(time.DateOnly), pay.Reference)})
		return []cxkit.Event{event(EventRefundPaid, c, p.By, "", "method", string(pay.Method), "paid", store.TimeKey(pay.Paid))}, nil
	})
}
