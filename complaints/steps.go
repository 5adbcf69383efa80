package complaints

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

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
func (s *Service) change(ctx context.Context, id string, in Input, fn func(c *Complaint, now time.Time) ([]Event, error)) (Complaint, error) {
	if strings.TrimSpace(in.By) == "" {
		return Complaint{}, invalid("input.by", "is required: who takes the step")
	}
	if in.Version < 0 {
		return Complaint{}, invalid("input.version", "must not be negative, got %d", in.Version)
	}
	var events []Event
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
func (s *Service) transition(ctx context.Context, id string, step Step, in Input, what func(c *Complaint) string, pre func(c *Complaint, now time.Time) error) (Complaint, error) {
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]Event, error) {
		return s.apply(c, step, in, now, what, pre)
	})
}

func (s *Service) apply(c *Complaint, step Step, in Input, now time.Time, what func(c *Complaint) string, pre func(c *Complaint, now time.Time) error) ([]Event, error) {
	from := c.Status
	to, ok := Next(from, c.Resume, step)
	if !ok {
		return nil, &TransitionError{ID: c.ID, State: from, Step: step}
	}
	if pre != nil {
		if err := pre(c, now); err != nil {
			return nil, err
		}
	}
	switch {
	case to == StatusEscalated && from != StatusEscalated:
		c.Resume = from
	case to != StatusEscalated:
		c.Resume = ""
	}
	c.Status = to
	w := ""
	if what != nil {
		w = what(c)
	}
	c.History = append(c.History, Change{At: now, By: in.By, Action: string(step), From: from, To: to, What: w, Why: in.Note})
	return []Event{{Type: EventTransition, ComplaintID: c.ID, At: now, By: in.By, Step: step, From: from, To: to, Note: in.Note}}, nil
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
func (s *Service) Decide(ctx context.Context, id string, d Decision, version int64) (Complaint, error) {
	need, err := s.cfg.Policy.check(d, s.now())
	if err != nil {
		return Complaint{}, err
	}
	if d.Amount.Currency == "" && d.Amount.Minor == 0 {
		d.Amount.Currency = s.cfg.Policy.Currency
	}
	in := Input{By: d.By.Name, Note: d.Note, Version: version}
	var remedy Remedy
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]Event, error) {
		remedy = Remedy{Kind: d.Kind, Amount: d.Amount, Note: d.Note, DecidedBy: d.By, DecidedAt: now, State: RemedyApproved}
		if need != "" {
			remedy.State, remedy.NeedRole = RemedyPending, need
		}
		evs, err := s.apply(c, StepDecide, in, now,
			func(c *Complaint) string {
				if need != "" {
					return fmt.Sprintf("remedy %s decided by %s (%s), pending approval by %s", remedy.String(), d.By.Name, d.By.Role, need)
				}
				return fmt.Sprintf("remedy %s decided by %s (%s)", remedy.String(), d.By.Name, d.By.Role)
			},
			func(c *Complaint, now time.Time) error {
				if c.Remedy != nil && c.Remedy.State == RemedyApproved && c.Status == StatusDecided {
					return &TransitionError{ID: c.ID, State: c.Status, Step: StepDecide, Reason: "a remedy is already approved"}
				}
				r := remedy
				c.Remedy = &r
				return nil
			})
		if err != nil {
			return nil, err
		}
		r := remedy
		return append(evs, Event{Type: EventRemedy, ComplaintID: c.ID, At: now, By: d.By.Name, Remedy: &r, Note: d.Note}), nil
	})
}

// Approve approves a pending remedy. The approver's role must be one the
// policy allows to approve that amount for the decider's role, and nobody
// approves their own decision.
func (s *Service) Approve(ctx context.Context, id string, approver Actor, note string) (Complaint, error) {
	return s.review(ctx, id, approver, note, true)
}

