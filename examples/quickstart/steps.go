package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/cxkit/cxkit/strategy/budget"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/strategy"
	"github.com/cxkit/cxkit/survey"
)

const day = 24 * time.Hour

// found counts what earlier runs left in the data directory.
type found struct {
	complaints, feedback, assessments, strategies int64
}

func (f found) empty() bool { return f == found{} }

func (l *loop) count(ctx context.Context) (found, error) {
	var f found
	for kind, n := range map[string]*int64{
		complaints.Kind: &f.complaints, feedback.RecordItem: &f.feedback,
		assessment.KindAssessment: &f.assessments, strategy.Kind: &f.strategies,
	} {
		gs, err := store.Count(ctx, l.driver, kind, nil)
		if err != nil {
			return f, err
		}
		*n = gs[0].Count
	}
	return f, nil
}

func (l *loop) greet(ctx context.Context, p *printer) error {
	f, err := l.count(ctx)
	if err != nil {
		return err
	}
	l.found = f
	fmt.Fprintf(p.w, "cxkit quickstart: the whole customer-service loop, stored in %s\n", l.dir)
	if f.empty() {
		p.line("new data directory: everything below is written there.")
	} else {
		p.line("found %s, %s, %s and %s from an earlier run; adding more.",
			plural(f.complaints, "complaint"), plural(f.feedback, "feedback item"), plural(f.assessments, "assessment"), plural(f.strategies, "strategy"))
	}
	return nil
}

// rng makes each run's made-up data different from the last run's, and
// the same for the same state of the directory.
func (l *loop) rng() *rand.Rand {
	return rand.New(rand.NewPCG(uint64(l.found.complaints), 42))
}

// assess runs a self-assessment of one team on two of the ten built-in
// factors: four people rate every statement, the service scores them and
// suggests what the team does well and what it should do better, and the
// team takes the suggestions.
func (l *loop) assess(ctx context.Context, p *printer) error {
	cat, err := assessment.BuiltinCatalogue(assessment.FactorsCatalogue)
	if err != nil {
		return err
	}
	factors := []string{"leadership", "monitoring"}
	people := []string{"Ana", "Ben", "Cai", "Dee"}
	l.clock.Set(l.now.Add(-2 * day))
	a, err := l.assessments.Create(ctx, assessment.Assessment{
		Catalogue: cat.ID, CatalogueVersion: cat.Version, Team: team,
		Period:       assessment.Period{From: l.now.Add(-7 * day), To: l.now.Add(7 * day)},
		Participants: people, Factors: factors,
	}, "Dee")
	if err != nil {
		return err
	}
	rng := l.rng()
	ratings := 0
	for _, person := range people {
		var rs []assessment.Rating
		for _, fid := range factors {
			f, _ := cat.Factor(fid)
			for i, s := range f.Statements {
				// Some statements the team agrees with, some it doubts.
				centre := 2.0 + float64((i*5)%7)/2.5
				score := min(5, max(1, int(centre+rng.NormFloat64()*0.7+0.5)))
				rs = append(rs, assessment.Rate(s.ID, score))
			}
		}
		if err := l.assessments.Rate(ctx, a.ID, person, rs...); err != nil {
			return err
		}
		ratings += len(rs)
	}
	res, err := l.assessments.Results(ctx, a.ID)
	if err != nil {
		return err
	}
	p.line("team %q, %d people, %d ratings on a 1-5 agreement scale", team, len(people), ratings)
	for _, fr := range res.Factors {
		p.line("  factor %d, %s: mean %.1f (spread %.1f)", fr.Number, fr.Title, fr.Mean, fr.StdDev)
	}
	for _, fid := range factors {
		wells, betters, err := l.assessments.Suggest(ctx, a.ID, fid)
		if err != nil {
			return err
		}
		for kind, list := range map[assessment.PickKind][]assessment.Suggestion{assessment.PickKindDoWell: wells, assessment.PickKindDoBetter: betters} {
			var cs []assessment.Choice
			for _, s := range list {
				cs = append(cs, assessment.Choice{Statement: s.Statement})
			}
			if _, err := l.assessments.Choose(ctx, a.ID, fid, kind, "Dee", cs...); err != nil {
				return err
			}
		}
		f, _ := cat.Factor(fid)
		p.line("  to do better in %q:", f.Title)
		for _, s := range betters {
			st, _, _ := cat.Statement(s.Statement)
			p.line("    #%d (mean %.1f) %s", s.Number, s.Mean, shorten(st.Text, 80))
		}
	}
	if _, err := l.assessments.Close(ctx, a.ID, "Dee"); err != nil {
		return err
	}
	p.line("assessment closed: the picks are fixed and can become actions and strategies")
	return nil
}

