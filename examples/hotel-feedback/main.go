// Command hotel-feedback sorts a week of a small hotel's feedback into the
// hotel's own categories, passes each item to the manager responsible,
// prints the monthly summary the managers meet over and compares two waves
// of the guest survey. Everything is kept in a file store.
//
//	go run ./examples/hotel-feedback            # a fresh temporary store
//	go run ./examples/hotel-feedback -dir data  # keep the store in ./data
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/survey"
)

// The hotel's categories, in the seed's words: food, housekeeping and the
// front desk; plus the leisure facilities.
var categories = []string{"food", "housekeeping", "front-desk", "facilities"}

// training is what the marketing coordinator labelled by hand last year.
var training = []classify.Example{
	{Text: "the soup was cold", Category: "food"},
	{Text: "dinner took an hour to arrive", Category: "food"},
	{Text: "lovely breakfast, fresh bread and good coffee", Category: "food"},
	{Text: "the steak was overcooked", Category: "food"},
	{Text: "the restaurant ran out of desserts", Category: "food"},
	{Text: "the waiter brought the wrong dish", Category: "food"},
	{Text: "the bathroom was not cleaned", Category: "housekeeping"},
	{Text: "fresh towels and a spotless room", Category: "housekeeping"},
	{Text: "hair in the shower and dust on the shelves", Category: "housekeeping"},
	{Text: "our bed was not made until the afternoon", Category: "housekeeping"},
	{Text: "the room smelled of smoke", Category: "housekeeping"},
	{Text: "check in was quick and friendly", Category: "front-desk"},
	{Text: "reception lost our booking", Category: "front-desk"},
	{Text: "the receptionist was rude", Category: "front-desk"},
	{Text: "we waited half an hour to check out", Category: "front-desk"},
	{Text: "the concierge booked us a great tour", Category: "front-desk"},
	{Text: "thanks for arranging adjoining rooms for us", Category: "front-desk"},
	{Text: "the pool was too cold", Category: "facilities"},
	{Text: "the gym equipment is broken", Category: "facilities"},
	{Text: "the wifi kept dropping", Category: "facilities"},
	{Text: "the sauna was closed all weekend", Category: "facilities"},
	{Text: "parking is too expensive", Category: "facilities"},
}

// rules are the phrases the hotel decided always mean one category.
var rules = []feedback.Rule{
	{ID: "food-words", Category: "food", Phrases: []string{"room service", "menu", "breakfast", "vegetarian", "chef"}},
	{ID: "room-cleaning", Category: "housekeeping", Phrases: []string{"towels", "sheets", "housekeeping"}},
}

// routes: food to the chef, a compliment about the rooms to the front-desk
// manager, complaints about them to the head housekeeper.
var routes = []feedback.Route{
	{Category: "food", Owner: "Chef Marco"},
	{Category: "housekeeping", Owner: "Head housekeeper Ana"},
	{Category: "housekeeping", Kind: feedback.KindCompliment, Owner: "Front-desk manager Sam"},
	{Category: "front-desk", Owner: "Front-desk manager Sam"},
	{Category: "facilities", Owner: "Facilities manager Lee"},
}

type entry struct {
	day     int // day of the week, 0 = Monday
	channel feedback.Channel
	guest   string
	text    string
}

// week is the feedback of the last week of May.
var week = []entry{
	{0, feedback.ChannelFeedbackForm, "g101", "I ordered room service twice and the meal came cold each time."},
	{0, feedback.ChannelEmail, "g102", "Thank you for arranging adjoining rooms for our family - it was great."},
	{0, feedback.ChannelLetter, "g103", "I wish the menu had more vegetarian dishes."},
	{1, feedback.ChannelPhone, "g104", "The breakfast eggs were cold again."},
	{1, feedback.ChannelFaceToFace, "g105", "The receptionist was very helpful with our late check in."},
	{1, feedback.ChannelSocial, "", "Dinner at the hotel restaurant was slow and the steak was overcooked."},
	{2, feedback.ChannelOnlineForm, "g106", "Fresh towels every day and a spotless room, thank you."},
	{2, feedback.ChannelEmail, "g107", "The pool was closed without notice."},
	{2, feedback.ChannelFeedbackForm, "g108", "Room service forgot the dessert."},
	{3, feedback.ChannelMysteryShopper, "", "Waited twelve minutes at reception before anyone greeted me."},
	{3, feedback.ChannelFeedbackForm, "g109", "The menu has hardly changed in a year."},
	{3, feedback.ChannelStaffObservation, "", "Guests at table 4 sent back two cold plates."},
	{4, feedback.ChannelEmail, "g110", "Could you offer gluten free bread at breakfast?"},
	{4, feedback.ChannelPhone, "g111", "Our bathroom was not cleaned on Thursday."},
	{4, feedback.ChannelEmail, "g112", "Is there a charge for parking overnight?"},
	{5, feedback.ChannelFeedbackForm, "g113", "The chef's seafood pasta was the best meal of our trip."},
	{5, feedback.ChannelSocial, "", "The wifi in room 214 kept dropping all evening."},
	{6, feedback.ChannelOnlineForm, "g114", "Lunch was served lukewarm and the waiter seemed rushed."},
	{6, feedback.ChannelLetter, "g115", "xkcd plugh"},
	{6, feedback.ChannelPhone, "g116", "The breakfast coffee was cold and bitter."},
	{6, feedback.ChannelEmail, "g117", "Room service took over an hour to bring a sandwich."},
}

