package feedback_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/store/memory"
)

// A hotel sorts its feedback into food, housekeeping and front desk, passes
// each item to the manager responsible, and sees what needs a person.
func Example() {
	categories := []string{"food", "housekeeping", "front-desk"}
	// The classifier learns from examples people labelled; rules the hotel
	// writes override it.
	model, err := feedback.Train([]feedback.Example{
		{Text: "the soup was cold", Category: "food"},
		{Text: "dinner took an hour to arrive", Category: "food"},
		{Text: "the bathroom was not cleaned", Category: "housekeeping"},
		{Text: "fresh towels and a spotless room", Category: "housekeeping"},
		{Text: "check in was quick and friendly", Category: "front-desk"},
		{Text: "reception lost our booking", Category: "front-desk"},
	}, feedback.TrainOptions{})
	if err != nil {
		log.Fatal(err)
	}
	rules := []feedback.Rule{{ID: "menu", Category: "food", Phrases: []string{"menu", "room service"}}}
	cat, err := feedback.NewCategoriser(categories, rules, model, 0.4)
	if err != nil {
		log.Fatal(err)
	}
	routes, err := feedback.NewRoutingTable(categories, []feedback.Route{
		{Category: "food", Owner: "chef"},
		{Category: "housekeeping", Owner: "head housekeeper"},
		{Category: "housekeeping", Kind: feedback.KindCompliment, Owner: "front-desk manager"},
		{Category: "front-desk", Owner: "front-desk manager"},
	}, "general manager")
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, 5, 4, 18, 0, 0, 0, time.UTC)
	desk, err := feedback.NewDesk(memory.New(), cat, routes, feedback.WithClock(func() time.Time { return now }))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, text := range []string{
		"Room service brought the meal cold, twice.",
		"I would like more vegetarian dishes on the menu",
		"Thank you for the spotless room and fresh towels!",
		"Reception lost our booking",
		"Where can I park?",
	} {
		it, err := desk.Intake(ctx, feedback.Intake{Received: now.Add(-time.Hour), Channel: feedback.ChannelEmail, Text: text})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-11s %-13s by %-5s -> %s\n", it.Kind, it.Category(), it.Categorisation.Source, it.Owner)
	}
	// Output:
	// complaint   food          by rule  -> chef
	// suggestion  food          by rule  -> chef
	// compliment  housekeeping  by model -> front-desk manager
	// complaint   front-desk    by model -> front-desk manager
	// question    uncategorised by none  -> general manager
}

// NPS counts promoters (9-10) and detractors (0-6) among the answered
// responses and gives an adjusted-Wald interval.
func ExampleNPS() {
	s, err := feedback.NPS([]int{10, 10, 9, 8, 7, 6, 5, 0, 9, 10}, 0.95)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("NPS %.0f (%d promoters, %d detractors of %d), 95%% CI %.1f to %.1f\n", s.Score, s.Promoters, s.Detractors, s.N, s.Low, s.High)
	// Output: NPS 20 (5 promoters, 3 detractors of 10), 95% CI -30.3 to 61.1
}

// Comparing two survey waves says whether a change is real.
func ExampleCompareNPS() {
	before := []int{10, 10, 9, 8, 7, 6, 5, 0, 9, 10}
	after := []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 8, 7, 3, 2}
	c, err := feedback.CompareNPS(before, after, 0.95)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Verdict)
	// Output: NPS went from 20.0 to 70.0 (+50.0 points); at 95% confidence this could be chance, so treat the waves as the same (adjusted-Wald z test, p = 0.0971).
}

// Planning a survey: responses for a margin of error, then invitations at
// the expected response rate.
func ExampleResponsesNeeded() {
	n, _ := feedback.ResponsesNeeded(0.05, 0.95, 2000)
	inv, _ := feedback.InvitationsNeeded(n, 1.0/3)
	fmt.Printf("%d responses from 2000 guests for ±5 points at 95%%: send %d invitations\n", n, inv)
	// Output: 323 responses from 2000 guests for ±5 points at 95%: send 969 invitations
}