// handleComplaints logs six weeks of complaints and works most of them
// through the resolution workflow, then shows what the log says.
func (l *loop) handleComplaints(ctx context.Context, p *printer) error {
	rng := l.rng()
	from := l.now.Add(-42 * day)
	summaries := map[string]string{
		"delivery": "Parcel arrived days after the promised date", "billing": "Charged twice for one order",
		"product quality": "Kettle stopped working after a week", "staff attitude": "Agent hung up mid-call",
		"returns": "Return refused although within the period", "website": "Checkout fails at the payment step",
	}
	var ids []string
	resolved := 0
	const n = 18
	for i := range n {
		at := from.Add(time.Duration(i) * 40 * day / n).Add(time.Duration(rng.IntN(8)) * time.Hour)
		category := categories[rng.IntN(len(categories))]
		// Delivery is the big problem in the first four weeks, and eases
		// only a little in the two since the strategy started.
		if before := at.Before(l.now.Add(-14 * day)); before && rng.IntN(2) == 0 || !before && rng.IntN(5) < 2 {
			category = "delivery"
		}
		l.clock.Set(at)
		c, err := l.complaints.Log(ctx, complaints.Intake{
			Received:   at,
			Channel:    complaints.ChannelPhone,
			Customer:   complaints.Customer{Ref: fmt.Sprintf("cust-%03d", rng.IntN(300))},
			Summary:    summaries[category],
			Category:   category,
			MadeBy:     complaints.MadeByRegular,
			DirectedAt: complaints.Target{Kind: complaints.TargetKindTeam, Name: category},
			Severity:   complaints.SeverityMedium,
			By:         "Ana",
		})
		if err != nil {
			return err
		}
		ids = append(ids, c.ID)
		if i >= n-3 {
			continue // the newest stay open
		}
		if err := l.resolve(ctx, c.ID, at, rng); err != nil {
			return err
		}
		resolved++
	}
	l.clock.Set(l.now)
	p.line("logged %d complaints received over the last six weeks; resolved and closed %d, %d still open", n, resolved, n-resolved)

	// The history of one complaint is its audit trail.
	first, err := l.complaints.Get(ctx, ids[0])
	if err != nil {
		return err
	}
	var trail []string
	for _, h := range first.History {
		if h.To != "" {
			trail = append(trail, string(h.To))
		}
	}
	p.line("one complaint's trail: %s", strings.Join(trail, " → "))

	// Steps out of order are refused, with the reason.
	_, err = l.complaints.Close(ctx, ids[len(ids)-1], "resolved", complaints.Input{By: "Ana"})
	var te *cxkit.TransitionError
	if errors.As(err, &te) {
		p.line("closing a complaint nobody has investigated is refused: cannot %s a complaint that is %s", te.Step, te.From)
	} else {
		return fmt.Errorf("closing a new complaint: want a transition error, got %v", err)
	}

	sum, err := l.complaints.Summarise(ctx, from, l.now)
	if err != nil {
		return err
	}
	p.line("Pareto of the last six weeks (all runs), by category:")
	for i, row := range sum.Pareto.Rows {
		if i == 3 {
			p.line("  ... and %d more categories", len(sum.Pareto.Rows)-3)
			break
		}
		p.line("  %-16s %3d  %3.0f%%  (cumulative %3.0f%%)", row.Value, row.Count, row.Share*100, row.Cumulative*100)
	}
	if sum.Resolution.N > 0 {
		p.line("median time to resolve: %.0f hours (90%% within %.0f hours)", sum.Resolution.Median, sum.Resolution.P90)
	}
	return nil
}

