package strategy

import (
	"context"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/service"
	"github.com/cxkit/cxkit/store"
)

// Kind is the store kind strategies are kept under.
const Kind = "strategy"

// A Service runs strategies through their life: it validates before every
// write, records every change in the strategy's history, reviews
// strategies against the organisation's Config, measures targets from the
// sources wired with WithSource, and tells the host what happened through
// events. It is safe for concurrent use if its driver is.
type Service struct {
	set     service.Settings
	cfg     Config
	sources sources
	c       *store.Collection[Strategy]
}

// An Option sets how the program runs the Service (clock, logger, retries,
// IDs, event handlers, measurement sources), as opposed to what the
// organisation decides, which is in Config.
type Option func(*options)

type options struct {
	service.Settings
	sources sources
}

// WithClock makes the service read the time from now instead of time.Now,
// in every layer down to the store, so every time rule can be tested.
func WithClock(now func() time.Time) Option { return func(o *options) { o.Now = now } }

// WithLogger sends the service's logs (failed event deliveries) to l
// instead of slog.Default().
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.Logger = l } }

// WithRetryAttempts sets how often a read-modify-write is tried when
// another writer got there first (store.DefaultRetryAttempts by default).
func WithRetryAttempts(n int) Option { return func(o *options) { o.RetryAttempts = n } }

// WithEntropy makes record IDs draw their random part from r, for
// reproducible IDs in tests.
func WithEntropy(r io.Reader) Option { return func(o *options) { o.Entropy = r } }

// WithEventHandler delivers the service's events to h after each change is
// stored; it may be given several times.
func WithEventHandler(h cxkit.EventHandler) Option {
	return func(o *options) { o.Handlers = append(o.Handlers, h) }
}

// WithSource wires a measurement source under the name targets use in
// their Source ("complaints", "feedback"). complaints.Service and
// feedback.Service are sources; SourceFunc adapts a function. A target
// naming a source that was not wired fails the SMART review.
func WithSource(name string, src cxkit.MeasurementSource) Option {
	return func(o *options) {
		if o.sources == nil {
			o.sources = sources{}
		}
		o.sources[name] = src
	}
}

