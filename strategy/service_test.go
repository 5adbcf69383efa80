package strategy_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

func TestManagerCreateAndRevise(t *testing.T) {
	ctx := context.Background()
	m, clk, _ := newService(t)
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	if s.ID == "" || s.Version != 1 || s.Stage != strategy.StageDraft {
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
	want := []cxkit.HistoryEntry{
		{At: date(2027, 1, 4), By: "dana", Action: "created", What: "created", To: "draft"},
		{At: date(2027, 1, 5), By: "sam", Action: "revised", What: "revised", Why: "owner on leave"},
	}
	if len(s2.History) != 2 || s2.History[0] != want[0] || s2.History[1] != want[1] {
		t.Errorf("history = %+v, want %+v", s2.History, want)
	}
}

// TestManagerBadInputChangesNothing: every refused write leaves the stored
// strategy as it was.
func TestManagerBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	m, _, _ := newService(t)
	bad := testStrategy()
	bad.Targets[0].Goal = bad.Targets[0].Baseline
	if _, err := m.Create(ctx, bad, "dana"); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Create(goal == baseline) = %v, want ErrInvalid", err)
	}
	n := 0
	for _, err := range m.List(ctx, strategy.Filter{}) {
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
			_, err := m.Revise(ctx, s.ID, "dana", "", func(s *strategy.Strategy) error { s.Stage = strategy.StageApproved; return nil })
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
	m, clk, _ := newService(t)
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	clk.set(date(2027, 2, 1))
	if _, err := m.CheckIn(ctx, s.ID, "T1", strategy.CheckIn{Value: 31, Confidence: strategy.ConfidenceMedium, By: "dana", Note: "cut-off moved"}); err != nil {
		t.Fatal(err)
	}
	_, err = m.CheckIn(ctx, s.ID, "T1", strategy.CheckIn{At: date(2027, 1, 20), Value: 35, Confidence: strategy.ConfidenceLow, By: "dana"})
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "check_in.at: must not be before the previous check-in") {
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
	rep, err := m.Report(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Progress (2*0.6 + 0)/3 = 0.4; 42 of 175 days gone = 0.24: on track.
	if rep.Standing != strategy.StandingOnTrack || rep.Progress < 0.399 || rep.Progress > 0.401 {
		t.Errorf("status %v, want on track at 40%%", rep)
	}
}

func TestServiceMeasureCheckIn(t *testing.T) {
	ctx := context.Background()
	m, clk, src := newService(t)
	s, err := m.Create(ctx, testStrategy(), "dana")
	if err != nil {
		t.Fatal(err)
	}
	// Issue 15: moments after the start the window would be microseconds
	// long. Nothing is scaled up from a part of a window: it is too early,
	// and nothing is recorded.
	clk.set(s.Start.Add(time.Second))
	asked := len(src.asked)
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceMedium, "measured"); !errors.Is(err, strategy.ErrTooEarly) ||
		!strings.Contains(err.Error(), "first reading is possible on 2027-02-01") {
		t.Fatalf("a second after the start: %v, want ErrTooEarly naming 2027-02-01", err)
	}
	if len(src.asked) != asked {
		t.Errorf("the source was asked %d times too early", len(src.asked)-asked)
	}
	// One full 28-day window in, the whole window lies inside the run.
	clk.set(date(2027, 3, 1))
	got, err := m.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceMedium, "measured")
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := got.Target("T1")
	c := tg.CheckIns[0]
	from := date(2027, 3, 1).Add(-tg.Window())
	if c.Value != 28 || !c.At.Equal(date(2027, 3, 1)) || len(c.Evidence) != 1 ||
		c.Evidence[0] != "complaints with category late-delivery, from the complaints source, over the 28 days from 2027-02-01 to 2027-02-28" {
		t.Errorf("check-in = %+v", c)
	}
	if last := src.asked[len(src.asked)-1]; !last.from.Equal(from) || !last.to.Equal(date(2027, 3, 1)) {
		t.Errorf("source asked %+v, want the 28 days to %s", last, date(2027, 3, 1))
	}
	for _, e := range c.Evidence {
		if strings.ContainsAny(e, "[)") || strings.Contains(e, "count:") || strings.Contains(e, "scaled") {
			t.Errorf("evidence %q shows notation a manager cannot read", e)
		}
	}
	// A manual target is typed in, never measured.
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T2", "dana", strategy.ConfidenceHigh, ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("measuring a manual target: %v, want refused", err)
	}
	asked = len(src.asked)
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T1", "", strategy.ConfidenceMedium, ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("no name: %v, want ErrInvalid", err)
	}
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T1", "dana", "certain", ""); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "check_in.confidence") {
		t.Errorf("bad confidence: %v, want the confidence rule", err)
	}
	if len(src.asked) != asked {
		t.Errorf("bad input reached the source: %d calls, want %d", len(src.asked), asked)
	}
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T9", "dana", strategy.ConfidenceMedium, ""); !errors.Is(err, strategy.ErrUnknownTarget) {
		t.Errorf("unknown target: %v", err)
	}
	delete(src.now, lateDelivery.String())
	clk.set(date(2027, 3, 2))
	if _, err := m.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceMedium, ""); !errors.Is(err, errStubUnknown) {
		t.Errorf("source error: %v, want it passed through", err)
	}
}

