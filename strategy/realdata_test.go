package strategy_test

// These tests measure targets from real complaints and feedback data through
// the Measure methods of those packages, which implement
// cxkit.MeasurementSource without importing strategy.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

// asSource wires a service as a measurement source. Services that take a
// metric in its written form are adapted, so this test reads real data
// whichever form the service's Measure takes.
func asSource(v any) cxkit.MeasurementSource {
	if s, ok := v.(cxkit.MeasurementSource); ok {
		return s
	}
	old := v.(interface {
		Measure(context.Context, string, time.Time, time.Time) (float64, error)
	})
	return strategy.SourceFunc(func(ctx context.Context, m cxkit.Metric, from, to time.Time) (float64, error) {
		return old.Measure(ctx, m.String(), from, to)
	})
}

func complaintsConfig() complaints.Config {
	return complaints.Config{
		Org:     "harbour",
		Charter: complaints.Charter{Default: complaints.Assignment{Receiver: "front desk", Investigator: "dispatch", Resolver: "service manager"}},
		Policy: remedy.Policy{Currency: "AUD",
			Authority: []remedy.Authority{{Role: "service manager", Limit: aud(50000)}}},
		Targets: complaints.Targets{Resolve: 72 * time.Hour},
	}
}

// logComplaints logs n complaints of category, one a day from start.
func logComplaints(t *testing.T, svc *complaints.Service, category string, start time.Time, n int) {
	t.Helper()
	for i := range n {
		_, err := svc.Log(context.Background(), complaints.Intake{
			Received: start.AddDate(0, 0, i), Channel: complaints.ChannelPhone,
			Customer: complaints.Customer{Ref: fmt.Sprintf("C%03d", i)},
			Summary:  category + " complaint", Category: category,
			MadeBy: complaints.MadeByRegular, DirectedAt: complaints.Target{Kind: complaints.TargetKindTeam, Name: "dispatch"},
			Severity: complaints.SeverityMedium, By: "front desk",
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestRealComplaintsDraftAndCheckIn drafts from the real Pareto, measures the
// baseline from the complaints log, and measures a check-in later.
func TestRealComplaintsDraftAndCheckIn(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: date(2027, 1, 4)}
	drv := memory.New()
	svc, err := complaints.New(drv, complaintsConfig(), complaints.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	from, to := date(2026, 10, 1), date(2026, 12, 31)
	logComplaints(t, svc, "goods not delivered on time", date(2026, 10, 1), 30)
	logComplaints(t, svc, "rude staff", date(2026, 11, 1), 8)
	logComplaints(t, svc, "goods not delivered on time", date(2026, 9, 1), 5) // before the window

	p, err := svc.Pareto(ctx, from, to, complaints.DimensionCategory)
	if err != nil {
		t.Fatal(err)
	}
	top := p.Rows[0]
	if top.Value != "goods not delivered on time" || top.Count != 30 {
		t.Fatalf("top of the Pareto = %+v", top)
	}
	sources := strategy.Sources{"complaints": asSource(svc)}
	m, err := strategy.New(drv, testOrg(), strategy.WithClock(clk.now), strategy.WithSource("complaints", asSource(svc)))
	if err != nil {
		t.Fatal(err)
	}
	draft, err := m.DraftFromCategory(ctx, strategy.CategoryTrend{Category: top.Value, Count: top.Count, Share: top.Share, From: from, To: to},
		strategy.DraftOptions{Start: date(2027, 1, 4), Owner: "Dana Lee"})
	if err != nil {
		t.Fatal(err)
	}
	if tg := draft.Targets[0]; tg.Baseline != 30 || tg.Goal != 15 {
		t.Fatalf("target = %+v, want 30 -> 15 measured from the log", tg)
	}

	s, err := m.Create(ctx, draft, "dana")
	if err != nil {
		t.Fatal(err)
	}
	// A quieter quarter: 12 late deliveries since the start. On 1 April
	// the 91-day window would reach back before the start: too early.
	clk.set(date(2027, 4, 1))
	logComplaints(t, svc, "goods not delivered on time", date(2027, 1, 10), 12)
	if _, err = m.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceHigh, ""); !errors.Is(err, strategy.ErrTooEarly) {
		t.Fatalf("87 days in: %v, want too early", err)
	}
	clk.set(date(2027, 4, 5))
	s, err = m.MeasureCheckIn(ctx, s.ID, "T1", "dana", strategy.ConfidenceHigh, "")
	if err != nil {
		t.Fatal(err)
	}
	tg := s.Targets[0]
	if tg.Current() != 12 || tg.Progress() != 1 {
		t.Errorf("current %g progress %g, want 12 and 1 (past the goal of 15)", tg.Current(), tg.Progress())
	}
	// Another metric from the same source.
	tg.Metric = cxkit.Metric{Name: "breach_rate"}
	if _, _, err := sources.MeasureTarget(ctx, &tg, s.Start, date(2027, 4, 5)); err != nil {
		t.Errorf("breach_rate: %v", err)
	}
	tg.Metric = cxkit.Metric{Name: "mood"}
	if _, _, err := sources.MeasureTarget(ctx, &tg, s.Start, date(2027, 4, 5)); err == nil {
		t.Error("unknown complaints metric: no error")
	}
}

func TestRealFeedbackShare(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: date(2027, 3, 1)}
	cats := []string{"delivery", "staff"}
	desk, err := feedback.New(memory.New(), feedback.Config{
		Categories: cats,
		Rules: []feedback.Rule{
			{ID: "late", Category: "delivery", Phrases: []string{"late", "delivery"}},
			{ID: "rude", Category: "staff", Phrases: []string{"rude"}},
		},
		FallbackOwner: "service manager",
	}, feedback.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"the delivery was late again", "late delivery, nobody called", "rude driver", "rude person on the phone"}
	for i, txt := range texts {
		if _, err := desk.Intake(ctx, feedback.Intake{Received: date(2027, 2, 1+i), Channel: feedback.ChannelEmail, Text: txt, By: "inbox"}); err != nil {
			t.Fatal(err)
		}
	}
	tg := strategy.Target{ID: "T1", Metric: cxkit.Metric{Name: "share", Dimension: "category", Value: "delivery"}, Unit: "% of feedback", Baseline: 80, Goal: 20,
		Direction: strategy.DirectionDecrease, Source: "feedback", Weight: 1}
	v, _, err := strategy.Sources{"feedback": asSource(desk)}.MeasureTarget(ctx, &tg, date(2027, 1, 1), clk.now())
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(v-50) > 1e-9 {
		t.Errorf("share of delivery feedback = %g, want 50", v)
	}
	if p := tg.ProgressAt(v); math.Abs(p-0.5) > 1e-9 {
		t.Errorf("progress = %g, want 0.5", p)
	}
}
