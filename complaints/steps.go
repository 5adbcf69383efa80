package complaints

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// Input is what every step carries: who takes it, an optional note (the
// why of the history), and optionally the version the person last saw.
type Input struct {
	By   string
	Note string
	// Version, if not zero, makes the step conditional: if the complaint
	// has changed since that version the step fails with an error wrapping
	// store.ErrConflict instead of being retried on the newer state.
	Version int64
}

// change runs fn on the stored complaint id inside the store's
// read-modify-write loop and delivers the events fn produced once the
// write has succeeded. fn may run more than once (on conflicts) and must
// build its events afresh each time.
func (s *Service) change(ctx context.Context, id string, in Input, fn func(c *Complaint, now time.Time) ([]cxkit.Event, error)) (Complaint, error) {
	if strings.TrimSpace(in.By) == "" {
		return Complaint{}, invalid("input.by", "is required: who takes the step")
	}
	if in.Version < 0 {
		return Complaint{}, invalid("input.version", "must not be negative, got %d", in.Version)
	}
	var events []cxkit.Event
	c, err := s.coll.Mutate(ctx, id, func(c *Complaint) error {
		if c.Org != s.cfg.Org {
			return driverkit.Errorf("update", Kind, id, store.ErrNotFound, "no complaint %s in %s", id, s.cfg.Org)
		}
		if in.Version != 0 && c.Version != in.Version {
			return driverkit.Errorf("update", Kind, id, store.ErrConflict, "complaint is at version %d, the step was for version %d", c.Version, in.Version)
		}
		var err error
		events, err = fn(c, s.stamp())
		return err
	})
	if err != nil {
		return Complaint{}, err
	}
	s.emit(ctx, events...)
	return c, nil
}

// transition applies step to c if the workflow allows it, after pre (the
// step's own preconditions and changes) succeeds, and records it.
func (s *Service) transition(ctx context.Context, id string, step Step, in Input, what func(c *Complaint) string, pre func(c *Complaint, now time.Time) error, also ...func(c *Complaint, by, note string) []cxkit.Event) (Complaint, error) {
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
		evs, err := s.apply(c, step, in, now, what, pre)
		if err != nil {
			return nil, err
		}
		for _, f := range also {
			evs = append(evs, f(c, in.By, in.Note)...)
		}
		return evs, nil
	})
}

func (s *Service) apply(c *Complaint, step Step, in Input, now time.Time, what func(c *Complaint) string, pre func(c *Complaint, now time.Time) error) ([]cxkit.Event, error) {
	from := c.Status
	to, ok := Next(from, c.Resume, step)
	if !ok {
		return nil, refuse(c, step, "")
	}
	if pre != nil {
		if err := pre(c, now); err != nil {
			return nil, err
		}
	}
	switch {
	case (to == StatusEscalated || to == StatusWaiting) && from != to:
		c.Resume = from
	case to != StatusEscalated && to != StatusWaiting:
		c.Resume = ""
	}
	c.Status = to
	w := ""
	if what != nil {
		w = what(c)
	}
	c.History = append(c.History, cxkit.HistoryEntry{At: now, By: in.By, Action: string(step), From: string(from), To: string(to), What: w, Why: in.Note})
	e := event(EventTransition, c, in.By, in.Note, "step", string(step))
	e.From, e.To = string(from), string(to)
	return []cxkit.Event{e}, nil
}

// Investigate starts finding out what happened.
func (s *Service) Investigate(ctx context.Context, id string, in Input) (Complaint, error) {
	return s.transition(ctx, id, StepInvestigate, in, nil, nil)
}

// Acknowledge declares that the organisation will resolve the complaint,
// with owner taking responsibility for it.
func (s *Service) Acknowledge(ctx context.Context, id, owner string, in Input) (Complaint, error) {
	if strings.TrimSpace(owner) == "" {
		return Complaint{}, invalid("acknowledge.owner", "is required: someone must take responsibility")
	}
	return s.transition(ctx, id, StepAcknowledge, in,
		func(c *Complaint) string { return "responsibility taken by " + owner },
		func(c *Complaint, now time.Time) error {
			c.Owner = owner
			if c.Acknowledged.IsZero() {
				c.Acknowledged = now
			}
			return nil
		})
}

