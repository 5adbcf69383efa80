package assessment_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/store/memory"
)

// Every "do better" pick wants an action; UnactionedPicks says which still
// lack one, and Overdue, by the Service's clock, which actions are late.
func ExampleService_Overdue() {
	ctx := context.Background()
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	svc, _ := assessment.New(memory.New(), assessment.Config{}, assessment.WithClock(func() time.Time { return now }))
	a, err := svc.Create(ctx, assessment.Assessment{
		Catalogue: assessment.FactorsCatalogue, CatalogueVersion: "1.0.0",
		Team:         "Reception",
		Period:       assessment.Period{From: now, To: now.AddDate(0, 0, 7)},
		Participants: []string{"Ana", "Ben"},
		Factors:      []string{"policy-standards"},
	}, "Ana")
	if err != nil {
		panic(err)
	}
	if _, err := svc.Choose(ctx, a.ID, "policy-standards", assessment.PickKindDoBetter, "Ana",
		assessment.Choice{Statement: "policy-standards-09"}, assessment.Choice{Statement: "policy-standards-10"}); err != nil {
		panic(err)
	}
	if _, err := svc.AddAction(ctx, assessment.Action{
		Assessment: a.ID, Statement: "policy-standards-09",
		NeedsToHappen: "Check what each of us knows of the service standards",
		Initiate:      "A ten-minute quiz at the Monday briefing",
		Owner:         "Ben", Due: now.AddDate(0, 0, 14),
	}, "Ana"); err != nil {
		panic(err)
	}
	// A statement that is not a "do better" pick takes no action.
	_, err = svc.AddAction(ctx, assessment.Action{Assessment: a.ID, Statement: "policy-standards-01",
		NeedsToHappen: "x", Initiate: "y", Owner: "Ben", Due: now}, "Ana")
	fmt.Println(err != nil)

	open, _ := svc.UnactionedPicks(ctx, a.ID)
	for _, p := range open {
		fmt.Println("no action yet:", p.Statement)
	}
	now = now.AddDate(0, 0, 15) // the clock moves on
	for act, err := range svc.Overdue(ctx, assessment.ActionFilter{Assessment: a.ID}) {
		if err != nil {
			panic(err)
		}
		fmt.Println("overdue:", act.Statement, act.Owner, act.Due.Format(time.DateOnly))
	}
	// Output:
	// true
	// no action yet: policy-standards-10
	// overdue: policy-standards-09 Ben 2026-05-18
}

// Two rounds of scores: only the clear move counts as larger than noise.
func ExampleComparison_LargerThanNoise() {
	cat, _ := assessment.ParseCatalogue([]byte(`{"id": "mini", "version": "1", "title": "Mini", "scale": "agree5",
		"factors": [{"id": "f", "number": 1, "title": "F", "statements": [
			{"id": "s1", "number": 1, "text": "One."}, {"id": "s2", "number": 2, "text": "Two."}]}]}`))
	round := func(name string, s1, s2 []int) *assessment.Results {
		var sheets []assessment.Sheet
		for i := range s1 {
			sheets = append(sheets, assessment.Sheet{Participant: fmt.Sprint(i),
				Ratings: []assessment.Rating{assessment.Rate("s1", s1[i]), assessment.Rate("s2", s2[i])}})
		}
		r, _ := assessment.Score(cat, assessment.Agree5(), sheets, assessment.ScoreOptions{})
		r.Assessment = name
		return r
	}
	before := round("spring", []int{2, 2, 1, 2, 3}, []int{3, 4, 3, 4, 3})
	after := round("autumn", []int{4, 5, 4, 4, 5}, []int{4, 3, 4, 4, 3})
	cmp := assessment.Compare(before, after, 0)
	for _, ch := range cmp.Statements {
		fmt.Printf("%s %+.1f %s\n", ch.Statement, ch.Delta, ch.Direction())
	}
	for _, ch := range cmp.LargerThanNoise() {
		// A factor's change has no statement.
		fmt.Printf("larger than noise: %q/%q p=%.4f\n", ch.Factor, ch.Statement, ch.P)
	}
	// Output:
	// s1 +2.4 up
	// s2 +0.2 noise
	// larger than noise: "f"/"" p=0.0027
	// larger than noise: "f"/"s1" p=0.0004
}
