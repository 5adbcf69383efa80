package strategy

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
)

// A Manager runs strategies through their life on a Repository: it
// validates before every write, records every change in the strategy's
// history, reviews strategies against the organisation's declarations, and
// measures targets from the caller's Sources. It holds no mutable state of
// its own and is safe for concurrent use if its repository is.
type Manager struct {
	repo    Repository
	org     Organisation
	sources Sources
	now     func() time.Time
	th      Thresholds
}

// A ManagerOption configures a Manager.
type ManagerOption func(*Manager)

// WithClock makes the manager read the time from now instead of time.Now.
func WithClock(now func() time.Time) ManagerOption { return func(m *Manager) { m.now = now } }

// WithSources gives the manager the measurement sources targets name.
func WithSources(ss Sources) ManagerOption { return func(m *Manager) { m.sources = ss } }

// WithThresholds replaces DefaultThresholds for status reports.
func WithThresholds(th Thresholds) ManagerOption { return func(m *Manager) { m.th = th } }

// NewManager returns a Manager for org's strategies in repo. It fails if org
// or the thresholds are invalid.
func NewManager(repo Repository, org Organisation, opts ...ManagerOption) (*Manager, error) {
	m := &Manager{repo: repo, org: org, now: time.Now, th: DefaultThresholds}
	for _, o := range opts {
		o(m)
	}
	if err := org.Validate(); err != nil {
		return nil, err
	}
	if err := m.th.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Organisation returns the declarations the manager checks against.
func (m *Manager) Organisation() Organisation { return m.org }

// Create validates s and stores it as a new draft, recording who created it.
func (m *Manager) Create(ctx context.Context, s Strategy, by string) (Strategy, error) {
	if err := checkBy(by); err != nil {
		return Strategy{}, err
	}
	if s.Stage != "" && s.Stage != Draft {
		return Strategy{}, invalidf("strategy.stage", "must be draft for a new strategy, got %q", s.Stage)
	}
	s.Stage = Draft
	if err := s.Validate(); err != nil {
		return Strategy{}, err
	}
	what := "created"
	if s.Origin != nil {
		what = fmt.Sprintf("drafted from %s %s", s.Origin.Kind, s.Origin.Ref)
	}
	s.History = append(s.History, Event{At: m.now(), By: by, What: what})
	return m.repo.Create(ctx, s)
}

// Get returns the stored strategy.
func (m *Manager) Get(ctx context.Context, id string) (Strategy, error) { return m.repo.Get(ctx, id) }

// Revise applies fn to the stored strategy and writes it back if the result
// is valid, recording who changed it and why. If fn or validation fails,
// nothing is written. Stage, history and check-ins are the manager's to
// change: fn's edits to them are refused.
func (m *Manager) Revise(ctx context.Context, id, by, why string, fn func(*Strategy) error) (Strategy, error) {
	if err := checkBy(by); err != nil {
		return Strategy{}, err
	}
	return m.repo.Mutate(ctx, id, func(s *Strategy) error {
		if !s.Stage.Open() {
			return invalidf("strategy.stage", "must be draft or approved to revise, got %q", s.Stage)
		}
		stage, hist, checkIns := s.Stage, len(s.History), checkInsByTarget(s)
		if err := fn(s); err != nil {
			return err
		}
		if s.Stage != stage {
			return invalidf("strategy.stage", "changes through Move, not Revise")
		}
		if len(s.History) != hist {
			return invalidf("strategy.history", "is written by the manager, not by Revise")
		}
		if err := sameCheckIns(checkIns, s); err != nil {
			return err
		}
		if err := s.Validate(); err != nil {
			return err
		}
		s.History = append(s.History, Event{At: m.now(), By: by, What: "revised", Why: why})
		return nil
	})
}

// checkInsByTarget snapshots the check-ins of each target, by target ID.
func checkInsByTarget(s *Strategy) map[string][]CheckIn {
	m := make(map[string][]CheckIn, len(s.Targets))
	for _, t := range s.Targets {
		cs := slices.Clone(t.CheckIns)
		for i := range cs {
			cs[i].Evidence = slices.Clone(cs[i].Evidence)
		}
		m[t.ID] = cs
	}
	return m
}

// sameCheckIns refuses a revision that edits, adds or drops check-ins: they
// are the record of what was measured, and only CheckIn appends to it.
func sameCheckIns(before map[string][]CheckIn, s *Strategy) error {
	seen := map[string]bool{}
	for i, t := range s.Targets {
		seen[t.ID] = true
		if len(before[t.ID]) == 0 && len(t.CheckIns) == 0 {
			continue
		}
		if !reflect.DeepEqual(before[t.ID], t.CheckIns) {
			return invalidf(fmt.Sprintf("strategy.targets[%d].check_ins", i), "are recorded through CheckIn, not Revise")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(before)) {
		if n := len(before[id]); !seen[id] && n > 0 {
			return invalidf("strategy.targets", "must keep target %q: it has %d check-ins, and removing it would lose them", id, n)
		}
	}
	return nil
}

// Check reviews the stored strategy against SMART and the organisation's
// requirements, with the approved and completed strategies (other than this
// one) as the budget already committed: a completed strategy spent its
// money in its periods too.
//
// It reads every approved and completed strategy, so its cost grows
// linearly with them (about 40 µs each on store/memory, mostly decoding;
// see Performance in the package documentation). That stays small for the
// tens of strategies a customer-service team runs at a time; the store
// indexes one value per attribute, and a strategy's budget lines can fall
// in several periods (named explicitly or by its start), so an index by
// period would need one attribute per period and is not worth it yet.
func (m *Manager) Check(ctx context.Context, id string) (Review, error) {
	s, err := m.repo.Get(ctx, id)
	if err != nil {
		return Review{}, err
	}
	return m.check(ctx, &s)
}

func (m *Manager) check(ctx context.Context, s *Strategy) (Review, error) {
	var committed []*Strategy
	for o, err := range m.repo.List(ctx, store.WhereIn("stage", string(Approved), string(Completed))) {
		if err != nil {
			return Review{}, err
		}
		if o.ID != s.ID {
			committed = append(committed, &o)
		}
	}
	return Check(s, m.org, CheckOptions{Sources: m.sources, Committed: committed})
}

// A NotSMARTError is the refusal to approve a strategy that fails its SMART
// review; Failed are the findings not met. It matches ErrInvalid.
type NotSMARTError struct{ Failed []Finding }

// Error lists the findings not met.
func (e *NotSMARTError) Error() string {
	ss := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		ss[i] = f.String()
	}
	return "strategy: not SMART yet: " + strings.Join(ss, "; ")
}

// Is makes a NotSMARTError match ErrInvalid.
func (e *NotSMARTError) Is(target error) bool { return target == ErrInvalid }

// Move changes the strategy's stage along the allowed transitions. Approving
// requires a clean SMART review (budget checked against the strategies
// already approved); otherwise Move returns a *NotSMARTError and changes
// nothing.
func (m *Manager) Move(ctx context.Context, id string, to Stage, by, why string) (Strategy, error) {
	if err := checkBy(by); err != nil {
		return Strategy{}, err
	}
	s, err := m.repo.Get(ctx, id)
	if err != nil {
		return Strategy{}, err
	}
	if to == Approved {
		// Review before the write, outside Mutate: the review reads other
		// strategies and must not run inside a retry loop.
		r, err := m.check(ctx, &s)
		if err != nil {
			return Strategy{}, err
		}
		if !r.OK() {
			return Strategy{}, &NotSMARTError{Failed: r.Failed()}
		}
	}
	return m.repo.Mutate(ctx, id, func(cur *Strategy) error {
		if cur.Version != s.Version && to == Approved {
			// Changed since the review: the review no longer holds.
			return fmt.Errorf("strategy %s changed during approval: %w", id, store.ErrConflict)
		}
		from := cur.Stage
		if from == "" {
			from = Draft
		}
		if !CanMove(from, to) {
			return invalidf("strategy.stage", "cannot move from %s to %s", from, to)
		}
		cur.Stage = to
		cur.History = append(cur.History, Event{At: m.now(), By: by, What: fmt.Sprintf("moved from %s to %s", from, to), Why: why})
		return nil
	})
}

// CheckIn records a reading of one target. A zero At means now; a reading
// may not predate the target's previous one, so the history stays in time
// order.
func (m *Manager) CheckIn(ctx context.Context, id, targetID string, c CheckIn) (Strategy, error) {
	if c.At.IsZero() {
		c.At = m.now()
	}
	if err := c.validate("check_in"); err != nil {
		return Strategy{}, err
	}
	if err := checkBy(c.By); err != nil {
		return Strategy{}, err
	}
	return m.repo.Mutate(ctx, id, func(s *Strategy) error {
		if !s.Stage.Open() {
			return invalidf("strategy.stage", "must be draft or approved to check in, got %q", s.Stage)
		}
		t, err := s.Target(targetID)
		if err != nil {
			return err
		}
		if n := len(t.CheckIns); n > 0 && c.At.Before(t.CheckIns[n-1].At) {
			return invalidf("check_in.at", "must not be before the previous check-in (%s), got %s",
				t.CheckIns[n-1].At.Format(time.RFC3339), c.At.Format(time.RFC3339))
		}
		t.CheckIns = append(t.CheckIns, c)
		s.History = append(s.History, Event{At: m.now(), By: c.By,
			What: fmt.Sprintf("checked in %s at %s %s (%s confidence)", t.ID, num(c.Value), t.Unit, c.Confidence), Why: c.Note})
		return nil
	})
}

// MeasureCheckIn measures the target's current value from its source and
// records it as a check-in with the source, metric and window as evidence.
// The window is as long as the baseline's and ends now, but does not reach
// back before the strategy's start: a count over a window cut short is
// scaled to the baseline's length (see Sources.MeasureTargetSince).
func (m *Manager) MeasureCheckIn(ctx context.Context, id, targetID, by string, conf Confidence, note string) (Strategy, error) {
	// Refuse bad input before asking a source to compute anything.
	if err := checkBy(by); err != nil {
		return Strategy{}, err
	}
	if err := (CheckIn{At: m.now(), Confidence: conf}).validate("check_in"); err != nil {
		return Strategy{}, err
	}
	s, err := m.repo.Get(ctx, id)
	if err != nil {
		return Strategy{}, err
	}
	t, err := s.Target(targetID)
	if err != nil {
		return Strategy{}, err
	}
	now := m.now()
	ms, err := m.sources.MeasureTargetSince(ctx, t, s.Start, now)
	if err != nil {
		return Strategy{}, err
	}
	return m.CheckIn(ctx, id, targetID, CheckIn{At: now, Value: ms.Value, Confidence: conf, Note: note, By: by,
		Evidence: ms.Evidence(t)})
}

// Evidence is the evidence line of a measured value: where and over which
// window it was computed.
func Evidence(source, metric string, from, to time.Time) string {
	return fmt.Sprintf("%s: %s over [%s, %s)", source, metric, from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
}

// Status reports the stored strategy's progress against its timeline now.
func (m *Manager) Status(ctx context.Context, id string) (Report, error) {
	s, err := m.repo.Get(ctx, id)
	if err != nil {
		return Report{}, err
	}
	return s.StatusAt(m.now(), m.th), nil
}

func checkBy(by string) error {
	if strings.TrimSpace(by) == "" {
		return invalidf("by", "must name who makes the change, for the history")
	}
	return nil
}