// Decide records the remedy, checked against the policy. If its value is
// above the decider's authority it is stored pending approval (see Approve
// and Reject) and the customer cannot be notified until it is approved.
// d.By is who decides; in.By is taken from it.
func (s *Service) Decide(ctx context.Context, id string, d remedy.Decision, version int64) (Complaint, error) {
	need, err := s.cfg.Policy.Check(d, s.now())
	if err != nil {
		return Complaint{}, err
	}
	if d.Amount.Currency == "" && d.Amount.Minor == 0 {
		d.Amount.Currency = s.cfg.Policy.Currency
	}
	in := Input{By: d.By.Name, Note: d.Note, Version: version}
	var decided remedy.Remedy
	var previous *remedy.Remedy
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
		decided = remedy.Remedy{Kind: d.Kind, Amount: d.Amount, Note: d.Note, DecidedBy: d.By, DecidedAt: now, State: remedy.StateApproved, Purchase: d.Purchase}
		if need != "" {
			decided.State, decided.NeedRole = remedy.StatePending, need
		}
		evs, err := s.apply(c, StepDecide, in, now,
			func(c *Complaint) string {
				w := fmt.Sprintf("remedy %s decided by %s (%s)", decided.String(), d.By.Name, d.By.Role)
				if need != "" {
					w += ", pending approval by " + need
				}
				if previous != nil {
					w += fmt.Sprintf("; revises %s (%s), not yet told to the customer", previous.String(), previous.State)
				}
				return w
			},
			func(c *Complaint, now time.Time) error {
				previous = c.Remedy
				r := decided
				c.Remedy = &r
				return nil
			})
		if err != nil {
			return nil, err
		}
		r := decided
		return append(evs, event(EventRemedy, c, d.By.Name, d.Note, "remedy", r.String(), "remedy_state", string(r.State))), nil
	})
}

// Approve approves a pending remedy. The approver's role must be one the
// policy allows to approve that amount for the decider's role, and nobody
// approves their own decision.
func (s *Service) Approve(ctx context.Context, id string, approver remedy.Actor, note string) (Complaint, error) {
	return s.review(ctx, id, approver, note, true)
}

// Reject turns down a pending remedy; a new one must be decided.
func (s *Service) Reject(ctx context.Context, id string, approver remedy.Actor, reason string) (Complaint, error) {
	if strings.TrimSpace(reason) == "" {
		return Complaint{}, invalid("reject.reason", "is required")
	}
	return s.review(ctx, id, approver, reason, false)
}

func (s *Service) review(ctx context.Context, id string, approver remedy.Actor, note string, ok bool) (Complaint, error) {
	if strings.TrimSpace(approver.Name) == "" {
		return Complaint{}, invalid("approver.name", "is required")
	}
	action, typ := "remedy-approved", EventApproved
	if !ok {
		action, typ = "remedy-rejected", EventRejected
	}
	return s.change(ctx, id, Input{By: approver.Name, Note: note}, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
		if c.Status != StatusDecided || c.Remedy == nil || c.Remedy.State != remedy.StatePending {
			return nil, refuse(c, Step(action), "no remedy is pending approval")
		}
		if approver.Name == c.Remedy.DecidedBy.Name {
			return nil, remedy.Unauthorised(approver, "approve", c.Remedy.Amount.String(), "own decision", c.Remedy.NeedRole)
		}
		if err := s.cfg.Policy.CanApprove(c.Remedy, approver); err != nil {
			return nil, err
		}
		r := *c.Remedy
		a := approver
		r.ApprovedBy, r.ApprovedAt, r.Reason = &a, now, note
		r.State = remedy.StateApproved
		if !ok {
			r.State = remedy.StateRejected
		}
		c.Remedy = &r
		c.History = append(c.History, cxkit.HistoryEntry{At: now, By: approver.Name, Action: action, From: string(c.Status), To: string(c.Status),
			What: fmt.Sprintf("remedy %s %s by %s (%s)", r.String(), r.State, approver.Name, approver.Role), Why: note})
		return []cxkit.Event{event(typ, c, approver.Name, note, "remedy", r.String(), "remedy_state", string(r.State))}, nil
	})
}

