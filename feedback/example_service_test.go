package feedback_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/survey"
)

// exampleNow is the fixed time the examples run at.
var exampleNow = time.Date(2026, 6, 10, 18, 0, 0, 0, time.UTC)

// hotelDesk is the rules-only service most examples start from.
func hotelDesk(opts ...feedback.Option) *feedback.Service {
	opts = append([]feedback.Option{feedback.WithClock(func() time.Time { return exampleNow })}, opts...)
	svc, err := feedback.New(memory.New(), feedback.Config{
		Categories: []string{"food", "housekeeping", "front-desk"},
		Rules: []feedback.Rule{
			{ID: "food", Category: "food", Phrases: []string{"breakfast", "dinner", "menu", "room service"}},
			{ID: "rooms", Category: "housekeeping", Phrases: []string{"towels", "bathroom", "sheets"}},
			{ID: "desk", Category: "front-desk", Phrases: []string{"reception", "check in", "booking"}},
		},
		Routes:        []feedback.Route{{Category: "food", Owner: "chef"}, {Category: "housekeeping", Owner: "head housekeeper"}, {Category: "front-desk", Owner: "front-desk manager"}},
		FallbackOwner: "general manager",
	}, opts...)
	if err != nil {
		log.Fatal(err)
	}
	return svc
}

// A complaint that arrived as feedback is handed to the complaints process,
// which opens a complaint whose clock starts at the hand-over.
func ExampleService_HandOff() {
	taker := printTaker{}
	svc := hotelDesk(feedback.WithComplaintHandOff(taker))
	ctx := context.Background()
	it, err := svc.Intake(ctx, feedback.Intake{Received: exampleNow.Add(-72 * time.Hour), Channel: feedback.ChannelLetter,
		CustomerRef: "guest-17", Text: "Breakfast was cold three days running."})
	if err != nil {
		log.Fatal(err)
	}
	it, err = svc.HandOff(ctx, it.ID, "duty manager")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("item now links complaint", it.ComplaintID)
	// Output:
	// complaints took: customer guest-17, letter, food, owner chef, received 10 Jun 18:00
	// item now links complaint C-1
}

// printTaker is a stand-in for complaints.Service.
type printTaker struct{}

func (printTaker) TakeFeedback(_ context.Context, feedbackID, customerRef, channel, category, owner, text string, received time.Time) (string, error) {
	fmt.Printf("complaints took: customer %s, %s, %s, owner %s, received %s\n", customerRef, channel, category, owner, received.Format("2 Jan 15:04"))
	return "C-1", nil
}

// A kind the lexicon was unsure of waits for a person, who corrects it.
func ExampleService_CorrectKind() {
	svc := hotelDesk()
	ctx := context.Background()
	if _, err := svc.Intake(ctx, feedback.Intake{Received: exampleNow.Add(-time.Hour), Channel: feedback.ChannelPhone, Text: "About the towels in room 12"}); err != nil {
		log.Fatal(err)
	}
	for it, err := range svc.KindQueue(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("to check: %q guessed %s at %.2f\n", it.Text, it.Kind, it.KindConfidence)
		it, err = svc.CorrectKind(ctx, it.ID, feedback.KindCompliment, "Ana", "the guest was thanking housekeeping")
		if err != nil {
			log.Fatal(err)
		}
		last := it.History[len(it.History)-1]
		fmt.Printf("%s by %s: %s (%s)\n", last.Action, last.By, last.What, last.Why)
	}
	// Output:
	// to check: "About the towels in room 12" guessed complaint at 0.25
	// kind_corrected by Ana: kind changed from complaint to compliment (the guest was thanking housekeeping)
}

