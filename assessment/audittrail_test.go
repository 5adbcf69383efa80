package assessment

import (
	"context"
	"github.com/cxkit/cxkit"
	"math"
	"strings"
	"testing"
	"time"
)

func TestRateKeepsSheetHistory(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.create(t, miniAssessment("a"))
	if err := f.svc.Rate(ctx, a.ID, "ana", Rate("a1", 4), Rate("a2", 2).WithComment("slow")); err != nil {
		t.Fatal(err)
	}
	f.advance(time.Hour)
	// Same answers again: nothing changed, so no entry.
	if err := f.svc.Rate(ctx, a.ID, "ana", Rate("a1", 4)); err != nil {
		t.Fatal(err)
	}
	f.advance(time.Hour)
	if err := f.svc.Rate(ctx, a.ID, "ana", Rate("a1", 2), RateDontKnow("a2"), Rate("a3", 5)); err != nil {
		t.Fatal(err)
	}
	f.advance(time.Hour)
	if err := f.svc.Rate(ctx, a.ID, "ana", Rate("a1", 2).WithComment("on reflection")); err != nil {
		t.Fatal(err)
	}
	// A rejected call adds nothing either.
	if err := f.svc.Rate(ctx, a.ID, "ana", Rate("a1", 3), Rate("a2", 9)); err == nil {
		t.Fatal("score 9 accepted")
	}
	sheets, err := collect(f.svc.Sheets(ctx, a.ID))
	if err != nil || len(sheets) != 1 {
		t.Fatalf("sheets = %+v, %v", sheets, err)
	}
	want := []cxkit.HistoryEntry{
		{At: t0, By: "ana", What: "rated 2 new statements"},
		{At: t0.Add(2 * time.Hour), By: "ana", What: "rated 1 new statement; changed a1 4 -> 2, a2 2 -> don't know"},
		{At: t0.Add(3 * time.Hour), By: "ana", What: "edited the comment on 1"},
	}
	h := sheets[0].History
	if len(h) != len(want) {
		t.Fatalf("history = %+v, want %d entries", h, len(want))
	}
	for i := range want {
		if !h[i].At.Equal(want[i].At) || h[i].By != want[i].By || h[i].What != want[i].What {
			t.Errorf("history[%d] = %+v, want %+v", i, h[i], want[i])
		}
	}
}

func TestOverdue(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.create(t, miniAssessment("a"))
	if _, err := f.svc.Choose(ctx, a.ID, "a", PickKindDoBetter, "lead", Choice{Statement: "a1"}, Choice{Statement: "a2"}, Choice{Statement: "a3"}); err != nil {
		t.Fatal(err)
	}
	add := func(stmt, owner string, due time.Time) Action {
		t.Helper()
		act, err := f.svc.AddAction(ctx, Action{Assessment: a.ID, Statement: stmt, NeedsToHappen: "n", Initiate: "i", Owner: owner, Due: due}, "lead")
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	early := add("a1", "ana", t0.Add(24*time.Hour))
	started := add("a2", "ben", t0.Add(48*time.Hour))
	done := add("a3", "ana", t0.Add(24*time.Hour))
	if _, err := f.svc.SetActionStatus(ctx, started.ID, ActionStatusInProgress, "ben", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetActionStatus(ctx, done.ID, ActionStatusDone, "ana", ""); err != nil {
		t.Fatal(err)
	}
	ids := func(flt ActionFilter) []string {
		t.Helper()
		var out []string
		for act, err := range f.svc.Overdue(ctx, flt) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, act.Statement)
		}
		return out
	}
	steps := []struct {
		at   time.Duration // from t0
		flt  ActionFilter
		want string
	}{
		{0, ActionFilter{}, ""},
		{24 * time.Hour, ActionFilter{}, ""}, // due exactly now is not late yet
		{24*time.Hour + time.Second, ActionFilter{}, "a1"},
		{49 * time.Hour, ActionFilter{}, "a1 a2"},
		{49 * time.Hour, ActionFilter{Owner: "ben"}, "a2"},
		{49 * time.Hour, ActionFilter{Status: ActionStatusDone}, ""}, // done is never late
	}
	for _, st := range steps {
		f.mu.Lock()
		f.now = t0.Add(st.at)
		f.mu.Unlock()
		if got := strings.Join(ids(st.flt), " "); got != st.want {
			t.Errorf("at t0+%s with %+v: overdue %q, want %q", st.at, st.flt, got, st.want)
		}
	}
	if !early.Overdue(t0.Add(25*time.Hour)) || early.Overdue(t0) {
		t.Error("Action.Overdue disagrees with its due time")
	}
}

func TestLargerThanNoise(t *testing.T) {
	c := loadMini(t)
	score := func(a1, a2 []int) *Results {
		t.Helper()
		var sheets []Sheet
		for i := range a1 {
			sheets = append(sheets, Sheet{Participant: string(rune('p' + i)), Ratings: []Rating{Rate("a1", a1[i]), Rate("a2", a2[i])}})
		}
		r, err := Score(c, Agree5(), sheets, ScoreOptions{Factors: []string{"a"}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	before := score([]int{1, 1, 2, 2, 1}, []int{3, 4, 3, 4, 3})
	after := score([]int{5, 4, 5, 5, 4}, []int{4, 3, 4, 3, 4})
	cmp := Compare(before, after, 0)
	// a1 by hand: means 1.4 and 4.6, variances 0.3 and 0.3, n 5 and 5, so
	// t = 3.2 / sqrt(0.06 + 0.06) = 9.2376 on 8 degrees of freedom, two
	// sided p = 1.5294e-05 (numerical integration of the t density).
	a1, _ := cmp.Statement("a1")
	if math.Abs(a1.P-1.5294e-05) > 1e-8 {
		t.Errorf("a1 p = %g, want 1.5294e-05", a1.P)
	}
	var got []string
	for _, ch := range cmp.LargerThanNoise() {
		got = append(got, ch.Factor+"/"+ch.Statement)
	}
	// The factor pools a1 and a2: 1.4 and 3.4 before, 4.6 and 3.6 after,
	// a rise of 1.7 on ten scores each side, well beyond noise; a2 moved
	// 0.2 with a spread of 0.55 and is noise.
	if strings.Join(got, " ") != "a/ a/a1" {
		t.Errorf("LargerThanNoise = %v, want factor a and statement a1", got)
	}
}