// Notify records that the customer was told the solution, and how
// ("phone call and email").
func (s *Service) Notify(ctx context.Context, id, how string, in Input) (Complaint, error) {
	if strings.TrimSpace(how) == "" {
		return Complaint{}, invalid("notify.how", "is required: how the customer was told")
	}
	return s.transition(ctx, id, StepNotify, in,
		func(c *Complaint) string { return "customer told of " + c.Remedy.String() + " by " + how },
		func(c *Complaint, now time.Time) error {
			if c.Remedy == nil || c.Remedy.State != remedy.StateApproved {
				reason := "no remedy decided"
				if c.Remedy != nil {
					reason = "the remedy is " + string(c.Remedy.State)
				}
				return refuse(c, StepNotify, reason)
			}
			c.NotifiedHow = how
			c.Resolved = now
			c.Outcome = c.Remedy.String()
			s.dueTimes(c)
			return nil
		}, outcomeEvent)
}

// outcomeEvent announces the outcome a step recorded.
func outcomeEvent(c *Complaint, by, note string) []cxkit.Event {
	return []cxkit.Event{event(EventOutcome, c, by, note, "outcome", c.Outcome)}
}

// FollowUp records whether the customer is satisfied with how the
// complaint was handled. A dissatisfied customer triggers
// EventDissatisfied, which offers escalation and referral to an outside
// body.
func (s *Service) FollowUp(ctx context.Context, id string, satisfied bool, in Input) (Complaint, error) {
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
		evs, err := s.apply(c, StepFollowUp, in, now,
			func(c *Complaint) string {
				if satisfied {
					return "customer satisfied"
				}
				return "customer not satisfied"
			},
			func(c *Complaint, now time.Time) error {
				c.Satisfied = &satisfied
				c.FollowedUp = now
				return nil
			})
		if err != nil || satisfied {
			return evs, err
		}
		return append(evs, event(EventDissatisfied, c, in.By, in.Note, "offer", join(Allowed(c.Status, c.Resume)))), nil
	})
}

// Close closes a followed-up complaint, or one whose referral to an outside
// body has an outcome. outcome, if given, replaces the log's outcome text.
//
// An outcome already recorded (the remedy the customer was told of, the
// outside body's decision) is never replaced silently: a different
// outcome given here is recorded in the history together with the one it
// replaces, and emits EventOutcome with both.
func (s *Service) Close(ctx context.Context, id, outcome string, in Input) (Complaint, error) {
	var replaced string
	return s.transition(ctx, id, StepClose, in,
		func(c *Complaint) string {
			if replaced != "" {
				return fmt.Sprintf("closed: %s (replacing the recorded outcome %q)", c.Outcome, replaced)
			}
			return "closed: " + c.Outcome
		},
		func(c *Complaint, now time.Time) error {
			if c.Status == StatusReferred && (c.Referral == nil || c.Referral.Outcome == "") {
				return refuse(c, StepClose, "the outside body's outcome is not recorded")
			}
			replaced = ""
			if outcome != "" && outcome != c.Outcome {
				replaced = c.Outcome
				c.Outcome = outcome
			}
			c.Closed = now
			return nil
		},
		func(c *Complaint, by, note string) []cxkit.Event {
			if outcome == "" {
				return nil
			}
			e := event(EventOutcome, c, by, note, "outcome", c.Outcome)
			if replaced != "" {
				e.Attrs["replaced"] = replaced
			}
			return []cxkit.Event{e}
		})
}

