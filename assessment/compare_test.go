package assessment

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit/internal/stats"
)

func TestCompare(t *testing.T) {
	c := loadMini(t)
	sheetsOf := func(scores map[string][]int) []Sheet {
		var out []Sheet
		for i := range 5 {
			sh := Sheet{Participant: string(rune('p' + i))}
			for id, xs := range scores {
				if i < len(xs) {
					sh.Ratings = append(sh.Ratings, Rate(id, xs[i]))
				}
			}
			out = append(out, sh)
		}
		return out
	}
	before, err := Score(c, Agree5(), sheetsOf(map[string][]int{
		"a1": {1, 1, 2, 2, 1}, // clearly up later
		"a2": {3, 4, 3, 4},    // same spread later: noise
		"a3": {4},             // too few to test
		"b1": {5, 5, 4, 5, 5}, // clearly down later
	}), ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before.Assessment = "before"
	after, err := Score(c, Agree5(), sheetsOf(map[string][]int{
		"a1": {5, 4, 5, 5, 4},
		"a2": {4, 3, 4, 3},
		"a3": {5, 5},
		"b1": {2, 1, 2, 2, 1},
	}), ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	after.Assessment = "after"
	cmp := Compare(before, after, 0)
	if cmp.Confidence != DefaultConfidence || cmp.Before != "before" || cmp.After != "after" {
		t.Errorf("comparison header = %+v", cmp)
	}
	tests := []struct {
		id     string
		delta  float64
		tested bool
		dir    string
	}{
		{"a1", 4.6 - 1.4, true, "up"},
		{"a2", 0, true, "noise"},
		{"a3", 1, false, "noise"},
		{"b1", 1.6 - 4.8, true, "down"},
		{"a4", 0, false, "noise"}, // nobody rated it either time
	}
	for _, tt := range tests {
		ch, ok := cmp.Statement(tt.id)
		if !ok {
			t.Fatalf("no change for %s", tt.id)
		}
		if !near(ch.Delta, tt.delta) || ch.Tested != tt.tested || ch.Direction() != tt.dir {
			t.Errorf("%s: delta %g tested %v direction %s; want %g %v %s", tt.id, ch.Delta, ch.Tested, ch.Direction(), tt.delta, tt.tested, tt.dir)
		}
	}
	// a1 by hand: means 1.4 and 4.6, variances 0.3 and 0.3, n 5 and 5.
	a1, _ := cmp.Statement("a1")
	want := stats.Welch(1.4, 0.3, 5, 4.6, 0.3, 5)
	if !near(a1.P, want.P) || a1.P > 0.001 {
		t.Errorf("a1 p = %g, want %g (< 0.001)", a1.P, want.P)
	}
	if a2, _ := cmp.Statement("a2"); !near(a2.P, 1) {
		t.Errorf("a2 p = %g, want 1 for identical samples", a2.P)
	}
	// Factor a pools 1,1,2,2,1,3,4,3,4,4 -> mean 2.5 and later
	// 5,4,5,5,4,4,3,4,3,5,5 -> mean 47/11.
	fa, _ := cmp.Factor("a")
	if !near(fa.Delta, 47.0/11-2.5) || !fa.Significant {
		t.Errorf("factor a: %+v", fa)
	}
	if fc, ok := cmp.Factor("c"); !ok || fc.Tested || math.IsNaN(fc.P) {
		t.Errorf("factor c (no scores): %+v", fc)
	}
	// A stricter level turns the same change into noise (a1's p is about
	// 1.5e-5).
	if strict, _ := Compare(before, after, 1-1e-8).Statement("a1"); strict.Significant {
		t.Errorf("a1 significant at confidence 1-1e-8 with p %g", strict.P)
	}
}

func TestReassessTracksActions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	first := f.create(t, miniAssessment("a"))
	for i, p := range first.Participants {
		if err := f.svc.Rate(ctx, first.ID, p, Rate("a1", 1+i%2), Rate("a2", 4), Rate("a3", 2), Rate("a4", 5)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Choose(ctx, first.ID, "a", PickKindDoBetter, "lead", Choice{Statement: "a1"}, Choice{Statement: "a3"}); err != nil {
		t.Fatal(err)
	}
	due := t0.AddDate(0, 1, 0)
	act1, err := f.svc.AddAction(ctx, Action{Assessment: first.ID, Statement: "a1", NeedsToHappen: "n", Initiate: "i", Owner: "ana", Due: due}, "lead")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddAction(ctx, Action{Assessment: first.ID, Statement: "a3", NeedsToHappen: "n", Initiate: "i", Owner: "ben", Due: due}, "lead"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetActionStatus(ctx, act1.ID, ActionStatusDone, "ana", ""); err != nil {
		t.Fatal(err)
	}
	f.advance(90 * 24 * time.Hour)
	second := miniAssessment("a")
	second.Period = Period{From: t0.AddDate(0, 3, 0), To: t0.AddDate(0, 4, 0)}
	second = f.create(t, second)
	for _, p := range second.Participants {
		if err := f.svc.Rate(ctx, second.ID, p, Rate("a1", 5), Rate("a2", 4), Rate("a3", 2), Rate("a4", 5)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Choose(ctx, second.ID, "a", PickKindDoBetter, "lead", Choice{Statement: "a3"}); err != nil {
		t.Fatal(err)
	}
	re, err := f.svc.Reassess(ctx, first.ID, second.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(re.Actions) != 2 {
		t.Fatalf("tracked %d actions, want 2", len(re.Actions))
	}
	p1, p3 := re.Actions[0], re.Actions[1]
	if p1.Action.Statement != "a1" || p1.Action.Status != ActionStatusDone || p1.Change == nil || p1.Change.Direction() != "up" || p1.StillToImprove {
		t.Errorf("a1 action progress = %+v / %+v", p1, p1.Change)
	}
	if p3.Action.Statement != "a3" || p3.Change == nil || p3.Change.Delta != 0 || !p3.StillToImprove {
		t.Errorf("a3 action progress = %+v / %+v", p3, p3.Change)
	}
	other := miniAssessment()
	other.Catalogue, other.CatalogueVersion = FactorsCatalogue, "1.0.0"
	o := f.create(t, other)
	_, err = f.svc.Reassess(ctx, first.ID, o.ID, 0)
	wantInvalid(t, err, "after.catalogue", "must be the catalogue of the earlier assessment")
}
