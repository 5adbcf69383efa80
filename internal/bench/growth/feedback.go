package growth

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"time"

	"github.com/cxkit/cxkit/feedback"
)

// The feedback operations, measured on a store of feedback items of each
// size (its own store, so that the complaints figures stay those of a
// complaints log), the month again the same at every size.
const (
	OpFeedbackLoad       = "feedback: bulk intake (IntakeBatch), per 1,000 items"
	OpFeedbackIntake     = "feedback: take in one item"
	OpFeedbackSummary    = "feedback: one-month summary"
	OpFeedbackSummaryAll = "feedback: summary of the whole store, per 1,000 items"
)

func feedbackConfig() feedback.Config {
	return feedback.Config{
		Categories: []string{"food", "housekeeping", "front desk", "billing"},
		Rules: []feedback.Rule{
			{ID: "food", Category: "food", Phrases: []string{"breakfast", "room service", "menu"}},
			{ID: "rooms", Category: "housekeeping", Phrases: []string{"towels", "sheets", "room was"}},
			{ID: "desk", Category: "front desk", Phrases: []string{"check-in", "reception"}},
			{ID: "bill", Category: "billing", Phrases: []string{"charged", "invoice"}},
		},
		Routes:        []feedback.Route{{Category: "food", Owner: "chef"}, {Category: "housekeeping", Owner: "head housekeeper"}},
		FallbackOwner: "general manager",
	}
}

var feedbackTexts = []struct {
	kind feedback.Kind
	text string
}{
	{feedback.KindComplaint, "The breakfast was cold and the coffee machine was empty by eight."},
	{feedback.KindCompliment, "The room was spotless and the towels were changed every day, thank you."},
	{feedback.KindComplaint, "Check-in took forty minutes and reception could not find our booking."},
	{feedback.KindQuestion, "Why was I charged twice for the parking on my invoice?"},
	{feedback.KindSuggestion, "Room service could offer a vegetarian menu in the evening."},
	{feedback.KindComplaint, "Nobody answered when we called about the broken air conditioning."},
}

func feedbackItem(r *rand.Rand, t time.Time) feedback.Intake {
	f := feedbackTexts[r.IntN(len(feedbackTexts))]
	chans := feedback.Channels()
	return feedback.Intake{
		Received: t, Channel: chans[r.IntN(len(chans))], CustomerRef: fmt.Sprintf("crm-%d", r.IntN(200_000)),
		Text: f.text, Kind: f.kind, By: "migration",
		Ratings: []feedback.Rating{{Name: "overall", Value: 1 + r.IntN(5), Min: 1, Max: 5}},
	}
}

// feedbackItems yields n items at the rate of m a month, the last m of
// them the month's, oldest first, in chunks of at most chunk. The month's
// come from their own seed, so they are the same at every size.
func feedbackItems(n, m, chunk int, yield func([]feedback.Intake) error) error {
	hist := rand.New(rand.NewPCG(uint64(n), 23))
	mon := rand.New(rand.NewPCG(29, 31))
	gap := monthEnd.Sub(monthStart) / time.Duration(m)
	buf := make([]feedback.Intake, 0, chunk)
	for i := range n {
		r := hist
		if i >= n-m {
			r = mon
		}
		buf = append(buf, feedbackItem(r, monthStart.Add(-time.Duration(n-m-i)*gap)))
		if len(buf) == chunk || i == n-1 {
			if err := yield(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// fbSized is one feedback store of one size under measurement.
type fbSized struct {
	sized
	fb *feedback.Service
}

func runFeedback(ctx context.Context, o Options, drv string) (_ []Measurement, err error) {
	var zs []*fbSized
	defer func() {
		for _, z := range zs {
			if z.d != nil {
				z.d.Close()
			}
			z.t.fresh(context.WithoutCancel(ctx))
		}
	}()
	for _, n := range o.Sizes {
		z := &fbSized{sized: sized{n: n, log: o.Log, samples: map[string][]float64{}, units: map[string]string{},
			t: target{driver: drv, dir: filepath.Join(o.Dir, "feedback-"+drv+"-"+strconv.Itoa(n)), dsn: o.DSN, schema: "cxkit_growth_fb_" + strconv.Itoa(n)}}}
		zs = append(zs, z)
		if err := z.load(ctx, o.Month); err != nil {
			return nil, fmt.Errorf("loading %d feedback items: %w", n, err)
		}
	}
	for round := range o.Rounds {
		for _, z := range zs {
			err := errors.Join(
				z.timed(OpFeedbackSummary, func() error {
					s, err := z.fb.Summarise(ctx, monthStart, monthEnd, feedback.SummaryOptions{})
					if err == nil && s.Total != o.Month {
						err = fmt.Errorf("the month holds %d items, want %d", s.Total, o.Month)
					}
					return err
				}),
				z.timed(OpFeedbackIntake, func() error {
					in := feedbackItem(rand.New(rand.NewPCG(uint64(round), 37)), time.Time{})
					in.Received = now
					_, err := z.fb.Intake(ctx, in)
					return err
				}),
			)
			if err != nil {
				return nil, err
			}
		}
	}
	var out []Measurement
	for _, z := range zs {
		t0 := time.Now()
		s, err := z.fb.Summarise(ctx, historyFrom(z.n, o.Month).Add(-time.Hour), now.Add(time.Hour), feedback.SummaryOptions{})
		if err != nil {
			return nil, fmt.Errorf("%s at %d: whole summary: %w", drv, z.n, err)
		}
		z.sample(OpFeedbackSummaryAll, "ms", float64(time.Since(t0))/1e6/float64(s.Total)*1000)
		out = append(out, logMeasurements(o.Log, fmt.Sprintf("%s, %d feedback items", drv, z.n), z.measurements())...)
	}
	return out, nil
}

func (z *fbSized) load(ctx context.Context, month int) error {
	if err := z.t.fresh(ctx); err != nil {
		return err
	}
	var err error
	if z.d, err = z.t.open(ctx); err != nil {
		return err
	}
	if z.fb, err = feedback.New(z.d, feedbackConfig(), feedback.WithClock(func() time.Time { return now })); err != nil {
		return err
	}
	fmt.Fprintf(z.log, "%s: loading %d feedback items (a month of %d)\n", z.t.driver, z.n, month)
	t0 := time.Now()
	err = feedbackItems(z.n, month, 1000, func(in []feedback.Intake) error {
		_, err := z.fb.IntakeBatch(ctx, in)
		return err
	})
	if err != nil {
		return err
	}
	z.sample(OpFeedbackLoad, "ms", float64(time.Since(t0))/1e6/float64(z.n)*1000)
	return vacuum(ctx, z.d, z.t.schema)
}
