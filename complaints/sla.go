package complaints

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cxkit/cxkit/store"
)

// Targets are an organisation's service levels for complaints.
type Targets struct {
	// Acknowledge: from receipt until someone declares the organisation
	// will resolve it. Resolve: from receipt until the customer is told the
	// solution. FollowUp: from that until the customer is asked how it
	// went. Zero means no target. For a complaint brought in by Import the
	// clocks start at the import instead of receipt; Reopen restarts the
	// Resolve clock (and so FollowUp's) at the reopening.
	Acknowledge time.Duration `json:"acknowledge,omitempty"`
	Resolve     time.Duration `json:"resolve,omitempty"`
	FollowUp    time.Duration `json:"follow_up,omitempty"`
	// Business: the durations are business hours of the Config's Calendar,
	// not calendar time.
	Business bool `json:"business,omitempty"`
	// WarnAt is the fraction of a target's time after which a complaint is
	// at risk; 0 means 0.8.
	WarnAt float64 `json:"warn_at,omitempty"`
	// Rules give other times to the complaints they match (a safety
	// complaint is not a late parcel): the first rule whose category and
	// severity match (empty matches any) sets the times it gives; the
	// others stay as above. A complaint's times are set when it is logged
	// (and again when reopened).
	Rules []TargetRule `json:"rules,omitempty"`
}

// TargetRule sets the targets of the complaints of one category, one
// severity, or both.
type TargetRule struct {
	Category    string        `json:"category,omitempty"`
	Severity    Severity      `json:"severity,omitempty"`
	Acknowledge time.Duration `json:"acknowledge,omitempty"`
	Resolve     time.Duration `json:"resolve,omitempty"`
	FollowUp    time.Duration `json:"follow_up,omitempty"`
}

// times returns the targets for a complaint of category and severity.
func (t *Targets) times(category string, sev Severity) (ack, res, fu time.Duration) {
	ack, res, fu = t.Acknowledge, t.Resolve, t.FollowUp
	for _, r := range t.Rules {
		if (r.Category != "" && r.Category != category) || (r.Severity != "" && r.Severity != sev) {
			continue
		}
		if r.Acknowledge > 0 {
			ack = r.Acknowledge
		}
		if r.Resolve > 0 {
			res = r.Resolve
		}
		if r.FollowUp > 0 {
			fu = r.FollowUp
		}
		break
	}
	return ack, res, fu
}

// Deadline names one of a complaint's deadlines, in DeadlineStatus,
// EscalationRule and events.
type Deadline string

// The deadlines. DeadlineReferral is the outside body's own deadline
// (Referral.Due).
const (
	DeadlineAcknowledge Deadline = "acknowledge"
	DeadlineResolve     Deadline = "resolve"
	DeadlineFollowUp    Deadline = "follow-up"
	DeadlineReferral    Deadline = "referral"
)

// Deadlines are when a complaint's steps are due; zero where there is no
// target (or, for the follow-up, before the customer was notified).
type Deadlines struct {
	Acknowledge time.Time `json:"acknowledge,omitzero"`
	Resolve     time.Time `json:"resolve,omitzero"`
	FollowUp    time.Time `json:"follow_up,omitzero"`
}

// DeadlineState is how one deadline stands.
type DeadlineState string

// The deadline states.
const (
	DeadlineStateOnTrack  DeadlineState = "on-track"
	DeadlineStateAtRisk   DeadlineState = "at-risk"  // past the warning fraction, not yet due
	DeadlineStateBreached DeadlineState = "breached" // past due and not done
	DeadlineStateMet      DeadlineState = "met"      // done in time
	DeadlineStateMissed   DeadlineState = "missed"   // done, but late
	DeadlineStatePaused   DeadlineState = "paused"   // waiting on the customer: the clock is stopped
)

// DeadlineStatus is one deadline of one complaint at one moment.
type DeadlineStatus struct {
	Name  Deadline
	Due   time.Time
	Done  time.Time // zero while outstanding
	State DeadlineState
	// Used is the share of the target's time used so far (or used when it
	// was done): 1 means exactly on the deadline.
	Used float64
}

// Level is one rung of the internal escalation ladder: its name ("team
// leader") and the person or team who takes complaints escalated to it.
type Level struct {
	Name  string `json:"name"`
	Party string `json:"party"`
}

