package demo

import (
	"context"
	"errors"
	"fmt"
	"github.com/cxkit/cxkit"
	"math/rand/v2"
	"time"

	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/strategy"
	"github.com/cxkit/cxkit/survey"
)

// Seeded counts what Seed wrote.
type Seeded struct {
	Complaints, Resolved, Feedback, Responses, Ratings, Strategies int
}

// Seed writes about three months of activity ending at end: complaints
// (most taken through the whole workflow), feedback, three monthly survey
// waves, one self-assessment of the team on every factor, and two
// strategies with check-ins. It moves clk to each moment it records and
// leaves it at end. The same seed gives the same data.
func Seed(ctx context.Context, l *Loop, clk *Clock, end time.Time, seed uint64) (Seeded, error) {
	var n Seeded
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	start := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, end.Location()).AddDate(0, -2, 0)

	// Complaints: delivery leads the Pareto, and gets a little better in
	// the last month once its strategy starts.
	weights := []int{12, 5, 4, 3, 2, 1} // by Categories
	for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for range 1 + rng.IntN(3) {
			at := day.Add(time.Duration(8*60+rng.IntN(9*60)) * time.Minute)
			if !at.Before(end) {
				continue
			}
			cat := Categories[pick(rng, weights)]
			if cat == "delivery" && end.Sub(at) < 21*24*time.Hour && rng.IntN(3) == 0 {
				cat = Categories[1+rng.IntN(len(Categories)-1)]
			}
			done, err := seedComplaint(ctx, l, clk, rng, at, cat, end)
			if err != nil {
				return n, err
			}
			n.Complaints++
			if done {
				n.Resolved++
			}
		}
	}

	// Feedback through the desk: the categoriser sorts it by its words.
	for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
		for range 2 + rng.IntN(4) {
			at := day.Add(time.Duration(7*60+rng.IntN(12*60)) * time.Minute)
			if !at.Before(end) {
				continue
			}
			clk.Set(at)
			text := feedbackTexts[rng.IntN(len(feedbackTexts))]
			ch := []feedback.Channel{feedback.ChannelEmail, feedback.ChannelPhone, feedback.ChannelOnlineForm, feedback.ChannelSocial}[rng.IntN(4)]
			if _, err := l.Feedback.Intake(ctx, feedback.Intake{Received: at, Channel: ch, CustomerRef: fmt.Sprintf("cust-%03d", rng.IntN(400)), Text: text, By: "desk"}); err != nil {
				return n, fmt.Errorf("demo: feedback: %w", err)
			}
			n.Feedback++
		}
	}

	// Three survey waves, one a month, slowly improving.
	clk.Set(start)
	if err := PublishSurvey(ctx, l); err != nil {
		return n, err
	}
	for w := range 3 {
		from := start.AddDate(0, w, 0)
		wave := from.Format("2006-01")
		for range 40 + rng.IntN(25) {
			at := from.Add(time.Duration(rng.IntN(27*24)) * time.Hour)
			if !at.Before(end) {
				continue
			}
			clk.Set(at)
			nps := clampInt(int(rng.NormFloat64()*2.2+6.8+0.5*float64(w)), 0, 10)
			csat := clampInt(int(rng.NormFloat64()*1.0+3.6+0.2*float64(w)), 1, 5)
			_, err := l.Feedback.Respond(ctx, feedback.Response{Survey: Survey, Version: 1, Wave: wave, Submitted: at,
				Answers: []survey.Answer{{Question: NPSQuestion, Value: nps}, {Question: CSATQuestion, Value: csat}}})
			if err != nil {
				return n, fmt.Errorf("demo: survey response: %w", err)
			}
			n.Responses++
		}
	}

	// The team's self-assessment on every factor, early in the last month.
	clk.Set(end.AddDate(0, -1, 0))
	r, err := seedAssessment(ctx, l, rng, end)
	if err != nil {
		return n, err
	}
	n.Ratings = r

	// Strategies: the worst complaint category, and the NPS.
	s, err := seedStrategies(ctx, l, clk, start, end)
	n.Strategies = s
	clk.Set(end)
	return n, err
}