// Reject turns down a pending remedy; a new one must be decided.
func (s *Service) Reject(ctx context.Context, id string, approver Actor, reason string) (Complaint, error) {
	if strings.TrimSpace(reason) == "" {
		return Complaint{}, invalid("reject.reason", "is required")
	}
	return s.review(ctx, id, approver, reason, false)
}

func (s *Service) review(ctx context.Context, id string, approver Actor, note string, ok bool) (Complaint, error) {
	if strings.TrimSpace(approver.Name) == "" {
		return Complaint{}, invalid("approver.name", "is required")
	}
	action, typ := "remedy-approved", EventApproved
	if !ok {
		action, typ = "remedy-rejected", EventRejected
	}
	return s.change(ctx, id, Input{By: approver.Name, Note: note}, func(c *Complaint, now time.Time) ([]Event, error) {
		if c.Status != StatusDecided || c.Remedy == nil || c.Remedy.State != RemedyPending {
			return nil, &TransitionError{ID: c.ID, State: c.Status, Step: Step(action), Reason: "no remedy is pending approval"}
		}
		if approver.Name == c.Remedy.DecidedBy.Name {
			return nil, &AuthorityError{Actor: approver, Action: "approve", Amount: c.Remedy.Amount.String(), Limit: "own decision", Need: c.Remedy.NeedRole}
		}
		if err := s.cfg.Policy.canApprove(c.Remedy, approver); err != nil {
			return nil, err
		}
		r := *c.Remedy
		a := approver
		r.ApprovedBy, r.ApprovedAt, r.Reason = &a, now, note
		r.State = RemedyApproved
		if !ok {
			r.State = RemedyRejected
		}
		c.Remedy = &r
		c.History = append(c.History, Change{At: now, By: approver.Name, Action: action, From: c.Status, To: c.Status,
			What: fmt.Sprintf("remedy %s %s by %s (%s)", r.String(), r.State, approver.Name, approver.Role), Why: note})
		rr := r
		return []Event{{Type: typ, ComplaintID: c.ID, At: now, By: approver.Name, Remedy: &rr, Note: note}}, nil
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
			if c.Remedy == nil || c.Remedy.State != RemedyApproved {
				reason := "no remedy decided"
				if c.Remedy != nil {
					reason = "the remedy is " + string(c.Remedy.State)
				}
				return &TransitionError{ID: c.ID, State: c.Status, Step: StepNotify, Reason: reason}
			}
			c.NotifiedHow = how
			c.Resolved = now
			c.Outcome = c.Remedy.String()
			s.dueTimes(c)
			return nil
		})
}

// FollowUp records whether the customer is satisfied with how the
// complaint was handled. A dissatisfied customer triggers
// EventDissatisfied, which offers escalation and referral to an outside
// body.
func (s *Service) FollowUp(ctx context.Context, id string, satisfied bool, in Input) (Complaint, error) {
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]Event, error) {
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
		return append(evs, Event{Type: EventDissatisfied, ComplaintID: c.ID, At: now, By: in.By, Offer: Allowed(c.Status, c.Resume), Note: in.Note}), nil
	})
}

// Close closes a followed-up complaint, or one whose referral to an outside
// body has an outcome. outcome, if given, replaces the log's outcome text.
func (s *Service) Close(ctx context.Context, id, outcome string, in Input) (Complaint, error) {
	return s.transition(ctx, id, StepClose, in,
		func(c *Complaint) string { return "closed: " + c.Outcome },
		func(c *Complaint, now time.Time) error {
			if c.Status == StatusReferred && (c.Referral == nil || c.Referral.Outcome == "") {
				return &TransitionError{ID: c.ID, State: c.Status, Step: StepClose, Reason: "the outside body's outcome is not recorded"}
			}
			if outcome != "" {
				c.Outcome = outcome
			}
			c.Closed = now
			return nil
		})
}