// A migration loads many items in one atomic batch, each through the
// same checks and history as Intake.
func ExampleService_IntakeBatch() {
	svc := hotelDesk()
	at := exampleNow.Add(-24 * time.Hour)
	items, err := svc.IntakeBatch(context.Background(), []feedback.Intake{
		{Received: at, Channel: feedback.ChannelEmail, Text: "The menu needs more choice"},
		{Received: at, Channel: feedback.ChannelInterview, Text: "Reception was friendly"},
		{Received: at, Channel: feedback.ChannelSupplier, Text: "Deliveries to the kitchen wait an hour at reception"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, it := range items {
		fmt.Printf("%-14s %-11s %s\n", it.Channel, it.Category(), it.Owner)
	}
	// Output:
	// email          food        chef
	// interview      front-desk  front-desk manager
	// supplier       front-desk  front-desk manager
}

// A feedback log kept by hand in a spreadsheet is imported, all or
// nothing, and importing it again changes nothing.
func ExampleService_ImportCSV() {
	svc := hotelDesk()
	sheet := "Date,Comment,Made by\n3 June,The breakfast eggs were cold,guest-3\n5 June,Fresh towels every day - lovely,guest-4\n"
	opts := feedback.ImportOptions{By: "marketing coordinator", Year: 2026}
	for range 2 {
		rep, err := svc.ImportCSV(context.Background(), strings.NewReader(sheet), opts)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("created %d, already there %d\n", rep.Created, rep.Present)
	}
	// Output:
	// created 2, already there 0
	// created 0, already there 2
}

// The items of a period go to a spreadsheet, one row each, with formula
// characters defused.
func ExampleService_ExportCSV() {
	svc := hotelDesk()
	ctx := context.Background()
	if _, err := svc.Intake(ctx, feedback.Intake{Received: exampleNow.Add(-time.Hour), Channel: feedback.ChannelEmail, Text: "=1+1 dinner was late"}); err != nil {
		log.Fatal(err)
	}
	var b strings.Builder
	if _, err := svc.ExportCSV(ctx, &b, exampleNow.Add(-24*time.Hour), exampleNow); err != nil {
		log.Fatal(err)
	}
	row := strings.Split(strings.Split(b.String(), "\n")[1], ",")
	fmt.Println(row[5], row[8], row[13])
	// Output: food chef '=1+1 dinner was late
}

// The monthly summary compares the month with the one before and flags a
// category whose share of the feedback rose.
func ExampleService_Summarise() {
	svc := hotelDesk()
	ctx := context.Background()
	add := func(at time.Time, text string, n int) {
		for range n {
			if _, err := svc.Intake(ctx, feedback.Intake{Received: at, Channel: feedback.ChannelFeedbackForm, Text: text}); err != nil {
				log.Fatal(err)
			}
		}
	}
	may := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for m := 1; m <= 4; m++ {
		add(may.AddDate(0, -m, 2), "the breakfast was fine", 2)
		add(may.AddDate(0, -m, 2), "towels were not changed", 8)
	}
	add(may.AddDate(0, 0, 2), "the breakfast was cold", 16)
	add(may.AddDate(0, 0, 2), "towels were not changed", 8)
	s, err := svc.Summarise(ctx, may, may.AddDate(0, 1, 0), feedback.SummaryOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range s.ByCategory {
		fmt.Printf("%-12s %2d (before %d)\n", c.Value, c.Now, c.Previous)
	}
	for _, a := range s.Rising {
		fmt.Printf("rising: %s, %.0f%% of feedback against %.0f%% before\n", a.Category, a.Share, a.BaselineShare)
	}
	// Output:
	// food         16 (before 2)
	// housekeeping  8 (before 8)
	// rising: food, 67% of feedback against 20% before
}

// Survey responses belong to a wave; a respondent answers a wave once,
// and each wave has its NPS and CSAT.
func ExampleService_Respond() {
	svc := hotelDesk()
	ctx := context.Background()
	if _, err := svc.PublishForm(ctx, survey.Form{Name: "guest-survey", Version: 1, Title: "Guest survey", Purpose: survey.PurposeSurvey,
		Sections: []survey.Section{{Title: "Your stay", Questions: []survey.Question{
			{ID: "recommend", Text: "How likely are you to recommend us?", Type: survey.QuestionTypeNPS},
			{ID: "satisfied", Text: "How satisfied were you?", Type: survey.QuestionTypeCSAT},
		}}}}); err != nil {
		log.Fatal(err)
	}
	for i, v := range []int{10, 9, 7, 4} {
		if _, err := svc.Respond(ctx, feedback.Response{Survey: "guest-survey", Version: 1, Wave: "2026-06", Respondent: fmt.Sprint("guest-", i),
			Answers: []survey.Answer{{Question: "recommend", Value: v}, {Question: "satisfied", Value: min(5, 1+v/2)}}}); err != nil {
			log.Fatal(err)
		}
	}
	_, err := svc.Respond(ctx, feedback.Response{Survey: "guest-survey", Version: 1, Wave: "2026-06", Respondent: "guest-0",
		Answers: []survey.Answer{{Question: "recommend", Value: 0}}})
	fmt.Println("second answer refused:", err != nil)
	nps, _ := svc.WaveNPS(ctx, "guest-survey", "2026-06", "recommend", 0.95)
	csat, _ := svc.WaveCSAT(ctx, "guest-survey", "2026-06", "satisfied", 0.95)
	fmt.Printf("NPS %+.0f from %d answers, CSAT %.0f%%\n", nps.Score, nps.N, csat.Percent)
	// Output:
	// second answer refused: true
	// NPS +25 from 4 answers, CSAT 75%
}

// Secondary measures are recorded, corrected with a reason, and read as
// targets: here the growth of net sales over the month before.
func ExampleService_RecordObservation() {
	svc := hotelDesk()
	ctx := context.Background()
	may, june := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, err := svc.RecordObservation(ctx, feedback.Observation{Measure: feedback.SecondaryNetSales, At: may, Value: 40000}, "accounts"); err != nil {
		log.Fatal(err)
	}
	o, err := svc.RecordObservation(ctx, feedback.Observation{Measure: feedback.SecondaryNetSales, At: june, Value: 4600}, "accounts")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.CorrectObservation(ctx, o.ID, 46000, "accounts", "a zero was missing"); err != nil {
		log.Fatal(err)
	}
	g, err := svc.Measure(ctx, feedback.MetricSalesGrowth.Metric(), june, june.AddDate(0, 0, 31))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("sales growth %.0f%%\n", g)
	// Output: sales growth 15%
}

// Measure gives strategies their numbers: the share of food feedback, as
// a typed metric.
func ExampleService_Measure() {
	svc := hotelDesk()
	ctx := context.Background()
	for _, text := range []string{"dinner was late", "menu is short", "towels were thin", "reception was kind"} {
		if _, err := svc.Intake(ctx, feedback.Intake{Received: exampleNow.Add(-time.Hour), Channel: feedback.ChannelEmail, Text: text}); err != nil {
			log.Fatal(err)
		}
	}
	m := feedback.ShareOf("food")
	v, err := svc.Measure(ctx, m, exampleNow.Add(-24*time.Hour), exampleNow)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s = %.0f\n", m, v)
	// Output: share:category=food = 50
}

// A customer's identifiers leave every record: their own items, form
// fields, and another item that names them.
func ExampleService_EraseIdentifiers() {
	svc := hotelDesk()
	ctx := context.Background()
	at := exampleNow.Add(-time.Hour)
	if _, err := svc.Intake(ctx, feedback.Intake{Received: at, Channel: feedback.ChannelOnlineForm, CustomerRef: "crm-9",
		Contact: feedback.Contact{Name: "Kim Lee", Email: "kim@example.org"}, Text: "Dinner was cold. Call me on 0400 111 222."}); err != nil {
		log.Fatal(err)
	}
	other, err := svc.Intake(ctx, feedback.Intake{Received: at, Channel: feedback.ChannelStaffObservation, Text: "Kim Lee asked for extra towels"})
	if err != nil {
		log.Fatal(err)
	}
	n, err := cxkit.EraseCustomer(ctx, "crm-9", "privacy officer", svc)
	if err != nil {
		log.Fatal(err)
	}
	it, _ := svc.Get(ctx, other.ID)
	fmt.Println(n, "items changed;", it.Text)
	for it, err := range svc.Items(ctx, feedback.ItemFilter{Channel: feedback.ChannelOnlineForm}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%q %+v %q\n", it.CustomerRef, it.Contact, it.Text)
	}
	// Output:
	// 2 items changed; [erased] asked for extra towels
	// "" {Name: Email: Phone:} "Dinner was cold. Call me on [erased]."
}

// keywordModel is a host's own classifier: anything with a Classify
// method plugs in, an embedding service or a language model alike.
type keywordModel struct{}

func (keywordModel) Classify(_ context.Context, text string) (classify.Prediction, error) {
	if strings.Contains(strings.ToLower(text), "lift") {
		return classify.Prediction{Category: "housekeeping", Confidence: 0.9}, nil
	}
	return classify.Prediction{Category: "front-desk", Confidence: 0.1}, nil
}

// WithClassifier plugs in any model; the service does not care which.
func ExampleWithClassifier() {
	svc := hotelDesk(feedback.WithClassifier(keywordModel{}))
	for _, text := range []string{"The lift smelled of smoke", "Parking was hard to find"} {
		it, err := svc.Intake(context.Background(), feedback.Intake{Received: exampleNow.Add(-time.Hour), Channel: feedback.ChannelSocial, Text: text})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-26s %s (%s)\n", text, it.Category(), it.Categorisation.Source)
	}
	// Output:
	// The lift smelled of smoke  housekeeping (model)
	// Parking was hard to find   uncategorised (none)
}

// Events tell the host what happened, after it is stored.
func ExampleWithEventHandler() {
	svc := hotelDesk(feedback.WithEventHandler(cxkit.EventHandlerFunc(func(_ context.Context, e cxkit.Event) error {
		fmt.Fprintln(os.Stdout, strings.TrimSpace(string(e.Type)+" "+e.To))
		return nil
	})))
	if _, err := svc.Intake(context.Background(), feedback.Intake{Received: exampleNow.Add(-time.Hour), Channel: feedback.ChannelEmail, Text: "Thank you, the reception team were wonderful"}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// feedback.received
	// feedback.categorised front-desk
	// feedback.routed front-desk manager
}