// PublishSurvey publishes version 1 of the demo survey (NPS and CSAT
// questions) unless it exists.
func PublishSurvey(ctx context.Context, l *Loop) error {
	if _, err := l.Feedback.Form(ctx, Survey, 1); err == nil {
		return nil
	}
	_, err := l.Feedback.PublishForm(ctx, survey.Form{Name: Survey, Version: 1, Title: "How did we do?", Purpose: survey.PurposeSurvey,
		Sections: []survey.Section{{Title: "Overall", Questions: []survey.Question{
			{ID: NPSQuestion, Text: "How likely are you to recommend us to a friend?", Type: survey.QuestionTypeNPS},
			{ID: CSATQuestion, Text: "How satisfied were you with our service?", Type: survey.QuestionTypeCSAT},
		}}}})
	if err != nil {
		return fmt.Errorf("demo: publishing survey: %w", err)
	}
	return nil
}

func seedComplaint(ctx context.Context, l *Loop, clk *Clock, rng *rand.Rand, at time.Time, cat string, end time.Time) (resolved bool, err error) {
	clk.Set(at)
	sev := []complaints.Severity{complaints.SeverityLow, complaints.SeverityMedium, complaints.SeverityMedium, complaints.SeverityHigh}[rng.IntN(4)]
	c, err := l.Complaints.Log(ctx, complaints.Intake{
		Received:   at,
		Channel:    []complaints.Channel{complaints.ChannelPhone, complaints.ChannelEmail, complaints.ChannelOnlineForm}[rng.IntN(3)],
		Customer:   complaints.Customer{Ref: fmt.Sprintf("cust-%03d", rng.IntN(400))},
		Summary:    complaintSummaries[cat][rng.IntN(len(complaintSummaries[cat]))],
		Category:   cat,
		MadeBy:     complaints.MadeByRegular,
		DirectedAt: complaints.Target{Kind: complaints.TargetKindTeam, Name: cat},
		Severity:   sev,
		By:         "customer desk",
	})
	if err != nil {
		return false, fmt.Errorf("demo: logging complaint: %w", err)
	}
	// Work through the steps, a few hours apart, as long as that stays
	// before the end of the seeded period.
	t := at
	step := func() bool {
		t = t.Add(time.Duration(2+rng.IntN(30)) * time.Hour)
		if !t.Before(end) {
			return false
		}
		clk.Set(t)
		return true
	}
	in := complaints.Input{By: "Alex"}
	if !step() {
		return false, nil
	}
	if _, err = l.Complaints.Investigate(ctx, c.ID, in); err != nil {
		return false, err
	}
	if !step() {
		return false, nil
	}
	if _, err = l.Complaints.Acknowledge(ctx, c.ID, "Alex", in); err != nil {
		return false, err
	}
	if !step() {
		return false, nil
	}
	if _, err = l.Complaints.Decide(ctx, c.ID, remedy.Decision{Kind: remedy.KindApology, By: remedy.Actor{Name: "Alex", Role: "agent"}, Note: "apologised and explained"}, 0); err != nil {
		return false, err
	}
	if _, err = l.Complaints.Notify(ctx, c.ID, "phone", in); err != nil {
		return false, err
	}
	if !step() {
		return true, nil
	}
	if _, err = l.Complaints.FollowUp(ctx, c.ID, rng.IntN(5) > 0, in); err != nil {
		return true, err
	}
	_, err = l.Complaints.Close(ctx, c.ID, "resolved", in)
	return true, err
}

func seedAssessment(ctx context.Context, l *Loop, rng *rand.Rand, end time.Time) (int, error) {
	people := []string{"Alex", "Bea", "Chen", "Dana", "Eli"}
	from := end.AddDate(0, -1, 0)
	builtin, err := assessment.BuiltinCatalogue(assessment.FactorsCatalogue)
	if err != nil {
		return 0, err
	}
	a, err := l.Assessments.Create(ctx, assessment.Assessment{
		Catalogue: builtin.ID, CatalogueVersion: builtin.Version, Team: Team,
		Period: assessment.Period{From: from, To: from.AddDate(0, 0, 14)}, Participants: people,
	}, "Dana")
	if err != nil {
		return 0, fmt.Errorf("demo: assessment: %w", err)
	}
	cat, err := l.Assessments.Catalogue(ctx, a.Catalogue, a.CatalogueVersion)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range people {
		var rs []assessment.Rating
		for fi, f := range cat.Factors {
			centre := 2.6 + float64((fi*7)%10)/6 // a varied profile
			for _, s := range f.Statements {
				rs = append(rs, assessment.Rate(s.ID, clampInt(int(rng.NormFloat64()*0.8+centre+0.5), 1, 5)))
			}
		}
		if err := l.Assessments.Rate(ctx, a.ID, p, rs...); err != nil {
			return n, fmt.Errorf("demo: rating: %w", err)
		}
		n += len(rs)
	}
	return n, nil
}

