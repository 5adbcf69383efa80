package main

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/examples/dashboard/chart"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/internal/stats"
	"github.com/cxkit/cxkit/strategy"
)

// Sources are where a report's numbers come from: the services of one
// organisation and the few names the dashboard cannot guess.
type Sources struct {
	Org         string
	Complaints  *complaints.Service
	Feedback    *feedback.Service
	Strategies  *strategy.Service
	Assessments *assessment.Service
	// Survey, NPSQuestion and CSATQuestion name the survey whose waves
	// give the NPS and CSAT charts; Waves are its waves, oldest first.
	Survey, NPSQuestion, CSATQuestion string
	Waves                             []string
	// Team is whose latest self-assessment the factor profile shows.
	Team string
	// Weeks is how many weeks the weekly chart shows; 0 means 8.
	Weeks int
}

// confidence is the level of every interval on the page.
const confidence = 0.95

// Collect builds the report for period from src, as it stands at now.
// A part that has no data yet (no survey, no assessment) becomes a note,
// not an error: only failures of the store are errors.
func Collect(ctx context.Context, src Sources, period Period, now time.Time) (Report, error) {
	r := Report{Org: src.Org, Period: period, Generated: now}
	steps := []func(context.Context, Sources, *Report) error{collectComplaints, collectWeekly, collectSurveys, collectStrategies, collectAssessment}
	for _, f := range steps {
		if err := f(ctx, src, &r); err != nil {
			return Report{}, err
		}
	}
	return r, nil
}

func collectComplaints(ctx context.Context, src Sources, r *Report) error {
	p := r.Period
	sum, err := src.Complaints.Summarise(ctx, p.From, p.To)
	if err != nil {
		return fmt.Errorf("dashboard: complaints summary: %w", err)
	}
	prev, err := src.Complaints.Measure(ctx, complaints.MetricCount.Metric(), p.From.AddDate(0, -1, 0), p.From)
	if err != nil {
		return fmt.Errorf("dashboard: complaints last month: %w", err)
	}
	for _, row := range sum.Pareto.Rows {
		r.Pareto = append(r.Pareto, chart.Bar{Label: row.Value, Value: float64(row.Count)})
	}
	r.Figures = append(r.Figures,
		Figure{Label: "complaints received", Value: fmt.Sprint(sum.Total), Note: fmt.Sprintf("%g the month before", prev)},
		Figure{Label: "median hours to resolve", Value: hours(sum.Resolution.Median, sum.Resolution.N), Note: fmt.Sprintf("90%% within %s h, %d resolved", hours(sum.Resolution.P90, sum.Resolution.N), sum.Resolution.N)},
		Figure{Label: "complaints past a deadline", Value: percent(sum.BreachRate, sum.Total > 0), Note: fmt.Sprintf("%d of %d", sum.Breaches, sum.Total)},
	)
	if len(sum.Pareto.Rows) > 0 {
		top := sum.Pareto.Rows[0]
		r.Figures = append(r.Figures, Figure{Label: "leading category", Value: top.Value, Note: fmt.Sprintf("%.0f%% of complaints", top.Share*100)})
	} else {
		r.Notes = append(r.Notes, "No complaints were received this month.")
	}
	return nil
}

func hours(v float64, n int) string {
	if n == 0 || math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.0f", v)
}

func percent(v float64, ok bool) string {
	if !ok || math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", v*100)
}

// collectWeekly counts complaints and feedback per week, Monday to Monday,
// for the weeks ending with the one that contains the period's last day.
func collectWeekly(ctx context.Context, src Sources, r *Report) error {
	n := src.Weeks
	if n <= 0 {
		n = 8
	}
	last := r.Period.To.Add(-time.Nanosecond)
	if r.Generated.Before(last) && !r.Generated.Before(r.Period.From) {
		last = r.Generated // a month in progress ends today
	}
	monday := startOfWeek(last)
	var fbTotal float64
	for i := n - 1; i >= 0; i-- {
		from := monday.AddDate(0, 0, -7*i)
		to := from.AddDate(0, 0, 7)
		c, err := src.Complaints.Measure(ctx, complaints.MetricCount.Metric(), from, to)
		if err != nil {
			return fmt.Errorf("dashboard: complaints per week: %w", err)
		}
		f, err := src.Feedback.Measure(ctx, feedback.MetricCount.Metric(), from, to)
		if err != nil {
			return fmt.Errorf("dashboard: feedback per week: %w", err)
		}
		r.Weeks = append(r.Weeks, from.Format("2 Jan"))
		r.Complaints = append(r.Complaints, c)
		r.Feedback = append(r.Feedback, f)
	}
	fb, err := src.Feedback.Measure(ctx, feedback.MetricCount.Metric(), r.Period.From, r.Period.To)
	if err != nil {
		return fmt.Errorf("dashboard: feedback this month: %w", err)
	}
	fbTotal = fb
	r.Figures = append(r.Figures, Figure{Label: "feedback items", Value: fmt.Sprint(fbTotal), Note: "all channels"})
	return nil
}

