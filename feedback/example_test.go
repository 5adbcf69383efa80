package feedback_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/store/memory"
)

// A hotel sorts its feedback into food, housekeeping and front desk, passes
// each item to the manager responsible, and sees what needs a person.
func Example() {
	// The classifier learns from examples people labelled; rules the hotel
	// writes override it.
	model, err := classify.Train([]classify.Example{
		{Text: "the soup was cold", Category: "food"},
		{Text: "dinner took an hour to arrive", Category: "food"},
		{Text: "the bathroom was not cleaned", Category: "housekeeping"},
		{Text: "fresh towels and a spotless room", Category: "housekeeping"},
		{Text: "check in was quick and friendly", Category: "front-desk"},
		{Text: "reception lost our booking", Category: "front-desk"},
	}, classify.TrainOptions{})
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, 5, 4, 18, 0, 0, 0, time.UTC)
	desk, err := feedback.New(memory.New(), feedback.Config{
		Categories: []string{"food", "housekeeping", "front-desk"},
		Rules:      []feedback.Rule{{ID: "menu", Category: "food", Phrases: []string{"menu", "room service"}}},
		Routes: []feedback.Route{
			{Category: "food", Owner: "chef"},
			{Category: "housekeeping", Owner: "head housekeeper"},
			{Category: "housekeeping", Kind: feedback.KindCompliment, Owner: "front-desk manager"},
			{Category: "front-desk", Owner: "front-desk manager"},
		},
		FallbackOwner: "general manager",
		Threshold:     0.4,
	}, feedback.WithClassifier(model), feedback.WithClock(func() time.Time { return now }))
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