// New returns a Service keeping strategies in d and checking them against
// cfg. A nil driver, an invalid cfg or a source wired under an empty or
// reserved name is a *cxkit.ValidationError.
func New(d store.Driver, cfg Config, opts ...Option) (*Service, error) {
	if d == nil {
		return nil, invalidf("driver", "must not be nil")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	for name, src := range o.sources {
		switch {
		case strings.TrimSpace(name) == "" || name == SourceManual:
			return nil, invalidf("source", "must be wired under a name other than %q and the empty name, got %q", SourceManual, name)
		case src == nil:
			return nil, invalidf("source "+name, "must not be nil")
		}
	}
	o.Defaults()
	cfg.Thresholds = cfg.thresholds()
	return &Service{set: o.Settings, cfg: cfg, sources: o.sources,
		c: store.NewCollection(d, Kind, index, o.CollectionOptions()...)}, nil
}

func index(s *Strategy) map[string]string {
	m := map[string]string{"stage": string(cmpStage(s.Stage))}
	if s.Owner != "" {
		m["owner"] = s.Owner
	}
	if !s.Deadline.IsZero() {
		m["deadline"] = store.TimeKey(s.Deadline)
	}
	if s.Origin != nil {
		m["origin"] = s.Origin.Kind
	}
	return m
}

func cmpStage(st Stage) Stage {
	if st == "" {
		return StageDraft
	}
	return st
}

// Config returns the declarations the service checks against, with
// DefaultThresholds filled in when none were given.
func (s *Service) Config() Config { return s.cfg }

// Create validates st and stores it as a new draft, recording who created it.
func (s *Service) Create(ctx context.Context, st Strategy, by string) (Strategy, error) {
	if err := checkBy(by); err != nil {
		return Strategy{}, err
	}
	if err := s.prepare(&st, by, "created"); err != nil {
		return Strategy{}, err
	}
	out, err := s.c.Create(ctx, st)
	if err == nil {
		s.set.Emit(ctx, cxkit.Event{Type: EventCreated, Subject: out.ID, By: by, To: string(StageDraft), Note: out.Title})
	}
	return out, err
}

// prepare makes st a valid new draft with its first history entry.
func (s *Service) prepare(st *Strategy, by, action string) error {
	if st.Stage != "" && st.Stage != StageDraft {
		return invalidf("strategy.stage", "must be draft for a new strategy, got %q", st.Stage)
	}
	st.Stage = StageDraft
	if err := st.Validate(); err != nil {
		return err
	}
	what := action
	if st.Origin != nil {
		what = "drafted from " + originWords(st.Origin.Kind)
	}
	st.History = append(slices.Clip(st.History), cxkit.HistoryEntry{At: s.set.Now(), By: by, Action: action, What: what, To: string(StageDraft)})
	return nil
}

// Get returns the stored strategy.
func (s *Service) Get(ctx context.Context, id string) (Strategy, error) { return s.c.Get(ctx, id) }

// A Filter selects strategies; empty fields match everything.
type Filter struct {
	Stage Stage
	Owner string
	// Origin is OriginAction or OriginCategory.
	Origin string
	// DeadlineFrom and DeadlineTo select deadlines in [DeadlineFrom,
	// DeadlineTo); either may be zero.
	DeadlineFrom, DeadlineTo time.Time
}

// List streams the strategies matching f, oldest first.
func (s *Service) List(ctx context.Context, f Filter) iter.Seq2[Strategy, error] {
	var fs []store.Filter
	for _, kv := range [][2]string{{"stage", string(f.Stage)}, {"owner", f.Owner}, {"origin", f.Origin}} {
		if kv[1] != "" {
			fs = append(fs, store.Where(kv[0], kv[1]))
		}
	}
	if !f.DeadlineFrom.IsZero() {
		fs = append(fs, store.Filter{Attr: "deadline", Op: store.OpGte, Values: []string{store.TimeKey(f.DeadlineFrom)}})
	}
	if !f.DeadlineTo.IsZero() {
		fs = append(fs, store.Filter{Attr: "deadline", Op: store.OpLt, Values: []string{store.TimeKey(f.DeadlineTo)}})
	}
	return s.c.All(ctx, store.Query{Filters: fs})
}

// Revise applies fn to the stored strategy and writes it back if the result
// is valid, recording who changed it and why. If fn or validation fails,
// nothing is written. Stage, history, check-ins and staff input are the
// service's to change: fn's edits to them are refused.
func (s *Service) Revise(ctx context.Context, id, by, why string, fn func(*Strategy) error) (Strategy, error) {
	if err := checkBy(by); err != nil {
		return Strategy{}, err
	}
	out, err := s.c.Mutate(ctx, id, func(st *Strategy) error {
		if !st.Stage.Open() {
			return invalidf("strategy.stage", "must be draft or approved to revise, got %q", st.Stage)
		}
		stage, hist, input, checkIns := st.Stage, len(st.History), len(st.Input), checkInsByTarget(st)
		if err := fn(st); err != nil {
			return err
		}
		switch {
		case st.Stage != stage:
			return invalidf("strategy.stage", "changes through Move, not Revise")
		case len(st.History) != hist:
			return invalidf("strategy.history", "is written by the service, not by Revise")
		case len(st.Input) != input:
			return invalidf("strategy.input", "is given through AddInput, not Revise")
		}
		if err := sameCheckIns(checkIns, st); err != nil {
			return err
		}
		if err := st.Validate(); err != nil {
			return err
		}
		st.History = append(st.History, cxkit.HistoryEntry{At: s.set.Now(), By: by, Action: "revised", What: "revised", Why: why})
		return nil
	})
	if err == nil {
		s.set.Emit(ctx, cxkit.Event{Type: EventRevised, Subject: out.ID, By: by, Note: why})
	}
	return out, err
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

// Check gives the SMART review of the stored strategy against the
// organisation's Config, the wired sources (each target's metric is
// measured over its baseline window and the windows before it) and, as the
// budget already committed, the approved and completed strategies other
// than this one: a completed strategy spent its money in its periods too.
//
// It reads every approved and completed strategy, so its cost grows
// linearly with them; see BENCHMARKS.md.
func (s *Service) Check(ctx context.Context, id string) (Review, error) {
	st, err := s.c.Get(ctx, id)
	if err != nil {
		return Review{}, err
	}
	return s.check(ctx, &st)
}

// CheckDraft reviews a strategy that is not stored (a draft being written,
// a strategy from another system) exactly as Check reviews a stored one.
func (s *Service) CheckDraft(ctx context.Context, st Strategy) (Review, error) {
	return s.check(ctx, &st)
}

func (s *Service) check(ctx context.Context, st *Strategy) (Review, error) {
	var committed []*Strategy
	for _, stage := range []Stage{StageApproved, StageCompleted} {
		for o, err := range s.List(ctx, Filter{Stage: stage}) {
			if err != nil {
				return Review{}, err
			}
			if o.ID != st.ID || st.ID == "" {
				committed = append(committed, &o)
			}
		}
	}
	return reviewer{cfg: s.cfg, sources: s.sources, committed: committed, now: s.set.Now()}.review(ctx, st)
}

// Move changes the strategy's stage along the allowed transitions (see
// CanMove). Approving requires a clean SMART review; otherwise Move returns
// a *cxkit.TransitionError whose Reason lists the findings not met, and
// changes nothing.
func (s *Service) Move(ctx context.Context, id string, to Stage, by, why string) (Strategy, error) {
	if err := checkBy(by); err != nil {
		return Strategy{}, err
	}
	if !slices.Contains(Stages(), to) {
		return Strategy{}, invalidf("stage", "must be one of draft, approved, completed, abandoned, got %q", to)
	}
	st, err := s.c.Get(ctx, id)
	if err != nil {
		return Strategy{}, err
	}
	if to == StageApproved && CanMove(st.Stage, to) {
		// Review before the write, outside Mutate: the review reads other
		// strategies and sources and must not run inside a retry loop.
		r, err := s.check(ctx, &st)
		if err != nil {
			return Strategy{}, err
		}
		if !r.OK() {
			failed := r.Failed()
			reasons := make([]string, len(failed))
			for i, f := range failed {
				reasons[i] = f.String()
			}
			return Strategy{}, &cxkit.TransitionError{ID: id, From: string(cmpStage(st.Stage)), Step: "approve",
				Reason: "not SMART yet: " + strings.Join(reasons, "; ")}
		}
	}
	var from Stage
	out, err := s.c.Mutate(ctx, id, func(cur *Strategy) error {
		if cur.Version != st.Version && to == StageApproved {
			// Changed since the review: the review no longer holds.
			return fmt.Errorf("strategy %s changed during approval: %w", id, store.ErrConflict)
		}
		from = cmpStage(cur.Stage)
		if !CanMove(from, to) {
			return &cxkit.TransitionError{ID: id, From: string(from), Step: string(to)}
		}
		cur.Stage = to
		cur.History = append(cur.History, cxkit.HistoryEntry{At: s.set.Now(), By: by, Action: string(to),
			What: fmt.Sprintf("moved from %s to %s", from, to), Why: why, From: string(from), To: string(to)})
		return nil
	})
	if err == nil {
		s.set.Emit(ctx, cxkit.Event{Type: stageEvent(from, to), Subject: id, By: by, From: string(from), To: string(to), Note: why})
	}
	return out, err
}

// CheckIn records a reading of one target. A zero At means now; a reading
// may not lie in the future, nor predate the target's previous one, so the
// history stays in time order. A reading taken before one full measurement
// window has passed since the start is kept but not counted (see
// Target.ValueAt). After the reading, if the strategy reads off track, an
// EventOffTrack follows the EventCheckedIn.
func (s *Service) CheckIn(ctx context.Context, id, targetID string, c CheckIn) (Strategy, error) {
	now := s.set.Now()
	if c.At.IsZero() {
		c.At = now
	}
	if err := c.validate("check_in"); err != nil {
		return Strategy{}, err
	}
	if c.At.After(now) {
		return Strategy{}, invalidf("check_in.at", "must not be in the future (now is %s), got %s", now.UTC().Format(time.RFC3339), c.At.UTC().Format(time.RFC3339))
	}
	if err := checkBy(c.By); err != nil {
		return Strategy{}, err
	}
	var unit string
	out, err := s.c.Mutate(ctx, id, func(st *Strategy) error {
		if !st.Stage.Open() {
			return invalidf("strategy.stage", "must be draft or approved to check in, got %q", st.Stage)
		}
		t, err := st.Target(targetID)
		if err != nil {
			return err
		}
		if n := len(t.CheckIns); n > 0 && c.At.Before(t.CheckIns[n-1].At) {
			return invalidf("check_in.at", "must not be before the previous check-in (%s), got %s",
				t.CheckIns[n-1].At.Format(time.RFC3339), c.At.Format(time.RFC3339))
		}
		unit = t.Unit
		t.CheckIns = append(t.CheckIns, c)
		st.History = append(st.History, cxkit.HistoryEntry{At: now, By: c.By, Action: "checked-in",
			What: fmt.Sprintf("checked in %s at %s %s (%s confidence)", t.ID, num(c.Value), t.Unit, c.Confidence), Why: c.Note})
		return nil
	})
	if err != nil {
		return out, err
	}
	s.set.Emit(ctx, cxkit.Event{Type: EventCheckedIn, Subject: id, By: c.By, Note: c.Note,
		Attrs: map[string]string{"target": targetID, "value": num(c.Value), "unit": unit, "confidence": string(c.Confidence)}})
	if r := out.ReportAt(now, s.cfg.thresholds()); r.Standing == StandingOffTrack {
		s.set.Emit(ctx, cxkit.Event{Type: EventOffTrack, Subject: id, By: c.By, Note: r.String(),
			Attrs: map[string]string{"target": targetID}})
	}
	return out, nil
}

// MeasureCheckIn measures the target's current value from its source and
// records it as a check-in, with the source and the dates measured as
// evidence. The window is as long as the baseline's and ends now; before
// one full window has passed since the start it returns an error wrapping
// ErrTooEarly and records nothing, since a shorter window would not compare
// with the baseline.
func (s *Service) MeasureCheckIn(ctx context.Context, id, targetID, by string, conf Confidence, note string) (Strategy, error) {
	// Refuse bad input before asking a source to compute anything.
	if err := checkBy(by); err != nil {
		return Strategy{}, err
	}
	now := s.set.Now()
	if err := (CheckIn{At: now, Confidence: conf}).validate("check_in"); err != nil {
		return Strategy{}, err
	}
	st, err := s.c.Get(ctx, id)
	if err != nil {
		return Strategy{}, err
	}
	t, err := st.Target(targetID)
	if err != nil {
		return Strategy{}, err
	}
	v, from, err := s.sources.measureTarget(ctx, t, st.Start, now)
	if err != nil {
		return Strategy{}, err
	}
	return s.CheckIn(ctx, id, targetID, CheckIn{At: now, Value: v, Confidence: conf, Note: note, By: by,
		Evidence: []string{evidence(t, from, now)}})
}

// Report reports the stored strategy's progress against its timeline now
// (see Strategy.ReportAt).
func (s *Service) Report(ctx context.Context, id string) (Report, error) {
	st, err := s.c.Get(ctx, id)
	if err != nil {
		return Report{}, err
	}
	return st.ReportAt(s.set.Now(), s.cfg.thresholds()), nil
}

// AddInput records a staff member's comment, support or objection on the
// strategy, beside its approval: a proposal for senior management shows
// what staff said. A zero At means now.
func (s *Service) AddInput(ctx context.Context, id string, in Input) (Strategy, error) {
	now := s.set.Now()
	if in.At.IsZero() {
		in.At = now
	}
	if err := in.validate("input"); err != nil {
		return Strategy{}, err
	}
	if in.At.After(now) {
		return Strategy{}, invalidf("input.at", "must not be in the future")
	}
	out, err := s.c.Mutate(ctx, id, func(st *Strategy) error {
		if !st.Stage.Open() {
			return invalidf("strategy.stage", "must be draft or approved to take input, got %q", st.Stage)
		}
		st.Input = append(st.Input, in)
		st.History = append(st.History, cxkit.HistoryEntry{At: now, By: in.By, Action: "input", What: string(in.Kind), Why: in.Text})
		return nil
	})
	if err == nil {
		s.set.Emit(ctx, cxkit.Event{Type: EventInput, Subject: id, By: in.By, Note: in.Text, Attrs: map[string]string{"kind": string(in.Kind)}})
	}
	return out, err
}

func checkBy(by string) error {
	if strings.TrimSpace(by) == "" {
		return invalidf("by", "must name who makes the change, for the history")
	}
	return nil
}
