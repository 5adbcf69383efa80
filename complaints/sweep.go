package complaints

import (
	"context"
	"errors"
	"fmt"
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
	AtRisk    int // deadlines newly found at risk
}

// Sweep checks every open complaint's deadlines as of now: each deadline
// newly at risk (past Targets.WarnAt of its time) is recorded in the
// history and emits EventAtRisk, each newly breached one likewise emits
// EventBreach (once per deadline), and the escalation rules move
// complaints up the ladder. A complaint waiting on the customer is not
// breached on its resolution while it waits.
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
		var breaches, escalated, warned int
		_, err := s.change(ctx, id, Input{By: sweepBy}, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
			breaches, escalated, warned = 0, 0, 0
			var evs []cxkit.Event
			for _, d := range s.Deadlines(c, now) {
				if d.State == DeadlineStateAtRisk && !c.Warned[d.Name] {
					if c.Warned == nil {
						c.Warned = map[Deadline]bool{}
					}
					c.Warned[d.Name] = true
					warned++
					c.History = append(c.History, cxkit.HistoryEntry{At: now, By: sweepBy, Action: "at-risk", From: string(c.Status), To: string(c.Status),
						What: fmt.Sprintf("%s deadline %s at risk: %.0f%% of the time used", d.Name, d.Due.Format(time.RFC3339), 100*d.Used)})
					evs = append(evs, event(EventAtRisk, c, sweepBy, "", "deadline", string(d.Name), "due", store.TimeKey(d.Due), "owner", ownerOf(c)))
				}
				if d.State != DeadlineStateBreached || c.Breached[d.Name] {
					continue
				}
				if c.Breached == nil {
					c.Breached = map[Deadline]bool{}
				}
				c.Breached[d.Name] = true
				breaches++
				c.History = append(c.History, cxkit.HistoryEntry{At: now, By: sweepBy, Action: "breach", From: string(c.Status), To: string(c.Status), What: string(d.Name) + " deadline " + d.Due.Format(time.RFC3339) + " passed"})
				evs = append(evs, event(EventBreach, c, sweepBy, "", "deadline", string(d.Name), "due", store.TimeKey(d.Due), "owner", ownerOf(c)))
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
		rep.AtRisk += warned
	}
	return rep, nil
}

func (s *Service) needsSweep(c *Complaint, now time.Time) bool {
	for _, d := range s.deadlines(c) {
		if !d.done.IsZero() || s.paused(c, d) {
			continue
		}
		if now.After(d.due) && !c.Breached[d.name] {
			return true
		}
		if !c.Warned[d.name] && !c.Breached[d.name] && s.state(d, now, c).State == DeadlineStateAtRisk {
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
		if !d.done.IsZero() || !now.After(d.due) || s.paused(c, d) {
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