// EscalationRule escalates a complaint to Level (an index into the
// ladder) when Deadline has been breached by at least Overdue, measured as
// the targets are (calendar or business time).
type EscalationRule struct {
	Deadline Deadline      `json:"deadline"`
	Overdue  time.Duration `json:"overdue,omitempty"`
	Level    int           `json:"level"`
}

func (t *Targets) validate() error {
	for name, d := range map[string]time.Duration{"acknowledge": t.Acknowledge, "resolve": t.Resolve, "follow_up": t.FollowUp} {
		if d < 0 {
			return invalid("targets."+name, "must not be negative, got %v", d)
		}
	}
	for i, r := range t.Rules {
		f := fmt.Sprintf("targets.rules[%d]", i)
		if r.Severity != "" && !slices.Contains(Severities(), r.Severity) {
			return invalid(f+".severity", "must be one of %s, got %q", join(Severities()), r.Severity)
		}
		if r.Category == "" && r.Severity == "" {
			return invalid(f, "must name a category, a severity or both")
		}
		if r.Acknowledge < 0 || r.Resolve < 0 || r.FollowUp < 0 {
			return invalid(f, "times must not be negative")
		}
	}
	if t.WarnAt < 0 || t.WarnAt >= 1 {
		return invalid("targets.warn_at", "must be a fraction from 0 up to (not including) 1, got %v", t.WarnAt)
	}
	return nil
}

func (t *Targets) warnAt() float64 {
	if t.WarnAt == 0 {
		return 0.8
	}
	return t.WarnAt
}

// deadline describes one of the three deadlines of a complaint.
type deadline struct {
	name   Deadline
	target time.Duration
	start  time.Time
	due    time.Time
	done   time.Time
}

// ackStart is when the acknowledgement clock starts: at receipt, or at
// the import for a complaint taken over from an earlier log.
func ackStart(c *Complaint) time.Time {
	if !c.Imported.IsZero() && c.Imported.After(c.Received) {
		return c.Imported
	}
	return c.Received
}

// resolveStart is when the resolution clock starts: as the
// acknowledgement's, or at the last reopening.
func resolveStart(c *Complaint) time.Time {
	if !c.Restarted.IsZero() {
		return c.Restarted
	}
	return ackStart(c)
}

// deadlines lists the deadlines c is held to. A complaint is held only to
// the due times it was given (c.Due): one logged before the organisation
// set a target, or under a configuration without it, has no such deadline
// and so never misses it; targets added later apply from the next due
// times set.
func (s *Service) deadlines(c *Complaint) []deadline {
	var out []deadline
	ack, res, fu := s.cfg.Targets.times(c.Category, c.Severity)
	if ack > 0 && !c.Due.Acknowledge.IsZero() {
		out = append(out, deadline{DeadlineAcknowledge, ack, ackStart(c), c.Due.Acknowledge, c.Acknowledged})
	}
	if res > 0 && !c.Due.Resolve.IsZero() {
		out = append(out, deadline{DeadlineResolve, res, resolveStart(c), c.Due.Resolve, c.Resolved})
	}
	if fu > 0 && !c.Resolved.IsZero() && !c.Due.FollowUp.IsZero() {
		out = append(out, deadline{DeadlineFollowUp, fu, c.Resolved, c.Due.FollowUp, c.FollowedUp})
	}
	if r := c.Referral; r != nil && !r.Due.IsZero() && r.Due.After(r.Date) {
		out = append(out, deadline{DeadlineReferral, s.span.Between(r.Date, r.Due), r.Date, r.Due, r.OutcomeAt})
	}
	return out
}

// dueTimes sets the deadlines that can be known now.
func (s *Service) dueTimes(c *Complaint) {
	ack, res, fu := s.cfg.Targets.times(c.Category, c.Severity)
	c.Due = Deadlines{}
	if ack > 0 {
		c.Due.Acknowledge = s.span.Add(ackStart(c), ack)
	}
	if res > 0 {
		// Time spent waiting on the customer does not count.
		c.Due.Resolve = s.span.Add(resolveStart(c), res+c.Paused)
	}
	if fu > 0 && !c.Resolved.IsZero() {
		c.Due.FollowUp = s.span.Add(c.Resolved, fu)
	}
}

// Deadlines reports each of c's deadlines as of now: on track, at risk,
// breached, met or missed.
func (s *Service) Deadlines(c *Complaint, now time.Time) []DeadlineStatus {
	var out []DeadlineStatus
	for _, d := range s.deadlines(c) {
		out = append(out, s.state(d, now, c))
	}
	return out
}