// Escalate hands the complaint up the internal ladder to level (an index
// into Config.Ladder), which must be above its current level.
func (s *Service) Escalate(ctx context.Context, id string, level int, in Input) (Complaint, error) {
	if level < 1 || level >= len(s.cfg.Ladder) {
		return Complaint{}, invalid("escalate.level", "must be a ladder level from 1 to %d, got %d", len(s.cfg.Ladder)-1, level)
	}
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]Event, error) {
		return s.escalate(c, level, in, now)
	})
}

func (s *Service) escalate(c *Complaint, level int, in Input, now time.Time) ([]Event, error) {
	l := s.cfg.Ladder[level]
	evs, err := s.apply(c, StepEscalate, in, now,
		func(c *Complaint) string { return fmt.Sprintf("escalated to %s (%s)", l.Name, l.Party) },
		func(c *Complaint, now time.Time) error {
			if level <= c.Level {
				return &TransitionError{ID: c.ID, State: c.Status, Step: StepEscalate, Reason: fmt.Sprintf("already at level %d (%s)", c.Level, s.cfg.Ladder[c.Level].Name)}
			}
			c.Level = level
			if l.Party != "" {
				c.Assigned.Resolver = l.Party
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return append(evs, Event{Type: EventEscalated, ComplaintID: c.ID, At: now, By: in.By, Level: level, LevelName: l.Name, Note: in.Note}), nil
}

// Refer records that the complaint went to an outside body. r.Body and
// r.BodyKind are required; a zero r.Date means now.
func (s *Service) Refer(ctx context.Context, id string, r Referral, in Input) (Complaint, error) {
	if strings.TrimSpace(r.Body) == "" {
		return Complaint{}, invalid("referral.body", "is required: which outside body")
	}
	switch r.BodyKind {
	case BodyOmbudsman, BodyRegulator, BodyIndustry, BodyOther:
	default:
		return Complaint{}, invalid("referral.body_kind", "must be one of ombudsman, regulator, industry-body, other, got %q", r.BodyKind)
	}
	if r.Outcome != "" {
		return Complaint{}, invalid("referral.outcome", "must be empty when referring; record it with ReferralOutcome")
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
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]Event, error) {
		if c.Status != StatusReferred || c.Referral == nil {
			return nil, &TransitionError{ID: c.ID, State: c.Status, Step: "referral-outcome", Reason: "the complaint is not with an outside body"}
		}
		r := *c.Referral
		r.Outcome, r.OutcomeAt = outcome, now
		c.Referral = &r
		c.Outcome = outcome
		c.History = append(c.History, Change{At: now, By: in.By, Action: "referral-outcome", From: c.Status, To: c.Status, What: r.Body + " decided: " + outcome, Why: in.Note})
		return nil, nil
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
				w += "; missed before: " + strings.Join(c.PastBreaches, ", ")
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
			c.Reopened++
			c.Restarted = now
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
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]Event, error) {
		if !c.Open() {
			return nil, &TransitionError{ID: c.ID, State: c.Status, Step: "reassign", Reason: "closed complaints are reopened, not reassigned"}
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
		}
		c.Reassigned++
		c.History = append(c.History, Change{At: now, By: in.By, Action: "reassigned", From: c.Status, To: c.Status,
			What: "from " + describe(old) + " to " + describe(c.Assigned), Why: in.Note})
		return []Event{{Type: EventReassigned, ComplaintID: c.ID, At: now, By: in.By, Note: in.Note}}, nil
	})
}

// AddNote records a note in the history without changing anything else
// (a call with the customer, a meeting with the product manager).
func (s *Service) AddNote(ctx context.Context, id string, in Input) (Complaint, error) {
	if strings.TrimSpace(in.Note) == "" {
		return Complaint{}, invalid("note", "is required")
	}
	return s.change(ctx, id, in, func(c *Complaint, now time.Time) ([]Event, error) {
		c.History = append(c.History, Change{At: now, By: in.By, Action: "note", From: c.Status, To: c.Status, Why: in.Note})
		return nil, nil
	})
}