// startOfWeek returns midnight of the Monday on or before t.
func startOfWeek(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func collectSurveys(ctx context.Context, src Sources, r *Report) error {
	if src.Survey == "" {
		r.Notes = append(r.Notes, "No survey is configured, so there are no NPS or CSAT charts.")
		return nil
	}
	var lastNPS, lastCSAT *chart.Estimate
	for _, w := range src.Waves {
		nps, err := src.Feedback.WaveNPS(ctx, src.Survey, w, src.NPSQuestion, confidence)
		if err != nil {
			return fmt.Errorf("dashboard: NPS of wave %s: %w", w, err)
		}
		if nps.N > 0 {
			r.NPS = append(r.NPS, chart.Estimate{Label: w, Value: nps.Score, Low: nps.Low, High: nps.High, N: nps.N})
			lastNPS = &r.NPS[len(r.NPS)-1]
		}
		cs, err := src.Feedback.WaveCSAT(ctx, src.Survey, w, src.CSATQuestion, confidence)
		if err != nil {
			return fmt.Errorf("dashboard: CSAT of wave %s: %w", w, err)
		}
		if cs.N > 0 {
			r.CSAT = append(r.CSAT, chart.Estimate{Label: w, Value: cs.Percent, Low: cs.Low, High: cs.High, N: cs.N})
			lastCSAT = &r.CSAT[len(r.CSAT)-1]
		}
	}
	if lastNPS != nil {
		r.Figures = append(r.Figures, Figure{Label: "NPS, wave " + lastNPS.Label, Value: fmt.Sprintf("%+.0f", lastNPS.Value),
			Note: fmt.Sprintf("%.0f to %+.0f at 95%%, n=%d", lastNPS.Low, lastNPS.High, lastNPS.N)})
	}
	if lastCSAT != nil {
		r.Figures = append(r.Figures, Figure{Label: "satisfied (CSAT), wave " + lastCSAT.Label, Value: fmt.Sprintf("%.0f%%", lastCSAT.Value),
			Note: fmt.Sprintf("%.0f–%.0f%% at 95%%, n=%d", lastCSAT.Low, lastCSAT.High, lastCSAT.N)})
	}
	if lastNPS == nil && lastCSAT == nil {
		r.Notes = append(r.Notes, fmt.Sprintf("Survey %s has no responses in waves %s yet.", src.Survey, strings.Join(src.Waves, ", ")))
	}
	return nil
}

func collectStrategies(ctx context.Context, src Sources, r *Report) error {
	for s, err := range src.Strategies.List(ctx, strategy.Filter{}) {
		if err != nil {
			return fmt.Errorf("dashboard: strategies: %w", err)
		}
		if s.Stage != "" && !s.Stage.Open() {
			continue
		}
		st := s.ReportAt(r.Generated, src.Strategies.Config().Thresholds)
		p := chart.Progress{Label: s.Title, Done: st.Progress, Elapsed: st.Elapsed, Status: string(st.Standing)}
		if len(s.Targets) > 0 {
			t := s.Targets[0]
			if v, ok := t.ValueAt(s.Start, r.Generated); ok {
				p.Detail = fmt.Sprintf("%s: %g → %g %s, now %g", t.Name, t.Baseline, t.Goal, t.Unit, v)
			} else {
				p.Detail = fmt.Sprintf("%s: %g → %g %s, too early to tell", t.Name, t.Baseline, t.Goal, t.Unit)
			}
		}
		r.Strategies = append(r.Strategies, p)
	}
	if len(r.Strategies) == 0 {
		r.Notes = append(r.Notes, "No improvement strategy is under way.")
	}
	return nil
}

func collectAssessment(ctx context.Context, src Sources, r *Report) error {
	var latest *assessment.Assessment
	for a, err := range src.Assessments.Assessments(ctx, src.Team) {
		if err != nil {
			return fmt.Errorf("dashboard: assessments: %w", err)
		}
		if latest == nil || a.Period.From.After(latest.Period.From) || a.Period.From.Equal(latest.Period.From) && a.ID > latest.ID {
			latest = &a
		}
	}
	if latest == nil {
		r.Notes = append(r.Notes, fmt.Sprintf("Team %q has not assessed itself yet.", src.Team))
		return nil
	}
	res, err := src.Assessments.Results(ctx, latest.ID)
	if err != nil {
		return fmt.Errorf("dashboard: assessment results: %w", err)
	}
	lo, hi := float64(res.Scale.Min()), float64(res.Scale.Max())
	r.FactorScale = Scale{Low: lo, High: hi, Mid: (lo + hi) / 2}
	r.FactorTitle = fmt.Sprintf("%s, %s, %d people (mean, 95%% interval)", latest.Team, latest.Period.From.Format("Jan 2006"), res.Participants)
	for _, f := range res.Factors {
		if f.N == 0 {
			continue
		}
		s := chart.Score{Label: fmt.Sprintf("%d. %s", f.Number, f.Title), Value: f.Mean, Low: f.Mean, High: f.Mean}
		if f.N > 1 {
			half := stats.StudentTQuantile(1-(1-confidence)/2, float64(f.N-1)) * f.StdDev / math.Sqrt(float64(f.N))
			s.Low, s.High = f.Mean-half, f.Mean+half
		}
		r.Factors = append(r.Factors, s)
	}
	return nil
}
