package cxkit_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

// The loop in miniature: complaints are logged, the Pareto names what
// customers complain about most, and that category becomes a SMART
// strategy whose target's baseline is measured from the complaints
// themselves. The quickstart (go run ./examples/quickstart) plays the whole
// loop, with the assessment and the feedback, on the file store.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	d := memory.New() // file.Open(dir) in a real program
	svc, err := complaints.New(d, complaints.Config{
		Org:    "harbourside",
		Policy: remedy.Policy{Currency: "AUD"},
	}, complaints.WithClock(clock))
	if err != nil {
		log.Fatal(err)
	}

	// Act and listen: log what customers told us in October.
	for i, category := range []string{"delivery", "billing", "delivery", "delivery", "website", "delivery"} {
		_, err := svc.Log(ctx, complaints.Intake{
			Received:   time.Date(2026, 10, 1+5*i, 10, 0, 0, 0, time.UTC),
			Channel:    complaints.ChannelPhone,
			Customer:   complaints.Customer{Ref: fmt.Sprintf("crm-%d", i)},
			Summary:    "as the customer told it",
			Category:   category,
			MadeBy:     complaints.MadeByRegular,
			DirectedAt: complaints.Target{Kind: complaints.TargetKindTeam, Name: category},
			Severity:   complaints.SeverityMedium,
			By:         "desk",
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	// Measure: what do they complain about most?
	from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p, err := svc.Pareto(ctx, from, to, complaints.DimensionCategory)
	if err != nil {
		log.Fatal(err)
	}
	top := p.Rows[0]
	fmt.Printf("top category: %s, %d of %d complaints\n", top.Value, top.Count, p.Total)

	// Plan: draft a strategy against it, its baseline measured from the data.
	// The complaints service is the target's measurement source.
	plans, err := strategy.New(d, strategy.Config{Name: "harbourside"}, strategy.WithClock(clock), strategy.WithSource("complaints", svc))
	if err != nil {
		log.Fatal(err)
	}
	draft, err := plans.DraftFromCategory(ctx,
		strategy.CategoryTrend{Category: top.Value, Count: top.Count, Share: top.Share, From: from, To: to},
		strategy.DraftOptions{
			Start:    now,
			Deadline: now.AddDate(0, 3, 0),
			Owner:    "Lee Ortiz",
		})
	if err != nil {
		log.Fatal(err)
	}
	t := draft.Targets[0]
	fmt.Printf("%q: %s from %g to %g\n", draft.Title, t.Name, t.Baseline, t.Goal)
	// Output:
	// top category: delivery, 4 of 6 complaints
	// "Fewer complaints about delivery": complaints with category delivery from 4 to 2
}
