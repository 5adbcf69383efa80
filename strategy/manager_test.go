package strategy_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func newManager(t *testing.T, sources strategy.Sources) (*strategy.Manager, *clock, strategy.Repository) {
	t.Helper()
	clk := &clock{t: date(2027, 1, 4)}
	repo := strategy.NewRepository(memory.New(), store.WithClock(clk.now))
	m, err := strategy.NewManager(repo, testOrg(), strategy.WithClock(clk.now), strategy.WithSources(sources))
	if err != nil {
		t.Fatal(err)
	}
	return m, clk, repo
}

func TestManagerCreateAndRevise(t *testing.T) {
	ctx := context.Background()
	m, clk, _ := newManager(t, nil)
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	if s.ID == "" || s.Version != 1 || s.Stage != strategy.Draft {
		t.Fatalf("created %+v, want an ID, version 1, draft", s.Meta)
	}
	clk.set(date(2027, 1, 5))
	s2, err := m.Revise(ctx, s.ID, "sam", "owner on leave", func(s *strategy.Strategy) error {
		s.Owner = "Sam Ortiz"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s2.Owner != "Sam Ortiz" || s2.Version != 2 {
		t.Errorf("revised owner %q version %d, want Sam Ortiz version 2", s2.Owner, s2.Version)
	}
	want := []strategy.Event{
		{At: date(2027, 1, 4), By: "dana", What: "created"},
		{At: date(2027, 1, 5), By: "sam", What: "revised", Why: "owner on leave"},
	}
	if len(s2.History) != 2 || s2.History[0] != want[0] || s2.History[1] != want[1] {
		t.Errorf("history = %+v, want %+v", s2.History, want)
	}
}

// TestManagerBadInputChangesNothing: every refused write leaves the stored
// strategy as it was.
func TestManagerBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	m, _, repo := newManager(t, nil)
	bad := testStrategy()
	bad.Targets[0].Goal = bad.Targets[0].Baseline
	if _, err := m.Create(ctx, bad, "dana"); !errors.Is(err, strategy.ErrInvalid) {
		t.Fatalf("Create(goal == baseline) = %v, want ErrInvalid", err)
	}
	n := 0
	for _, err := range repo.List(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 0 {
		t.Fatalf("%d strategies stored after a refused create, want 0", n)
	}
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	if s, err = m.CheckIn(ctx, s.ID, "T1", strategy.CheckIn{Value: 35, Confidence: strategy.ConfidenceLow, By: "dana"}); err != nil {
		t.Fatal(err)
	}
	refusals := []struct {
		name string
		do   func() error
	}{
		{"revise to deadline before start", func() error {
			_, err := m.Revise(ctx, s.ID, "dana", "", func(s *strategy.Strategy) error { s.Deadline = s.Start.AddDate(0, 0, -7); return nil })
			return err
		}},
		{"revise to negative money", func() error {
			_, err := m.Revise(ctx, s.ID, "dana", "", func(s *strategy.Strategy) error { s.Budget[0].Amount = aud(-1); return nil })
			return err
		}},
		{"revise that sneaks in a check-in", func() error {
			_, err := m.Revise(ctx, s.ID, "dana", "", func(s *strategy.Strategy) error {
				s.Targets[0].CheckIns = append(s.Targets[0].CheckIns, strategy.CheckIn{At: date(2027, 1, 5), Value: 1, Confidence: strategy.ConfidenceHigh})
				return nil
			})
			return err
		}},
		{"revise that removes a target with check-ins", func() error {
			_, err := m.Revise(ctx, s.ID, "dana", "", func(s *strategy.Strategy) error { s.Targets = s.Targets[1:]; return nil })
			if err == nil || !strings.Contains(err.Error(), `must keep target "T1": it has 1 check-ins`) {
				t.Errorf("removing a target with check-ins: %v, want the keep-target rule", err)
			}
			return err
		}},
		{"revise that edits a check-in", func() error {
			_, err := m.Revise(ctx, s.ID, "dana", "", func(s *strategy.Strategy) error { s.Targets[0].CheckIns[0].Value = 1; return nil })
			return err
		}},
		{"revise that changes the stage", func() error {
			_, err := m.Revise(ctx, s.ID, "dana", "", func(s *strategy.Strategy) error { s.Stage = strategy.Approved; return nil })
			return err
		}},
		{"revise without a name", func() error {
			_, err := m.Revise(ctx, s.ID, "", "", func(*strategy.Strategy) error { return nil })
			return err
		}},
		{"check-in without confidence", func() error {
			_, err := m.CheckIn(ctx, s.ID, "T1", strategy.CheckIn{Value: 30, By: "dana"})
			return err
		}},
		{"check-in of an unknown target", func() error {
			_, err := m.CheckIn(ctx, s.ID, "T9", strategy.CheckIn{Value: 30, Confidence: strategy.ConfidenceLow, By: "dana"})
			return err
		}},
	}
	for _, r := range refusals {
		if err := r.do(); err == nil {
			t.Errorf("%s: no error", r.name)
		}
		got, err := m.Get(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != s.Version {
			t.Errorf("%s: version %d after a refused write, want %d", r.name, got.Version, s.Version)
		}
	}
}

func TestManagerCheckInsKeepHistoryInOrder(t *testing.T) {
	ctx := context.Background()
	m, clk, _ := newManager(t, nil)
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	clk.set(date(2027, 2, 1))
	if _, err := m.CheckIn(ctx, s.ID, "T1", strategy.CheckIn{Value: 31, Confidence: strategy.ConfidenceMedium, By: "dana", Note: "cut-off moved"}); err != nil {
		t.Fatal(err)
	}
	_, err = m.CheckIn(ctx, s.ID, "T1", strategy.CheckIn{At: date(2027, 1, 20), Value: 35, Confidence: strategy.ConfidenceLow, By: "dana"})
	if !errors.Is(err, strategy.ErrInvalid) || !strings.Contains(err.Error(), "check_in.at: must not be before the previous check-in") {
		t.Errorf("back-dated check-in: %v, want the ordering rule", err)
	}
	clk.set(date(2027, 2, 15))
	got, err := m.CheckIn(ctx, s.ID, "T1", strategy.CheckIn{Value: 22, Confidence: strategy.ConfidenceHigh, By: "dana", Evidence: []string{"weekly report 7"}})
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := got.Target("T1")
	if len(tg.CheckIns) != 2 || tg.CheckIns[0].Value != 31 || tg.CheckIns[1].Value != 22 || !tg.CheckIns[1].At.Equal(date(2027, 2, 15)) {
		t.Errorf("check-ins = %+v", tg.CheckIns)
	}
	if tg.Current() != 22 || tg.Progress() != 0.6 {
		t.Errorf("current %g progress %g, want 22 and 0.6", tg.Current(), tg.Progress())
	}
	if last := got.History[len(got.History)-1]; !strings.Contains(last.What, "checked in T1 at 22 complaints (high confidence)") {
		t.Errorf("last history entry %+v", last)
	}
	rep, err := m.Status(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Progress (2*0.6 + 0)/3 = 0.4; 42 of 175 days gone = 0.24: on track.
	if rep.Status != strategy.OnTrack || rep.Progress < 0.399 || rep.Progress > 0.401 {
		t.Errorf("status %v, want on track at 40%%", rep)
	}
}

func TestManagerMeasureCheckIn(t *testing.T) {
	ctx := context.Background()
	src := &stubSource{values: map[string]float64{"count:category=late-delivery": 28, "csat": 76}}
	m, clk, _ := newManager(t, strategy.Sources{"complaints": src, "feedback": src})
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	// 56 days after the start, the 91-day window would reach back into
	// the baseline quarter: it is cut to the start and the count scaled up
	// to 91 days (28 * 91 / 56 = 45.5).
	clk.set(date(2027, 3, 1))
	got, err := m.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceMedium, "measured")
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := got.Target("T1")
	c := tg.CheckIns[0]
	if c.Value != 45.5 || !c.At.Equal(date(2027, 3, 1)) || len(c.Evidence) != 2 ||
		c.Evidence[0] != strategy.Evidence("complaints", "count:category=late-delivery", s.Start, date(2027, 3, 1)) ||
		c.Evidence[1] != "count scaled by 1.625 from 56 to the baseline window's 91 days" {
		t.Errorf("check-in = %+v", c)
	}
	if len(src.asked) != 1 || !src.asked[0].from.Equal(s.Start) {
		t.Errorf("source asked %+v, want one call from the start %s", src.asked, s.Start)
	}
	// Far enough in, the whole window lies inside the strategy's run:
	// nothing is cut or scaled.
	clk.set(date(2027, 6, 1))
	got, err = m.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceHigh, "")
	if err != nil {
		t.Fatal(err)
	}
	tg, _ = got.Target("T1")
	from := date(2027, 6, 1).Add(-tg.Window())
	if c := tg.CheckIns[1]; c.Value != 28 || len(c.Evidence) != 1 || !src.asked[1].from.Equal(from) {
		t.Errorf("check-in = %+v, source asked from %s; want 28 over the 91 days from %s", c, src.asked[1].from, from)
	}
	// A target without a baseline window is measured over DefaultWindow.
	clk.set(date(2027, 6, 2))
	if got, err = m.MeasureCheckIn(ctx, s.ID, "T2", "dana", strategy.ConfidenceHigh, ""); err != nil {
		t.Fatal(err)
	}
	if tg, _ := got.Target("T2"); tg.CheckIns[0].Value != 76 {
		t.Errorf("csat check-in = %+v, want 76", tg.CheckIns[0])
	}
	asked := len(src.asked)
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T1", "", strategy.ConfidenceMedium, ""); !errors.Is(err, strategy.ErrInvalid) {
		t.Errorf("no name: %v, want ErrInvalid", err)
	}
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T1", "dana", "certain", ""); !errors.Is(err, strategy.ErrInvalid) || !strings.Contains(err.Error(), "check_in.confidence") {
		t.Errorf("bad confidence: %v, want the confidence rule", err)
	}
	if len(src.asked) != asked {
		t.Errorf("bad input reached the source: %d calls, want %d", len(src.asked), asked)
	}
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T9", "dana", strategy.ConfidenceMedium, ""); !errors.Is(err, strategy.ErrUnknownTarget) {
		t.Errorf("unknown target: %v", err)
	}
	delete(src.values, "csat")
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T2", "dana", strategy.ConfidenceMedium, ""); !errors.Is(err, errStubUnknown) {
		t.Errorf("source error: %v, want it passed through", err)
	}
}