func TestManagerApproveNeedsSMART(t *testing.T) {
	ctx := context.Background()
	m, _, _ := newService(t)
	thin := testStrategy()
	thin.Owner, thin.Goals = "", nil
	s, err := m.Create(ctx, thin, "dana")
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Move(ctx, s.ID, strategy.StageApproved, "board", "")
	var te *cxkit.TransitionError
	if !errors.As(err, &te) || !errors.Is(err, cxkit.ErrTransition) || strings.Count(te.Reason, "NOT met") != 2 {
		t.Fatalf("approve a strategy with no owner and no goal: %v, want a TransitionError with 2 findings", err)
	}
	if r, _ := m.Check(ctx, s.ID); len(r.Failed()) != 2 {
		t.Fatalf("review = %s, want 2 findings not met", r)
	}
	if _, err := m.Revise(ctx, s.ID, "dana", "SMART review", func(s *strategy.Strategy) error {
		s.Owner, s.Goals = "Dana Lee", []string{"G1"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	a, err := m.Move(ctx, s.ID, strategy.StageApproved, "board", "fits the Q1 budget")
	if err != nil {
		t.Fatal(err)
	}
	if a.Stage != strategy.StageApproved {
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
	if f := r.Of(strategy.CriterionAchievable)[0]; f.Met || !strings.Contains(f.Reason, "project budget in 2027-Q1: needs AUD 25900.00") {
		t.Errorf("achievable = %+v, want the approved strategy's AUD 5700 counted", f)
	}
	if _, err := m.Move(ctx, a.ID, strategy.StageCompleted, "dana", "done"); err != nil {
		t.Fatal(err)
	}
	// A completed strategy spent its money: it still counts.
	if r, err = m.Check(ctx, b.ID); err != nil || !strings.Contains(r.Of(strategy.CriterionAchievable)[0].Reason, "needs AUD 25900.00") {
		t.Errorf("after completion: %v, %+v; want the completed strategy's money still counted", err, r.Of(strategy.CriterionAchievable))
	}
	if _, err := m.Move(ctx, a.ID, strategy.StageApproved, "dana", ""); !errors.Is(err, cxkit.ErrTransition) {
		t.Errorf("completed -> approved: %v, want refused", err)
	}
	if _, err := m.Revise(ctx, a.ID, "dana", "", func(*strategy.Strategy) error { return nil }); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("revise a completed strategy: %v, want refused", err)
	}
	n := 0
	for s, err := range m.List(ctx, strategy.Filter{Stage: strategy.StageCompleted}) {
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
	m, _, _ := newService(t)
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

func TestNewRejectsBadDeclarations(t *testing.T) {
	org := testOrg()
	org.Periods[1].From = date(2027, 3, 1) // overlaps Q1
	if _, err := strategy.New(memory.New(), org); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("overlapping periods: %v, want ErrInvalid", err)
	}
	org = testOrg()
	org.Thresholds = strategy.Thresholds{OnTrack: 0.5, AtRisk: 0.1}
	if _, err := strategy.New(memory.New(), org); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad thresholds: %v, want ErrInvalid", err)
	}
	var ve *cxkit.ValidationError
	if _, err := strategy.New(nil, testOrg()); !errors.As(err, &ve) || ve.Field != "driver" {
		t.Errorf("nil driver: %v, want a ValidationError on driver", err)
	}
	if _, err := strategy.New(memory.New(), testOrg(), strategy.WithSource(strategy.SourceManual, newSeriesSource())); !errors.As(err, &ve) {
		t.Errorf("a source wired as %q: %v, want refused", strategy.SourceManual, err)
	}
}
