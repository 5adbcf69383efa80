package complaints

import (
	"context"
	"errors"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

// sweepBy is the name the history gives to changes made by Sweep.
const sweepBy = "sla-sweep"

// SweepReport says what a Sweep did.
type SweepReport struct {
	Checked   int // open complaints looked at
	Breaches  int // deadlines newly found breached
	Escalated int // complaints escalated by rule
}

// Sweep checks every open complaint's deadlines as of now: each newly
// breached deadline is recorded in the history and emits EventBreach (once
// per deadline), and the escalation rules move complaints up the ladder.
// Run it periodically (every few minutes); it is idempotent.
func (s *Service) Sweep(ctx context.Context) (SweepReport, error) {
	var rep SweepReport
	q := store.Query{Filters: []store.Filter{store.Where(attrOrg, s.cfg.Org), store.Where(attrOpen, "true")}, Limit: store.MaxLimit}
	var ids []string
	for c, err := range s.coll.All(ctx, q) {
		if err != nil {
			return rep, err
		}
		rep.Checked++
		if s.needsSweep(&c, s.now()) {
			ids = append(ids, c.ID)
		}
	}
	for _, id := range ids {
		var breaches, escalated int
		_, err := s.change(ctx, id, Input{By: sweepBy}, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
			breaches, escalated = 0, 0
			var evs []cxkit.Event
			for _, d := range s.Deadlines(c, now) {
				if d.State != DeadlineBreached || c.Breached[d.Name] {
					continue
				}
				if c.Breached == nil {
					c.Breached = map[string]bool{}
				}
				c.Breached[d.Name] = true
				breaches++
				c.History = append(c.History, cxkit.HistoryEntry{At: now, By: sweepBy, Action: "breach", From: string(c.Status), To: string(c.Status), What: d.Name + " deadline " + d.Due.Format(time.RFC3339) + " passed"})
				evs = append(evs, event(EventBreach, c, sweepBy, "", "deadline", string(d.Name), "due", store.TimeKey(d.Due)))
			}
			if lvl := s.ruleLevel(c, now); lvl > c.Level {
				if _, ok := Next(c.Status, c.Resume, StepEscalate); ok {
					es, err := s.escalate(c, lvl, Input{By: sweepBy, Note: "deadline breached: escalated by rule"}, now)
					if err != nil {
						return nil, err
					}
					escalated++
					evs = append(evs, es...)
				}
			}
			if len(evs) == 0 {
				return nil, errNothing
			}
			return evs, nil
		})
		if errors.Is(err, errNothing) {
			continue
		}
		if err != nil {
			return rep, err
		}
		rep.Breaches += breaches
		rep.Escalated += escalated
	}
	return rep, nil
}

func (s *Service) needsSweep(c *Complaint, now time.Time) bool {
	for _, d := range s.deadlines(c) {
		if d.done.IsZero() && now.After(d.due) && !c.Breached[d.name] {
			return true
		}
	}
	return s.ruleLevel(c, now) > c.Level
}

// ruleLevel is the highest ladder level the escalation rules call for now.
// It measures overdue time only for deadlines that are outstanding and
// past due, so sweeping many complaints on track stays cheap.
func (s *Service) ruleLevel(c *Complaint, now time.Time) int {
	lvl := 0
	for _, d := range s.deadlines(c) {
		if !d.done.IsZero() || !now.After(d.due) {
			continue
		}
		var over time.Duration
		measured := false
		for _, r := range s.cfg.Escalation {
			if r.Deadline != d.name || r.Level <= lvl {
				continue
			}
			if !measured {
				over, measured = s.span.Between(d.due, now), true
			}
			if over >= r.Overdue {
				lvl = r.Level
			}
		}
	}
	return lvl
}