func TestManagerApproveNeedsSMART(t *testing.T) {
	ctx := context.Background()
	m, _, repo := newManager(t, nil)
	thin := testStrategy()
	thin.Owner, thin.Goals = "", nil
	s, err := m.Create(ctx, thin, "dana")
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Move(ctx, s.ID, strategy.Approved, "board", "")
	var ns *strategy.NotSMARTError
	if !errors.As(err, &ns) || len(ns.Failed) != 2 || !errors.Is(err, strategy.ErrInvalid) {
		t.Fatalf("approve a strategy with no owner and no goal: %v, want a NotSMARTError with 2 findings", err)
	}
	if _, err := m.Revise(ctx, s.ID, "dana", "SMART review", func(s *strategy.Strategy) error {
		s.Owner, s.Goals = "Dana Lee", []string{"G1"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	a, err := m.Move(ctx, s.ID, strategy.Approved, "board", "fits the Q1 budget")
	if err != nil {
		t.Fatal(err)
	}
	if a.Stage != strategy.Approved {
		t.Errorf("stage %q, want approved", a.Stage)
	}
	// A second, identical strategy now competes with the approved one for
	// the project budget.
	big := testStrategy()
	big.Budget[0].Amount = aud(1900000)
	b, err := m.Create(ctx, big, "dana")
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Check(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f := r.Of(strategy.Achievable)[0]; f.Met || !strings.Contains(f.Reason, "project budget in 2027-Q1: needs AUD 25900.00") {
		t.Errorf("achievable = %+v, want the approved strategy's AUD 5700 counted", f)
	}
	if _, err := m.Move(ctx, a.ID, strategy.Completed, "dana", "done"); err != nil {
		t.Fatal(err)
	}
	// A completed strategy spent its money: it still counts.
	if r, err = m.Check(ctx, b.ID); err != nil || !strings.Contains(r.Of(strategy.Achievable)[0].Reason, "needs AUD 25900.00") {
		t.Errorf("after completion: %v, %+v; want the completed strategy's money still counted", err, r.Of(strategy.Achievable))
	}
	if _, err := m.Move(ctx, a.ID, strategy.Approved, "dana", ""); !errors.Is(err, strategy.ErrInvalid) {
		t.Errorf("completed -> approved: %v, want refused", err)
	}
	if _, err := m.Revise(ctx, a.ID, "dana", "", func(*strategy.Strategy) error { return nil }); !errors.Is(err, strategy.ErrInvalid) {
		t.Errorf("revise a completed strategy: %v, want refused", err)
	}
	n := 0
	for s, err := range repo.List(ctx, store.Where("stage", string(strategy.Completed))) {
		if err != nil {
			t.Fatal(err)
		}
		if s.ID != a.ID {
			t.Errorf("listed %s as completed", s.ID)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d completed strategies listed, want 1", n)
	}
}

// TestManagerConcurrentCheckIns: check-ins racing on one strategy all land,
// through Mutate's retry on version conflicts.
func TestManagerConcurrentCheckIns(t *testing.T) {
	ctx := context.Background()
	m, _, _ := newManager(t, nil)
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := m.CheckIn(ctx, s.ID, "T2", strategy.CheckIn{At: date(2027, 1, 4), Value: float64(70 + i), Confidence: strategy.ConfidenceLow, By: "team"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got, _ := m.Get(ctx, s.ID)
	if tg, _ := got.Target("T2"); len(tg.CheckIns) != n || got.Version != 1+n {
		t.Errorf("%d check-ins at version %d, want %d at %d", len(tg.CheckIns), got.Version, n, 1+n)
	}
}

func TestNewManagerRejectsBadDeclarations(t *testing.T) {
	org := testOrg()
	org.Periods[1].From = date(2027, 3, 1) // overlaps Q1
	if _, err := strategy.NewManager(strategy.NewRepository(memory.New()), org); !errors.Is(err, strategy.ErrInvalid) {
		t.Errorf("overlapping periods: %v, want ErrInvalid", err)
	}
	if _, err := strategy.NewManager(strategy.NewRepository(memory.New()), testOrg(),
		strategy.WithThresholds(strategy.Thresholds{OnTrack: 0.5, AtRisk: 0.1})); !errors.Is(err, strategy.ErrInvalid) {
		t.Errorf("bad thresholds: %v, want ErrInvalid", err)
	}
}