func seedStrategies(ctx context.Context, l *Loop, clk *Clock, start, end time.Time) (int, error) {
	// Draft from the worst category of the first two months.
	mid := start.AddDate(0, 2, 0)
	clk.Set(mid)
	p, err := l.Complaints.Pareto(ctx, start, mid, complaints.DimensionCategory)
	if err != nil {
		return 0, err
	}
	if len(p.Rows) == 0 {
		return 0, nil
	}
	top := p.Rows[0]
	draft, err := l.Strategies.DraftFromCategory(ctx, strategy.CategoryTrend{Category: top.Value, Count: top.Count, Share: top.Share, From: mid.AddDate(0, 0, -28), To: mid},
		strategy.DraftOptions{Start: mid, Deadline: mid.AddDate(0, 3, 0), Owner: "Dana", Goals: []string{"G1"}})
	if err != nil {
		return 0, fmt.Errorf("demo: drafting: %w", err)
	}
	draft.Alternatives = []strategy.Alternative{{ID: "A", Title: "Book delivery slots with the customer and text the driver's ETA"}}
	draft.Recommended = "A"
	draft.CheckInDays = 14
	s1, err := l.Strategies.Create(ctx, draft, "Dana")
	if err != nil {
		return 0, fmt.Errorf("demo: strategy: %w", err)
	}
	clk.Set(end.Add(-time.Hour))
	// A demo shorter than a measurement window after the start has nothing
	// to check in yet: the dashboard then says it is too early to tell.
	if _, err := l.Strategies.MeasureCheckIn(ctx, s1.ID, s1.Targets[0].ID, "Dana", strategy.ConfidenceMedium, "first weeks of booked slots"); err != nil && !errors.Is(err, strategy.ErrTooEarly) {
		return 1, fmt.Errorf("demo: check-in: %w", err)
	}

	clk.Set(start.AddDate(0, 1, 0))
	s2 := strategy.Strategy{
		Title: "Customers who would recommend us", Issue: "Too few customers would recommend us after buying",
		Owner: "Eli", Start: start.AddDate(0, 1, 0), Deadline: start.AddDate(0, 7, 0), CheckInDays: 30, Goals: []string{"G2"},
		Alternatives: []strategy.Alternative{{ID: "A", Title: "Call every customer a week after delivery"}}, Recommended: "A",
		Targets: []strategy.Target{{ID: "T1", Name: "Net Promoter Score", Metric: cxkit.Metric{Name: "nps"}, Unit: "points", Baseline: 5, Goal: 30,
			Direction: strategy.DirectionIncrease, Source: strategy.SourceManual, EnteredBy: "Eli", Weight: 1}},
	}
	s2, err = l.Strategies.Create(ctx, s2, "Eli")
	if err != nil {
		return 1, fmt.Errorf("demo: strategy: %w", err)
	}
	clk.Set(end.Add(-time.Hour))
	if _, err := l.Strategies.CheckIn(ctx, s2.ID, "T1", strategy.CheckIn{At: end.Add(-time.Hour), Value: 12, Confidence: strategy.ConfidenceMedium, By: "Eli", Note: "latest wave"}); err != nil {
		return 2, fmt.Errorf("demo: check-in: %w", err)
	}
	return 2, nil
}

func pick(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }

var complaintSummaries = map[string][]string{
	"delivery":        {"Parcel arrived four days after the promised date", "Driver left the washing machine on the footpath", "Delivery window missed twice"},
	"billing":         {"Charged twice for one order", "Invoice shows the wrong price"},
	"product quality": {"Kettle stopped working after a week", "Fridge is much noisier than advertised"},
	"staff attitude":  {"Store assistant was dismissive", "Agent hung up mid-call"},
	"returns":         {"Return refused although within the period", "Waiting three weeks for a return pickup"},
	"website":         {"Checkout fails at the payment step", "Cannot log in to track my order"},
}

var feedbackTexts = []string{
	"The delivery was late and nobody called",
	"Courier was friendly and careful with the fridge",
	"I was charged twice on my invoice",
	"Thank you for the quick refund",
	"My toaster broke after two weeks",
	"The staff at the Fremantle store were very helpful",
	"The checkout on the website keeps timing out",
	"Could you offer evening delivery slots?",
	"Returns process was easy, well done",
	"The app login does not work on my phone",
	"Great quality, the dishwasher is very quiet",
	"Agent was rude when I asked about my parcel",
}