// resolve takes a complaint through every step, a few hours apart.
func (l *loop) resolve(ctx context.Context, id string, at time.Time, rng *rand.Rand) error {
	in := complaints.Input{By: "Ben"}
	next := func() { at = at.Add(time.Duration(1+rng.IntN(14)) * time.Hour); l.clock.Set(at) }
	next()
	if _, err := l.complaints.Investigate(ctx, id, in); err != nil {
		return err
	}
	next()
	if _, err := l.complaints.Acknowledge(ctx, id, "Ben", in); err != nil {
		return err
	}
	next()
	// An apology costs nothing, so it is within every role's authority; a
	// refund above the agent's limit would wait for a team leader.
	if _, err := l.complaints.Decide(ctx, id, remedy.Decision{Kind: remedy.KindApology,
		By: remedy.Actor{Name: "Ben", Role: "agent"}, Note: "apologised and explained what went wrong"}, 0); err != nil {
		return err
	}
	if _, err := l.complaints.Notify(ctx, id, "phone", in); err != nil {
		return err
	}
	next()
	if _, err := l.complaints.FollowUp(ctx, id, true, in); err != nil {
		return err
	}
	_, err := l.complaints.Close(ctx, id, "resolved", in)
	return err
}

// listen takes feedback in from several channels: each item is sorted into
// a category (by a rule here), routed to its owner, and the complaint among
// them is handed to the complaints process. Then a short survey is scored.
func (l *loop) listen(ctx context.Context, p *printer) error {
	items := []struct {
		text    string
		channel feedback.Channel
	}{
		{"The courier left my parcel in the rain", feedback.ChannelEmail},
		{"Thank you, the staff at the counter were so helpful", feedback.ChannelFaceToFace},
		{"I was charged twice on my last invoice", feedback.ChannelPhone},
		{"Could you offer evening delivery slots?", feedback.ChannelOnlineForm},
		{"The kettle is noisy but works", feedback.ChannelSocial},
		{"Your checkout page keeps timing out on my phone", feedback.ChannelSocial},
	}
	var uncategorised []feedback.Item
	var complaint *feedback.Item
	for i, in := range items {
		at := l.now.Add(-time.Duration(len(items)-i) * 12 * time.Hour)
		l.clock.Set(at)
		it, err := l.feedback.Intake(ctx, feedback.Intake{Received: at, Channel: in.channel, Text: in.text, By: "inbox"})
		if err != nil {
			return err
		}
		how := string(it.Categorisation.Source)
		if it.Categorisation.Phrase != "" {
			how = fmt.Sprintf("rule %s, %q", it.Categorisation.Rule, it.Categorisation.Phrase)
		}
		p.line("%-52q %-10s → %s (%s), for the %s", shorten(in.text, 50), it.Kind, it.Category(), how, it.Owner)
		if it.Category() == feedback.Uncategorised {
			uncategorised = append(uncategorised, it)
		}
		if it.Kind == feedback.KindComplaint && complaint == nil {
			complaint = &it
		}
	}
	l.clock.Set(l.now)
	// Nothing matched one item: a person sorts it, and the correction
	// becomes a training example for the classifier.
	for _, it := range uncategorised {
		it, err := l.feedback.Recategorise(ctx, it.ID, "website", "Ana", "checkout is part of the website")
		if err != nil {
			return err
		}
		p.line("sorted by hand: %q → %s, now with the %s", shorten(it.Text, 40), it.Category(), it.Owner)
	}
	if complaint != nil {
		it, err := l.feedback.HandOff(ctx, complaint.ID, "Ana")
		if err != nil {
			return err
		}
		c, err := l.complaints.Get(ctx, it.ComplaintID)
		if err != nil {
			return err
		}
		p.line("the complaint %q went to the complaints process, filed under %s, status %s", shorten(it.Text, 40), c.Category, c.Status)
	}
	return l.survey(ctx, p)
}

