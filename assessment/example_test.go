package assessment_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/store/memory"
)

// A team rates itself on one factor, takes the suggested lists and records
// an action for the weakest statement.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	svc, err := assessment.New(memory.New(), assessment.Config{}, assessment.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	cat, _ := assessment.BuiltinCatalogue(assessment.FactorsCatalogue)
	a, err := svc.Create(ctx, assessment.Assessment{
		Catalogue: cat.ID, CatalogueVersion: cat.Version,
		Team:         "Reception",
		Period:       assessment.Period{From: now, To: now.AddDate(0, 0, 7)},
		Participants: []string{"Ana", "Ben", "Cai"},
		Factors:      []string{"policy-standards"},
	}, "Ana")
	if err != nil {
		panic(err)
	}
	// Each person scores the eleven statements 1-5; Cai does not know
	// about statement 9.
	scores := map[string][]int{
		"Ana": {5, 4, 3, 4, 4, 5, 4, 2, 1, 3, 3},
		"Ben": {4, 4, 3, 5, 4, 4, 4, 3, 2, 2, 3},
		"Cai": {5, 3, 4, 4, 5, 4, 3, 2, 0, 3, 2},
	}
	for who, ss := range scores {
		var rs []assessment.Rating
		for i, s := range ss {
			id := fmt.Sprintf("policy-standards-%02d", i+1)
			if s == 0 {
				rs = append(rs, assessment.RateDontKnow(id))
				continue
			}
			rs = append(rs, assessment.Rate(id, s))
		}
		if err := svc.Rate(ctx, a.ID, who, rs...); err != nil {
			panic(err)
		}
	}
	res, _ := svc.Results(ctx, a.ID)
	f, _ := res.Factor("policy-standards")
	fmt.Printf("factor mean %.2f, median %.1f, sd %.2f, %d scores, %d don't know\n", f.Mean, f.Median, f.StdDev, f.N, f.DontKnow)

	if _, err := svc.AcceptSuggestions(ctx, a.ID, "policy-standards", "Ana"); err != nil {
		panic(err)
	}
	a, _ = svc.Get(ctx, a.ID)
	for _, kind := range []assessment.PickKind{assessment.PickKindDoWell, assessment.PickKindDoBetter} {
		var ids []string
		for _, p := range a.PicksFor("policy-standards", kind) {
			ids = append(ids, strings.TrimPrefix(p.Statement, "policy-standards-"))
		}
		fmt.Printf("do %s: %s\n", kind, strings.Join(ids, ", "))
	}
	act, err := svc.AddAction(ctx, assessment.Action{
		Assessment:    a.ID,
		Statement:     "policy-standards-09",
		NeedsToHappen: "Check what each of us knows of the service standards",
		Initiate:      "A ten-minute quiz at the Monday briefing",
		Owner:         "Ben",
		Due:           now.AddDate(0, 1, 0),
	}, "Ana")
	if err != nil {
		panic(err)
	}
	fmt.Println(act.Factor, act.Status, act.Due.Format(time.DateOnly))

	// An action without an owner is refused, and says why.
	_, err = svc.AddAction(ctx, assessment.Action{Assessment: a.ID, Statement: "policy-standards-08", NeedsToHappen: "x", Initiate: "y", Due: now}, "Ana")
	fmt.Println(err)
	// Output:
	// factor mean 3.47, median 4.0, sd 1.05, 32 scores, 1 don't know
	// do well: 01, 04, 05
	// do better: 09, 08, 10
	// policy-standards open 2026-06-04
	// action.owner: must not be empty: every action needs an owner
}

// Loading a catalogue of one's own: errors name the field and the rule.
func ExampleParseCatalogue() {
	_, err := assessment.ParseCatalogue([]byte(`{
		"id": "kitchen", "version": "2", "title": "Kitchen checks", "scale": "agree5",
		"factors": [{"id": "hygiene", "number": 1, "title": "Hygiene", "statements": [
			{"id": "h1", "number": 1, "text": "Surfaces are cleaned after each service."},
			{"id": "h1", "number": 2, "text": "Fridges are checked twice a day."}
		]}]
	}`))
	fmt.Println(err)
	// Output:
	// catalogue.factors[0].statements[1].id: must be unique in the catalogue, "h1" is also in factor "hygiene"
}

// Score works without a store, on ratings gathered any way.
func ExampleScore() {
	cat, _ := assessment.ParseCatalogue([]byte(`{"id": "mini", "version": "1", "title": "Mini", "scale": "agree5",
		"factors": [{"id": "f", "number": 1, "title": "F", "statements": [
			{"id": "s1", "number": 1, "text": "One."}, {"id": "s2", "number": 2, "text": "Two."}]}]}`))
	res, _ := assessment.Score(cat, assessment.Agree5(), []assessment.Sheet{
		{Participant: "a", Ratings: []assessment.Rating{assessment.Rate("s1", 5), assessment.Rate("s2", 1)}},
		{Participant: "b", Ratings: []assessment.Rating{assessment.Rate("s1", 4), assessment.Rate("s2", 5)}},
		{Participant: "c", Ratings: []assessment.Rating{assessment.Rate("s1", 5), assessment.RateNA("s2")}},
	}, assessment.ScoreOptions{})
	for _, s := range res.Statements {
		fmt.Printf("%s mean %.2f sd %.2f range %d n %d of %d divergent %v\n", s.Statement, s.Mean, s.StdDev, s.Range, s.N, s.Responses, s.Divergent)
	}
	// Output:
	// s1 mean 4.67 sd 0.58 range 1 n 3 of 3 divergent false
	// s2 mean 3.00 sd 2.83 range 4 n 2 of 3 divergent true
}