// Escalate hands the complaint up the internal ladder to level (an index
// into Config.Ladder), which must be above its current level.
func (s *Service) Escalate(ctx context.Context, id string, level int, in Input) (Complaint, error) {
	if level < 1 || level >= len(s.cfg.Ladder) {
		return Complaint{}, invalid("escalate.level", "must be a ladder level from 1 to %d, got %d", len(s.cfg.Ladder)-1, level)
	}
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
		return s.escalate(c, level, in, now)
	})
}

func (s *Service) escalate(c *Complaint, level int, in Input, now time.Time) ([]cxkit.Event, error) {
	l := s.cfg.Ladder[level]
	evs, err := s.apply(c, StepEscalate, in, now,
		func(c *Complaint) string { return fmt.Sprintf("escalated to %s (%s)", l.Name, l.Party) },
		func(c *Complaint, now time.Time) error {
			if level <= c.Level {
				return refuse(c, StepEscalate, fmt.Sprintf("already at level %d (%s)", c.Level, s.cfg.Ladder[c.Level].Name))
			}
			c.Level = level
			if l.Party != "" {
				c.Assigned.Resolver = l.Party
				if c.Owner != "" {
					c.Owner = l.Party // responsibility went up with it
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return append(evs, event(EventEscalated, c, in.By, in.Note, "level", strconv.Itoa(level), "level_name", l.Name, "owner", c.Assigned.Resolver)), nil
}

// Refer records that the complaint went to an outside body. r.Body and
// r.BodyKind are required; a zero r.Date means now.
func (s *Service) Refer(ctx context.Context, id string, r Referral, in Input) (Complaint, error) {
	if strings.TrimSpace(r.Body) == "" {
		return Complaint{}, invalid("referral.body", "is required: which outside body")
	}
	switch r.BodyKind {
	case BodyKindOmbudsman, BodyKindRegulator, BodyKindIndustry, BodyKindOther:
	default:
		return Complaint{}, invalid("referral.body_kind", "must be one of ombudsman, regulator, industry-body, other, got %q", r.BodyKind)
	}
	if r.Outcome != "" {
		return Complaint{}, invalid("referral.outcome", "must be empty when referring; record it with ReferralOutcome")
	}
	if !r.Due.IsZero() && !r.Date.IsZero() && !r.Due.After(r.Date) {
		return Complaint{}, invalid("referral.due", "must be after the referral date")
	}
	return s.transition(ctx, id, StepRefer, in,
		func(c *Complaint) string {
			return fmt.Sprintf("referred to %s (%s), reference %q", r.Body, r.BodyKind, r.Reference)
		},
		func(c *Complaint, now time.Time) error {
			rr := r
			if rr.Date.IsZero() {
				rr.Date = now
			}
			c.Referral = &rr
			return nil
		})
}

// ReferralOutcome records what the outside body decided.
func (s *Service) ReferralOutcome(ctx context.Context, id, outcome string, in Input) (Complaint, error) {
	if strings.TrimSpace(outcome) == "" {
		return Complaint{}, invalid("referral.outcome", "is required")
	}
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
		if c.Status != StatusReferred || c.Referral == nil {
			return nil, refuse(c, "referral-outcome", "the complaint is not with an outside body")
		}
		if c.Referral.Outcome != "" {
			return nil, refuse(c, "referral-outcome", fmt.Sprintf("%s's decision is already recorded (%q); it is not replaced", c.Referral.Body, c.Referral.Outcome))
		}
		r := *c.Referral
		r.Outcome, r.OutcomeAt = outcome, now
		c.Referral = &r
		c.Outcome = outcome
		c.History = append(c.History, cxkit.HistoryEntry{At: now, By: in.By, Action: "referral-outcome", From: string(c.Status), To: string(c.Status), What: r.Body + " decided: " + outcome, Why: in.Note})
		return outcomeEvent(c, in.By, in.Note), nil
	})
}

// Reopen takes a closed complaint back into investigation. The first
// acknowledgement stands; the solution, notification and follow-up are
// cleared so that they are done again, and the resolution clock restarts
// at the reopening (Complaint.Restarted): the organisation gets its full
// resolution target again instead of being breached at once. Deadlines
// breached or missed before the reopening are kept in
// Complaint.PastBreaches, so breach statistics still count them, and the
// history records the restart and the new due time.
func (s *Service) Reopen(ctx context.Context, id string, in Input) (Complaint, error) {
	if strings.TrimSpace(in.Note) == "" {
		return Complaint{}, invalid("reopen.note", "is required: why it is reopened")
	}
	return s.transition(ctx, id, StepReopen, in,
		func(c *Complaint) string {
			w := fmt.Sprintf("reopened (time %d); resolution clock restarted at %s", c.Reopened, c.Restarted.Format(time.RFC3339))
			if !c.Due.Resolve.IsZero() {
				w += ", resolution now due " + c.Due.Resolve.Format(time.RFC3339)
			}
			if len(c.PastBreaches) > 0 {
				w += "; missed before: " + join(c.PastBreaches)
			}
			return w
		},
		func(c *Complaint, now time.Time) error {
			for _, d := range s.deadlines(c) {
				if d.name == DeadlineAcknowledge {
					continue // done once and not redone: it stays as it was
				}
				late := c.Breached[d.name] || (!d.done.IsZero() && d.done.After(d.due))
				if late && !slices.Contains(c.PastBreaches, d.name) {
					c.PastBreaches = append(c.PastBreaches, d.name)
				}
			}
			// The restarted clocks may breach again, and that is news.
			delete(c.Breached, DeadlineResolve)
			delete(c.Breached, DeadlineFollowUp)
			delete(c.Warned, DeadlineResolve)
			delete(c.Warned, DeadlineFollowUp)
			c.Reopened++
			c.Restarted = now
			c.Paused, c.Closure, c.DuplicateOf, c.Unreachable = 0, "", "", false
			c.Remedy, c.NotifiedHow, c.Satisfied, c.Outcome = nil, "", nil, ""
			c.Resolved, c.FollowedUp, c.Closed = time.Time{}, time.Time{}, time.Time{}
			s.dueTimes(c)
			return nil
		})
}

// Reassign moves responsibility; every field of to that is set replaces
// the current one, and the history records from whom to whom.
func (s *Service) Reassign(ctx context.Context, id string, to Assignment, in Input) (Complaint, error) {
	if to == (Assignment{}) {
		return Complaint{}, invalid("reassign.to", "must name at least one of receiver, investigator, resolver")
	}
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
		if !c.Open() {
			return nil, refuse(c, "reassign", "closed complaints are reopened, not reassigned")
		}
		old := c.Assigned
		if to.Receiver != "" {
			c.Assigned.Receiver = to.Receiver
		}
		if to.Investigator != "" {
			c.Assigned.Investigator = to.Investigator
		}
		if to.Resolver != "" {
			c.Assigned.Resolver = to.Resolver
			if c.Owner != "" {
				c.Owner = to.Resolver // responsibility moved with it
			}
		}
		c.Reassigned++
		c.History = append(c.History, cxkit.HistoryEntry{At: now, By: in.By, Action: "reassigned", From: string(c.Status), To: string(c.Status),
			What: "from " + describe(old) + " to " + describe(c.Assigned), Why: in.Note})
		return []cxkit.Event{event(EventReassigned, c, in.By, in.Note, "owner", c.Assigned.Resolver)}, nil
	})
}

// AddNote records a note in the history without changing anything else
// (a call with the customer, a meeting with the product manager).
func (s *Service) AddNote(ctx context.Context, id string, in Input) (Complaint, error) {
	if strings.TrimSpace(in.Note) == "" {
		return Complaint{}, invalid("note", "is required")
	}
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
		c.History = append(c.History, cxkit.HistoryEntry{At: now, By: in.By, Action: "note", From: string(c.Status), To: string(c.Status), Why: in.Note})
		return nil, nil
	})
}