// survey publishes a two-question survey (once) and scores this month's
// wave of responses.
func (l *loop) survey(ctx context.Context, p *printer) error {
	if _, err := l.feedback.Form(ctx, surveyName, 1); errors.Is(err, store.ErrNotFound) {
		_, err = l.feedback.PublishForm(ctx, survey.Form{Name: surveyName, Version: 1, Title: "How did we do?", Purpose: survey.PurposeSurvey,
			Sections: []survey.Section{{Title: "Overall", Questions: []survey.Question{
				{ID: npsQuestion, Text: "How likely are you to recommend us to a friend?", Type: survey.QuestionTypeNPS},
				{ID: csatQuestion, Text: "How satisfied were you with our service?", Type: survey.QuestionTypeCSAT},
			}}}})
		if err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	wave := l.now.Format("2006-01")
	rng := l.rng()
	for range 30 {
		nps := min(10, max(0, int(rng.NormFloat64()*1.8+8.5)))
		csat := min(5, max(1, int(rng.NormFloat64()+4.5)))
		if _, err := l.feedback.Respond(ctx, feedback.Response{Survey: surveyName, Version: 1, Wave: wave,
			Answers: []survey.Answer{{Question: npsQuestion, Value: nps}, {Question: csatQuestion, Value: csat}}}); err != nil {
			return err
		}
	}
	nps, err := l.feedback.WaveNPS(ctx, surveyName, wave, npsQuestion, 0.95)
	if err != nil {
		return err
	}
	p.line("survey wave %s: %d responses, NPS %+.0f (95%% interval %+.0f to %+.0f)", wave, nps.N, nps.Score, nps.Low, nps.High)
	return nil
}

// plan drafts a strategy against the complaint category that led the
// Pareto over the two weeks before it started (two weeks ago), with the
// baseline measured from the complaints themselves: two weeks, so that one
// full measurement window has passed by the check-in. A later run finds the
// strategy and checks in on it instead of drafting a second.
func (l *loop) plan(ctx context.Context, p *printer) error {
	start := l.now.Add(-14 * day)
	from := start.Add(-14 * day)
	par, err := l.complaints.Pareto(ctx, from, start, complaints.DimensionCategory)
	if err != nil {
		return err
	}
	if len(par.Rows) == 0 {
		return errors.New("no complaints to plan from")
	}
	top := par.Rows[0]
	p.line("%q led the complaints in the two weeks to %s: %d of %d (%.0f%%)", top.Value, start.Format("2 Jan"), top.Count, par.Total, top.Share*100)

	for s, err := range l.strategies.List(ctx, strategy.Filter{Origin: strategy.OriginCategory}) {
		if err != nil {
			return err
		}
		if s.Origin != nil && s.Origin.Ref == top.Value && (s.Stage == "" || s.Stage.Open()) {
			l.strategy = s
			p.line("found the strategy %q from an earlier run; checking in on it below", s.Title)
			return nil
		}
	}

	l.clock.Set(start)
	draft, err := l.strategies.DraftFromCategory(ctx,
		strategy.CategoryTrend{Category: top.Value, Count: top.Count, Share: top.Share, From: from, To: start},
		strategy.DraftOptions{Start: start, Deadline: start.Add(91 * day), Owner: "Dee", Goals: []string{"G1"}})
	if err != nil {
		return err
	}
	// A draft is a starting point: the author adds what only people know.
	draft.Alternatives = []strategy.Alternative{
		{ID: "A", Title: "Book a delivery slot with each customer and text the ETA",
			Activities: []string{"Add slot booking to the delivery system", "Train the delivery desk"}},
		{ID: "B", Title: "Change courier"},
	}
	draft.Recommended = "A"
	draft.CheckInDays = 14
	t := draft.Targets[0]
	p.line("drafted %q", draft.Title)
	p.line("target: %s from %g to %g per %d days, by %s", t.Name, t.Baseline, t.Goal, int(t.Window()/day), draft.Deadline.Format("2 Jan 2006"))

	if err := l.review(ctx, p, draft); err != nil {
		return err
	}
	// The review says what is missing; the author supplies it and asks
	// again. Only people know the scope and the cost.
	draft.Scope = "Home deliveries of large appliances in the metro area"
	draft.Budget = []budget.Line{
		{Description: "Slot-booking add-on for the delivery system", Activity: "Add slot booking to the delivery system",
			Kind: budget.KindProject, Area: budget.AreaPolicies, Amount: money.MustNew(400_000, "AUD"), StaffHours: 20},
		{Description: "Delivery desk training", Activity: "Train the delivery desk",
			Kind: budget.KindProject, Area: budget.AreaTraining, Amount: money.MustNew(50_000, "AUD"), StaffHours: 40}}
	p.line("after adding a scope and a budget:")
	if err := l.review(ctx, p, draft); err != nil {
		return err
	}
	s, err := l.strategies.Create(ctx, draft, "Dee")
	if err != nil {
		return err
	}
	l.strategy = s
	p.line("stored the strategy %q", s.Title)
	return nil
}

// review runs the SMART check and prints its verdict.
func (l *loop) review(ctx context.Context, p *printer, s strategy.Strategy) error {
	r, err := l.strategies.CheckDraft(ctx, s)
	if err != nil {
		return err
	}
	p.line("SMART review: %d of %d findings met", len(r.Findings)-len(r.Failed()), len(r.Findings))
	for _, f := range r.Failed() {
		p.line("  %s", f)
	}
	return nil
}

// checkIn measures the strategy's target now, over a window as long as the
// baseline's, and says where the strategy stands.
func (l *loop) checkIn(ctx context.Context, p *printer) error {
	l.clock.Set(l.now)
	t := l.strategy.Targets[0]
	s, err := l.strategies.MeasureCheckIn(ctx, l.strategy.ID, t.ID, "Dee", strategy.ConfidenceMedium, "quickstart check-in")
	if err != nil {
		return err
	}
	l.strategy = s
	t = s.Targets[0]
	ci := t.CheckIns[len(t.CheckIns)-1]
	p.line("%s: now %g (baseline %g, goal %g); evidence: %s", t.Name, ci.Value, t.Baseline, t.Goal, strings.Join(ci.Evidence, "; "))
	if !l.found.empty() {
		p.line("(the count includes the complaints every earlier run made up, so it rises with each run)")
	}
	st := s.ReportAt(l.now, l.strategies.Config().Thresholds)
	p.line("progress %.0f%% with %.0f%% of the time used: %s", st.Progress*100, st.Elapsed*100, st.Standing)
	return nil
}

func (l *loop) farewell(ctx context.Context, p *printer) error {
	f, err := l.count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(p.w, "\nDone. %s now holds %s, %s, %s and %s.\n", l.dir,
		plural(f.complaints, "complaint"), plural(f.feedback, "feedback item"), plural(f.assessments, "assessment"), plural(f.strategies, "strategy"))
	fmt.Fprintf(p.w, "Next: go run ./examples/dashboard -data %s   (the monthly summary in your browser)\n", l.dir)
	return nil
}

// plural says how many of a thing there are, in English.
func plural(n int64, thing string) string {
	switch {
	case n == 1:
		return "1 " + thing
	case strings.HasSuffix(thing, "y"):
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(thing, "y"))
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// shorten cuts s to n runes for one-line output.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