// stayRatings are the "rate your stay, 1 to 5" boxes ticked on the paper
// and online forms, by position in week.
var stayRatings = map[int]int{0: 2, 6: 5, 8: 3, 10: 3, 15: 5, 17: 2}

func main() {
	dir := flag.String("dir", "", "directory of the file store (default: a new temporary directory, removed on exit)")
	flag.Parse()
	if *dir == "" {
		tmp, err := os.MkdirTemp("", "hotel-feedback")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		*dir = tmp
	}
	if err := run(context.Background(), *dir, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, dir string, w io.Writer) error {
	db, err := file.Open(dir)
	if err != nil {
		return err
	}
	defer db.Close()

	// The story is set in May 2026; the clock is fixed so the output is
	// the same on every run.
	now := time.Date(2026, 5, 31, 20, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	model, err := classify.Train(training, classify.TrainOptions{})
	if err != nil {
		return err
	}
	desk, err := feedback.New(db, feedback.Config{
		Categories: categories, Rules: rules, Routes: routes,
		FallbackOwner: "General manager Kim", Threshold: 0.35,
	}, feedback.WithClassifier(model), feedback.WithClock(clock))
	if err != nil {
		return err
	}

	if err := history(ctx, desk); err != nil {
		return err
	}

	fmt.Fprintln(w, "== The week of 25 May: sorted and passed on ==")
	monday := time.Date(2026, 5, 25, 9, 0, 0, 0, time.UTC)
	for i, e := range week {
		in := feedback.Intake{
			Received: monday.Add(time.Duration(e.day)*24*time.Hour + time.Duration(i)*10*time.Minute),
			Channel:  e.channel, CustomerRef: e.guest, Text: e.text, By: "marketing coordinator",
		}
		if r, ok := stayRatings[i]; ok {
			in.Ratings = []feedback.Rating{{Name: "stay", Value: r, Min: 1, Max: 5}}
		}
		it, err := desk.Intake(ctx, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-10s %-13s %-6s %-24s %s\n", it.Kind, it.Category(), it.Categorisation.Source, it.Owner, short(it.Text))
	}

	// The queue: a person sorts what the categoriser could not, reading
	// each item.
	decisions := map[string][2]string{
		"xkcd plugh": {"front-desk", "illegible letter, handed in at reception"},
		"Guests at table 4 sent back two cold plates.":                 {"food", "plates sent back from the restaurant"},
		"Waited twelve minutes at reception before anyone greeted me.": {"front-desk", "waiting at reception"},
	}
	var queued []feedback.Item
	for it, err := range desk.Uncategorised(ctx) {
		if err != nil {
			return err
		}
		queued = append(queued, it)
	}
	for _, it := range queued {
		d, ok := decisions[it.Text]
		if !ok {
			d = [2]string{"front-desk", "nobody else's"}
		}
		fixed, err := desk.Recategorise(ctx, it.ID, d[0], "Marketing coordinator", d[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nFrom the uncategorised queue: %q -> %s, passed to %s\n", it.Text, fixed.Category(), fixed.Owner)
	}

	// The chef acknowledges everything passed to him.
	from, to := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var chef []string
	for it, err := range desk.Items(ctx, feedback.ItemFilter{From: from, To: to, Owner: "Chef Marco", Unacknowledged: true}) {
		if err != nil {
			return err
		}
		chef = append(chef, it.ID)
	}
	for _, id := range chef {
		if _, err := desk.Acknowledge(ctx, id, "Chef Marco"); err != nil {
			return err
		}
	}

	s, err := desk.Summarise(ctx, from, to, feedback.SummaryOptions{})
	if err != nil {
		return err
	}
	printSummary(w, s)

	return waves(ctx, desk, w)
}

// history fills the four months before May with the usual trickle of
// feedback, so that the summary has a previous period and a baseline.
func history(ctx context.Context, desk *feedback.Service) error {
	usual := []struct {
		text string
		n    int
	}{
		{"The breakfast was fine.", 2},
		{"Towels were not changed.", 8},
		{"Check in was slow.", 8},
		{"The pool was too cold.", 2},
		{"Thank you, the front desk staff were lovely.", 2},
	}
	for m := 1; m <= 4; m++ {
		start := time.Date(2026, time.Month(m), 3, 10, 0, 0, 0, time.UTC)
		for _, u := range usual {
			for i := range u.n {
				if _, err := desk.Intake(ctx, feedback.Intake{
					Received: start.Add(time.Duration(i) * 49 * time.Hour), Channel: feedback.ChannelFeedbackForm, Text: u.text,
				}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func printSummary(w io.Writer, s feedback.Summary) {
	fmt.Fprintf(w, "\n== Summary for May 2026 (%d items; April: %d) ==\n", s.Total, s.PreviousTotal)
	show := func(title string, cs []feedback.Count) {
		fmt.Fprintf(w, "%s:\n", title)
		for _, c := range cs {
			fmt.Fprintf(w, "  %-18s %3d  (April %d, %+d)\n", c.Value, c.Now, c.Previous, c.Change())
		}
	}
	show("By category", s.ByCategory)
	show("By kind", s.ByKind)
	show("By channel", s.ByChannel)
	fmt.Fprintln(w, "Top phrases:")
	cats := make([]string, 0, len(s.TopPhrases))
	for c := range s.TopPhrases {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		var ps []string
		for _, p := range s.TopPhrases[c] {
			ps = append(ps, fmt.Sprintf("%q x%d", p.Text, p.Items))
		}
		fmt.Fprintf(w, "  %-13s %s\n", c, strings.Join(ps, ", "))
	}
	for _, r := range s.Ratings {
		fmt.Fprintf(w, "Rating %q: mean %.2f on %d-%d from %d forms\n", r.Name, r.Mean, r.Min, r.Max, r.N)
	}
	fmt.Fprintf(w, "Waiting for a person: %d uncategorised, %d kinds to check, %d not yet acknowledged\n", s.Uncategorised, s.KindToCheck, s.Unacknowledged)
	for _, a := range s.Rising {
		fmt.Fprintln(w, "ALERT:", a.Suggestion)
	}
}

// waves publishes the guest survey, records two waves of answers and
// compares their NPS.
func waves(ctx context.Context, desk *feedback.Service, w io.Writer) error {
	questionnaire := survey.Form{
		Name: "guest-survey", Version: 1, Title: "Guest survey", Purpose: survey.PurposeSurvey,
		Sections: []survey.Section{{Title: "Your stay", Questions: []survey.Question{
			{ID: "recommend", Text: "How likely are you to recommend the hotel to a friend?", Type: survey.QuestionTypeNPS},
			{ID: "satisfied", Text: "Overall, how satisfied were you with your stay?", Type: survey.QuestionTypeCSAT},
		}}},
	}
	if _, err := desk.PublishForm(ctx, questionnaire); err != nil {
		return err
	}
	// Two waves of 60 answers each (the NPS answer of each respondent).
	spring := spread(map[int]int{10: 14, 9: 10, 8: 12, 7: 8, 6: 6, 5: 5, 3: 3, 1: 2})
	summer := spread(map[int]int{10: 21, 9: 13, 8: 10, 7: 7, 6: 4, 5: 3, 2: 2})
	for wave, values := range map[string][]int{"2026-spring": spring, "2026-summer": summer} {
		at := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
		if wave == "2026-summer" {
			at = time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
		}
		for i, v := range values {
			answers := []survey.Answer{{Question: "recommend", Value: v}, {Question: "satisfied", Value: min(5, 1+v/2)}}
			if _, err := desk.Respond(ctx, feedback.Response{Survey: "guest-survey", Version: 1, Wave: wave,
				Submitted: at.Add(time.Duration(i) * time.Minute), Answers: answers}); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(w, "\n== Guest survey: NPS by wave ==")
	for _, wave := range []string{"2026-spring", "2026-summer"} {
		s, err := desk.WaveNPS(ctx, "guest-survey", wave, "recommend", 0.95)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: NPS %+.0f (95%% CI %+.0f to %+.0f; %d promoters, %d passives, %d detractors)\n",
			wave, s.Score, s.Low, s.High, s.Promoters, s.Passives, s.Detractors)
	}
	for _, conf := range []float64{0.95, 0.99} {
		c, err := desk.CompareWaves(ctx, "guest-survey", "recommend", "2026-spring", "2026-summer", conf)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, c.Verdict)
	}
	need, _ := survey.ResponsesNeeded(0.05, 0.95, 1200)
	invite, _ := survey.InvitationsNeeded(need, 1.0/3)
	fmt.Fprintf(w, "Next wave: %d completed responses from our 1200 guests give ±5 points at 95%%; at one in three answering, send %d invitations.\n", need, invite)
	return nil
}

// spread turns counts per answer into a list of answers.
func spread(counts map[int]int) []int {
	var out []int
	for v := 10; v >= 0; v-- {
		for range counts[v] {
			out = append(out, v)
		}
	}
	return out
}

func short(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