// late reports whether any of c's deadlines is breached or was missed as
// of now, or was before a reopening: Deadlines' verdict without measuring
// the time used, which in business hours means walking the calendar.
func (s *Service) late(c *Complaint, now time.Time) bool {
	if len(c.PastBreaches) > 0 {
		return true
	}
	for _, b := range c.Breached {
		if b { // a breach Sweep reported stays a breach, even if the complaint left the main line
			return true
		}
	}
	for _, d := range s.deadlines(c) {
		switch {
		case !d.done.IsZero():
			if d.done.After(d.due) {
				return true
			}
		case c.Status != StatusClosed && !s.paused(c, d) && now.After(d.due):
			return true
		}
	}
	return false
}

// paused reports whether d's clock is stopped: the resolution deadline of
// a complaint waiting on the customer.
func (s *Service) paused(c *Complaint, d deadline) bool {
	return c.Status == StatusWaiting && d.name == DeadlineResolve && d.done.IsZero()
}

func (s *Service) state(d deadline, now time.Time, c *Complaint) DeadlineStatus {
	end := now
	switch {
	case !d.done.IsZero():
		end = d.done
	case s.paused(c, d):
		end = c.WaitingSince
	}
	ds := DeadlineStatus{Name: d.name, Due: d.due, Done: d.done}
	// The share used is measured back from the due time, which moves on
	// by any time spent waiting on the customer.
	if end.After(d.due) {
		ds.Used = 1 + float64(s.span.Between(d.due, end))/float64(d.target)
	} else {
		ds.Used = 1 - float64(s.span.Between(end, d.due))/float64(d.target)
	}
	switch {
	case !d.done.IsZero() && d.done.After(d.due):
		ds.State = DeadlineStateMissed
	case !d.done.IsZero():
		ds.State = DeadlineStateMet
	case s.paused(c, d):
		ds.State = DeadlineStatePaused
	case c.Status == StatusClosed:
		// closed without the step (e.g. referred outside): nothing is due.
		ds.State = DeadlineStateMet
	case now.After(d.due):
		ds.State = DeadlineStateBreached
	case ds.Used >= s.cfg.Targets.warnAt():
		ds.State = DeadlineStateAtRisk
	default:
		ds.State = DeadlineStateOnTrack
	}
	return ds
}

// Reminder is something due on a complaint: a deadline at risk or breached.
type Reminder struct {
	ComplaintID string
	// Owner is who should act now: the person responsible for the
	// complaint, else its resolver; both follow escalation and
	// reassignment.
	Owner    string
	Deadline DeadlineStatus
}

// Due lists every open complaint's deadline that is at risk or breached
// now, most overdue first: the follow-up reminders and the rest.
func (s *Service) Due(ctx context.Context) ([]Reminder, error) {
	now := s.now()
	var out []Reminder
	for c, err := range s.coll.All(ctx, store.Query{Filters: []store.Filter{store.Where(attrOrg, s.cfg.Org), store.Where(attrOpen, "true")}, Limit: store.MaxLimit}) {
		if err != nil {
			return nil, err
		}
		for _, d := range s.Deadlines(&c, now) {
			if d.State == DeadlineStateAtRisk || d.State == DeadlineStateBreached {
				out = append(out, Reminder{ComplaintID: c.ID, Owner: ownerOf(&c), Deadline: d})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Reminder) int { return a.Deadline.Due.Compare(b.Deadline.Due) })
	return out, nil
}

func (r EscalationRule) validate(i int, ladder []Level) error {
	f := fmt.Sprintf("escalation[%d]", i)
	switch r.Deadline {
	case DeadlineAcknowledge, DeadlineResolve, DeadlineFollowUp, DeadlineReferral:
	default:
		return invalid(f+".deadline", "must be one of acknowledge, resolve, follow-up, referral, got %q", r.Deadline)
	}
	if r.Overdue < 0 {
		return invalid(f+".overdue", "must not be negative, got %v", r.Overdue)
	}
	if r.Level < 1 || r.Level >= len(ladder) {
		return invalid(f+".level", "must be a ladder level from 1 to %d, got %d", len(ladder)-1, r.Level)
	}
	return nil
}

// ownerOf is who should act on c now: the person who took responsibility,
// else the resolver. Escalation and reassignment move both.
func ownerOf(c *Complaint) string {
	if c.Owner != "" {
		return c.Owner
	}
	return c.Assigned.Resolver
}
