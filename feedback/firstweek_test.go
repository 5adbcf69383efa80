package feedback

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/survey"
)

// The tests in this file are the feedback side of what a complaints
// manager hit in the first week (issue 14); each failed on the code before.

func TestEveryChannelTheSeedNamesIsAccepted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := f.clock.now().Add(-time.Hour)
	for _, ch := range []Channel{ChannelQuestionnaire, ChannelInterview, ChannelMeeting, ChannelIndustryBody, ChannelSupplier, ChannelOther} {
		it, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ch, Text: "deliveries to the kitchen arrive late"})
		if err != nil || it.Channel != ch {
			t.Errorf("channel %s: %+v %v", ch, it.Channel, err)
		}
		if !slices.Contains(Channels(), ch) {
			t.Errorf("Channels() lacks %s", ch)
		}
	}
	if !ChannelSupplier.ThirdParty() || !ChannelIndustryBody.ThirdParty() || ChannelEmail.ThirdParty() {
		t.Error("third parties not told apart from customers")
	}
}

func TestOnlineFormKeepsNameAndContact(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	contact := Contact{Name: "Dana Whitfield", Email: "dana@example.org", Phone: "+61 400 123 456"}
	it, err := f.desk.Intake(ctx, Intake{Received: f.clock.now().Add(-time.Hour), Channel: ChannelOnlineForm, Contact: contact, Text: "The breakfast was cold"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.desk.Get(ctx, it.ID)
	if got.Contact != contact {
		t.Errorf("stored contact %+v, want %+v", got.Contact, contact)
	}
	_, err = f.desk.Intake(ctx, Intake{Received: f.clock.now().Add(-time.Hour), Channel: ChannelOnlineForm, Contact: Contact{Email: "not an address"}, Text: "x"})
	var ve *cxkit.ValidationError
	if !errors.As(err, &ve) || ve.Field != "item.contact.email" {
		t.Errorf("bad e-mail: %v", err)
	}
	// Erasure by the contact's e-mail alone takes the contact fields out.
	n, err := f.desk.EraseIdentifiers(ctx, cxkit.Identifiers{Emails: []string{"DANA@example.org"}}, "privacy officer")
	if err != nil || n != 1 {
		t.Fatalf("erased %d, %v", n, err)
	}
	got, _ = f.desk.Get(ctx, it.ID)
	if !got.Contact.IsZero() || !got.Erased || got.History[len(got.History)-1].Action != "erased" {
		t.Errorf("after erasure: contact %+v erased %v", got.Contact, got.Erased)
	}
}

func TestKindCorrectionAndReviewQueue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := f.clock.now().Add(-time.Hour)
	// No cue at all: a guessed complaint at 0.25, below the threshold.
	weak, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, Text: "the towels in room 12"})
	if err != nil {
		t.Fatal(err)
	}
	sure, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, Text: "Thank you, lovely fresh towels, excellent and friendly staff"})
	if err != nil {
		t.Fatal(err)
	}
	given, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, Text: "towels", Kind: KindQuestion})
	if err != nil {
		t.Fatal(err)
	}
	if !weak.KindReview || sure.KindReview || given.KindReview {
		t.Fatalf("review flags: weak %v (%.2f), sure %v (%.2f), given %v", weak.KindReview, weak.KindConfidence, sure.KindReview, sure.KindConfidence, given.KindReview)
	}
	queue := func() []string {
		var ids []string
		for it, err := range f.desk.KindQueue(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		return ids
	}
	if q := queue(); !slices.Equal(q, []string{weak.ID}) {
		t.Fatalf("kind queue %v, want only %s", q, weak.ID)
	}
	if s, err := f.desk.Summarise(ctx, at, f.clock.now(), SummaryOptions{}); err != nil || s.KindToCheck != 1 {
		t.Errorf("summary counts %d kinds to check, %v; want 1", s.KindToCheck, err)
	}
	if !slices.Contains(f.events.types(weak.ID), EventQueued) {
		t.Errorf("no queued event: %v", f.events.types(weak.ID))
	}
	// A person corrects it: a compliment about the rooms goes to the
	// front-desk manager, not to housekeeping.
	if weak.Owner != "executive housekeeper" {
		t.Fatalf("owner before %s", weak.Owner)
	}
	fixed, err := f.desk.CorrectKind(ctx, weak.ID, KindCompliment, "anna", "the guest was praising the towels")
	if err != nil {
		t.Fatal(err)
	}
	if fixed.Kind != KindCompliment || fixed.KindInferred || fixed.KindReview || fixed.Owner != "front-desk manager" {
		t.Errorf("after correction: %+v", fixed)
	}
	h := fixed.History[len(fixed.History)-2]
	if h.Action != "kind_corrected" || h.By != "anna" || h.From != "complaint" || h.To != "compliment" || h.Why == "" {
		t.Errorf("history %+v", h)
	}
	if q := queue(); len(q) != 0 {
		t.Errorf("queue after correction %v", q)
	}
	if ev := f.events.types(weak.ID); !slices.Contains(ev, EventKindCorrected) {
		t.Errorf("events %v", ev)
	}
	if _, err := f.desk.CorrectKind(ctx, weak.ID, "rant", "anna", ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := f.desk.CorrectKind(ctx, weak.ID, KindComplaint, "", ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("anonymous correction: %v", err)
	}
}

func TestRatingsOnlyComplaintIsHandedOver(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	it, err := f.desk.Intake(ctx, Intake{Received: f.clock.now().Add(-time.Hour), Channel: ChannelFeedbackForm, CustomerRef: "g9",
		Ratings: []Rating{{Name: "room", Value: 1, Min: 1, Max: 5}, {Name: "service", Value: 2, Min: 1, Max: 5}}, Kind: KindComplaint})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.desk.HandOff(ctx, it.ID, "duty manager")
	if err != nil || got.ComplaintID == "" {
		t.Fatalf("ratings-only hand-over: %+v %v", got, err)
	}
	text := f.taker.handed[0].text
	if !strings.Contains(text, "room 1 out of 5") || !strings.Contains(text, "service 2 out of 5") {
		t.Errorf("complaint text %q does not carry the ratings", text)
	}
}

// An item handed over five days after it arrived must not arrive at
// complaints already breached: the complaint is received at the hand-over,
// with the feedback's category, channel, customer and owner.
func TestHandOffKeepsTheItemAndStartsTheClockAtHandOver(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	arrived := f.clock.now().Add(-5 * 24 * time.Hour)
	it, err := f.desk.Intake(ctx, Intake{Received: arrived, Channel: ChannelLetter, CustomerRef: "g42", Text: "the breakfast eggs were cold", Kind: KindComplaint})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.desk.HandOff(ctx, it.ID, "duty manager")
	if err != nil {
		t.Fatal(err)
	}
	h := f.taker.handed[0]
	if !h.received.Equal(f.clock.now()) || h.category != "food" || h.owner != "chef" || h.channel != "letter" || h.customerRef != "g42" || h.feedbackID != it.ID {
		t.Errorf("complaints was given %+v", h)
	}
	if !got.HandedOverAt.Equal(f.clock.now()) || !slices.Contains(f.events.types(it.ID), EventHandedOver) {
		t.Errorf("item %+v, events %v", got, f.events.types(it.ID))
	}
}

// In a busy season every category grows: the alert compares each
// category's share, so doubling the whole volume flags nothing, while a
// category whose share grows is still flagged.
func TestBusySeasonDoesNotRaiseEveryCategory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	week := 7 * 24 * time.Hour
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	texts := map[string]string{"food": "the menu was short", "housekeeping": "towels were not changed", "front-desk": "check in at reception was slow"}
	add := func(at time.Time, cat string, n int) {
		t.Helper()
		var batch []Intake
		for range n {
			batch = append(batch, Intake{Received: at, Channel: ChannelEmail, Text: texts[cat]})
		}
		if _, err := f.desk.IntakeBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	for w := range 4 {
		at := start.Add(time.Duration(w) * week).Add(time.Hour)
		add(at, "food", 10)
		add(at, "housekeeping", 10)
		add(at, "front-desk", 10)
	}
	now := start.Add(4 * week)
	add(now.Add(time.Hour), "food", 30)
	add(now.Add(time.Hour), "housekeeping", 30)
	add(now.Add(time.Hour), "front-desk", 30)
	f.clock.set(now.Add(week))
	s, err := f.desk.Summarise(ctx, now, now.Add(week), SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rising) != 0 {
		t.Errorf("tripled volume in every category raised %+v", s.Rising)
	}
	// A NaN significance level would make every comparison false and
	// every category "rise".
	if _, err := f.desk.Summarise(ctx, now, now.Add(week), SummaryOptions{Alpha: math.NaN()}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("NaN alpha: %v", err)
	}
	// The week after: housekeeping alone doubles its share.
	next := now.Add(week)
	f.clock.set(next.Add(week))
	add(next.Add(time.Hour), "food", 10)
	add(next.Add(time.Hour), "housekeeping", 40)
	add(next.Add(time.Hour), "front-desk", 10)
	f.clock.set(next.Add(week))
	s, err = f.desk.Summarise(ctx, next, next.Add(week), SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rising) != 1 || s.Rising[0].Category != "housekeeping" || math.Abs(s.Rising[0].Share-100*40/60.0) > 1e-9 {
		t.Errorf("rising %+v, want housekeeping alone", s.Rising)
	}
}

func TestSurveyWaveTakesOneResponsePerRespondent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	publishSurvey(t, f.desk)
	at := f.clock.now().Add(-time.Hour)
	first, err := f.desk.Respond(ctx, Response{Survey: "guest-survey", Version: 1, Wave: "Q1", Respondent: "g1", Submitted: at, Answers: []survey.Answer{{Question: "recommend", Value: 3}, {Question: "satisfied", Value: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.desk.Respond(ctx, Response{Survey: "guest-survey", Version: 1, Wave: "Q1", Respondent: "g1", Submitted: at, Answers: []survey.Answer{{Question: "recommend", Value: 10}}})
	var ve *cxkit.ValidationError
	if !errors.As(err, &ve) || ve.Field != "response.respondent" || !errors.Is(err, ErrDuplicateResponse) {
		t.Fatalf("second response: %v", err)
	}
	// Another wave, or another respondent, or an anonymous one, is fine.
	for _, r := range []Response{
		{Survey: "guest-survey", Version: 1, Wave: "Q2", Respondent: "g1", Submitted: at, Answers: []survey.Answer{{Question: "recommend", Value: 9}}},
		{Survey: "guest-survey", Version: 1, Wave: "Q1", Respondent: "g2", Submitted: at, Answers: []survey.Answer{{Question: "recommend", Value: 9}, {Question: "satisfied", Value: 5}}},
		{Survey: "guest-survey", Version: 1, Wave: "Q1", Submitted: at, Answers: []survey.Answer{{Question: "recommend", Value: 9}}},
		{Survey: "guest-survey", Version: 1, Wave: "Q1", Submitted: at, Answers: []survey.Answer{{Question: "recommend", Value: 9}}},
	} {
		if _, err := f.desk.Respond(ctx, r); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
	// Replacing on purpose is recorded and counts once.
	rep, err := f.desk.ReplaceResponse(ctx, Response{Survey: "guest-survey", Version: 1, Wave: "Q1", Respondent: "g1", Submitted: at, Answers: []survey.Answer{{Question: "recommend", Value: 10}, {Question: "satisfied", Value: 4}}}, "survey lead", "the guest re-sent the form")
	if err != nil || rep.ID != first.ID || len(rep.History) != 1 || rep.History[0].Action != "replaced" || rep.History[0].Why == "" {
		t.Fatalf("replace: %+v %v", rep, err)
	}
	vs, _ := f.desk.WaveValues(ctx, "guest-survey", "Q1", "recommend")
	slices.Sort(vs)
	if !slices.Equal(vs, []int{9, 9, 9, 10}) {
		t.Errorf("Q1 answers %v", vs)
	}
	csat, err := f.desk.WaveCSAT(ctx, "guest-survey", "Q1", "satisfied", 0.95)
	if err != nil || csat.N != 2 || csat.Percent != 100 {
		t.Errorf("CSAT of Q1: %+v %v", csat, err)
	}
	nps, err := f.desk.WaveNPS(ctx, "guest-survey", "Q1", "recommend", 0.95)
	if err != nil || nps.N != 4 || nps.Score != 100 {
		t.Errorf("NPS of Q1: %+v %v", nps, err)
	}
}

func TestSecondaryMeasuresCorrectRemoveAndGrowth(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	march := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	// Half a refund is not a refund.
	_, err := f.desk.RecordObservation(ctx, Observation{Measure: SecondaryRefunds, At: march, Value: 2.5}, "analyst")
	var ve *cxkit.ValidationError
	if !errors.As(err, &ve) || ve.Field != "observation.value" || !strings.Contains(ve.Rule, "whole number") {
		t.Errorf("2.5 refunds: %v", err)
	}
	// Net sales: 1000 in February, 1200 in March, one entry a mistake.
	feb := march.AddDate(0, -1, 0)
	for _, o := range []Observation{{Measure: SecondaryNetSales, At: feb, Value: 600}, {Measure: SecondaryNetSales, At: feb.Add(time.Hour), Value: 400}, {Measure: SecondaryNetSales, At: march, Value: 1200}} {
		if _, err := f.desk.RecordObservation(ctx, o, "analyst"); err != nil {
			t.Fatal(err)
		}
	}
	wrong, err := f.desk.RecordObservation(ctx, Observation{Measure: SecondaryNetSales, At: march.Add(time.Hour), Value: 99999}, "analyst")
	if err != nil {
		t.Fatal(err)
	}
	typo, err := f.desk.RecordObservation(ctx, Observation{Measure: SecondaryRefunds, At: march, Value: 30}, "analyst")
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := f.desk.CorrectObservation(ctx, typo.ID, 3, "analyst", "typed 30 for 3")
	if err != nil || fixed.Value != 3 || fixed.History[len(fixed.History)-1].From != "30" {
		t.Fatalf("correct: %+v %v", fixed, err)
	}
	if _, err := f.desk.CorrectObservation(ctx, typo.ID, 3.5, "analyst", ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("correcting to half a refund: %v", err)
	}
	removed, err := f.desk.RemoveObservation(ctx, wrong.ID, "analyst", "entered twice by mistake")
	if err != nil || !removed.Removed || removed.History[len(removed.History)-1].Action != "removed" {
		t.Fatalf("remove: %+v %v", removed, err)
	}
	april := march.AddDate(0, 1, 0)
	series, _ := f.desk.Series(ctx, SecondaryNetSales, march, april)
	if len(series) != 1 || series[0].Value != 1200 {
		t.Errorf("March net sales after removal: %+v", series)
	}
	g, err := f.desk.SalesGrowth(ctx, march, march.Add(31*24*time.Hour))
	if err != nil || math.Abs(g-20) > 1e-9 {
		t.Errorf("sales growth %v %v, want 20", g, err)
	}
	m, err := f.desk.Measure(ctx, MetricSalesGrowth.Metric(), march, march.Add(31*24*time.Hour))
	if err != nil || math.Abs(m-20) > 1e-9 {
		t.Errorf("Measure(sales_growth) %v %v", m, err)
	}
	if r, _ := f.desk.Measure(ctx, SecondaryMetric(SecondaryRefunds), march, april); r != 3 {
		t.Errorf("refunds after correction %v", r)
	}
}

// Categorising without rules is one prediction: the text is not split into
// words for rules that do not exist.
func TestCategoriseWithoutRulesCostsOnePrediction(t *testing.T) {
	model, err := classify.Train(hotelExamples, classify.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := compile(Config{Categories: hotelCategories, FallbackOwner: "gm"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	text := "the soup at dinner was cold, again!"
	categorise(ctx, cc, model, text) // fill the model's pool
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	if allocs := testing.AllocsPerRun(200, func() { categorise(ctx, cc, model, text) }); allocs > 0 {
		t.Errorf("categorising without rules allocates %.1f times, a prediction none", allocs)
	}
}

// down is a model service that is not answering.
type down struct{}

func (down) Classify(context.Context, string) (classify.Prediction, error) {
	return classify.Prediction{}, errors.New("model service unavailable")
}

// A host's own model plugs in behind the interface; when it fails the
// item is not lost but queued, saying why.
func TestPluggedClassifierFailureQueuesTheItem(t *testing.T) {
	f := newFixture(t, WithClassifier(down{}))
	it, err := f.desk.Intake(context.Background(), Intake{Received: f.clock.now().Add(-time.Hour), Channel: ChannelEmail, Text: "the lift is slow"})
	if err != nil {
		t.Fatal(err)
	}
	if it.Category() != Uncategorised || !strings.Contains(it.Categorisation.Problem, "unavailable") {
		t.Errorf("categorisation %+v", it.Categorisation)
	}
}

func TestIntakeBatchIsAtomicAndRecordsHistory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := f.clock.now().Add(-time.Hour)
	good := []Intake{
		{Received: at, Channel: ChannelEmail, Text: "the breakfast eggs were cold", By: "migration"},
		{Received: at, Channel: ChannelPhone, Text: "towels were not changed", By: "migration"},
	}
	bad := append(slices.Clone(good), Intake{Received: at, Channel: "pigeon", Text: "x"})
	_, err := f.desk.IntakeBatch(ctx, bad)
	var ve *cxkit.ValidationError
	if !errors.As(err, &ve) || ve.Field != "items[2].channel" {
		t.Fatalf("bad batch: %v", err)
	}
	if n := f.count(t, RecordItem); n != 0 {
		t.Fatalf("a refused batch stored %d items", n)
	}
	items, err := f.desk.IntakeBatch(ctx, good)
	if err != nil || len(items) != 2 {
		t.Fatalf("batch: %v", err)
	}
	single, err := f.desk.Intake(ctx, good[0])
	if err != nil {
		t.Fatal(err)
	}
	a, b := items[0], single
	if a.Category() != b.Category() || a.Owner != b.Owner || a.Kind != b.Kind || len(a.History) != len(b.History) {
		t.Errorf("batch item %+v differs from single intake %+v", a, b)
	}
	for i := range a.History {
		if a.History[i].Action != b.History[i].Action || a.History[i].What != b.History[i].What {
			t.Errorf("history %d: %+v vs %+v", i, a.History[i], b.History[i])
		}
	}
	if ev := f.events.types(items[1].ID); !slices.Equal(ev, []cxkit.EventType{EventReceived, EventCategorised, EventRouted}) {
		t.Errorf("batch events %v", ev)
	}
	// A large batch is prepared on several goroutines; the error still
	// names the first bad item.
	big := make([]Intake, 1000)
	for i := range big {
		big[i] = Intake{Received: at, Channel: ChannelEmail, Text: fmt.Sprintf("breakfast number %d was cold", i)}
	}
	big[700].Channel, big[300].Text = "pigeon", ""
	if _, err := f.desk.IntakeBatch(ctx, big); !errors.As(err, &ve) || ve.Field != "items[300].text" {
		t.Errorf("large bad batch: %v, want the error of item 300", err)
	}
	big[700].Channel, big[300].Text = ChannelEmail, "ok"
	if items, err := f.desk.IntakeBatch(ctx, big); err != nil || len(items) != 1000 || items[999].Text != big[999].Text {
		t.Errorf("large batch: %d items, %v", len(items), err)
	}
	if _, err := f.desk.IntakeBatch(ctx, make([]Intake, MaxBatch+1)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("oversized batch: %v", err)
	}
}

// fakeComplaintsEraser is the complaints side of an erasure: complaint
// texts by customer reference, erased by the union of identifiers.
type fakeComplaintsEraser struct {
	texts map[string][]string
}

func (c *fakeComplaintsEraser) CustomerIdentifiers(_ context.Context, ref string) (cxkit.Identifiers, error) {
	return cxkit.Identifiers{Ref: ref, Names: []string{"Dana Whitfield"}}, nil
}

func (c *fakeComplaintsEraser) EraseIdentifiers(_ context.Context, ids cxkit.Identifiers, _ string) (int, error) {
	n := 0
	for ref, ts := range c.texts {
		for i, t := range ts {
			if r := ids.Redact(t); r != t || ref == ids.Ref {
				ts[i] = r
				n++
			}
		}
	}
	if _, ok := c.texts[ids.Ref]; ok {
		c.texts[""] = append(c.texts[""], c.texts[ids.Ref]...)
		delete(c.texts, ids.Ref)
	}
	return n, nil
}

// Erasure plants a customer's name, e-mail and phone in form fields, the
// free text of their own items and of another item, and a handed-over
// complaint; after cxkit.EraseCustomer and a compaction, none of them is
// left in the store's files, and the counts are the same.
func TestEraseCustomerEverywhereIncludingTheHandOver(t *testing.T) {
	dir := t.TempDir()
	db, err := file.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clk := &clock{t: time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)}
	cx := &fakeComplaintsEraser{texts: map[string][]string{}}
	taker := &fakeComplaints{}
	svc, err := New(db, hotelConfig(), WithClock(clk.now), WithComplaintHandOff(taker))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := clk.now().Add(-time.Hour)
	planted := []string{"Dana Whitfield", "dana@example.org", "0400 123 456", "crm-77"}
	mine, err := svc.Intake(ctx, Intake{Received: at, Channel: ChannelOnlineForm, CustomerRef: "crm-77",
		Contact: Contact{Name: "Dana Whitfield", Email: "dana@example.org", Phone: "0400 123 456"},
		Text:    "Dana Whitfield here (dana@example.org, 0400 123 456): the breakfast was cold", Kind: KindComplaint})
	if err != nil {
		t.Fatal(err)
	}
	// A colleague's note about her, with no reference of hers.
	other, err := svc.Intake(ctx, Intake{Received: at, Channel: ChannelStaffObservation, Text: "Dana Whitfield in room 12 asked twice for towels"})
	if err != nil {
		t.Fatal(err)
	}
	unrelated, err := svc.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, CustomerRef: "crm-5", Text: "Danaher Street entrance was locked"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.HandOff(ctx, mine.ID, "duty manager"); err != nil {
		t.Fatal(err)
	}
	cx.texts["crm-77"] = []string{taker.handed[0].text}
	before, _ := svc.Measure(ctx, MetricCount.Metric(), at.Add(-time.Hour), clk.now())

	n, err := cxkit.EraseCustomer(ctx, "crm-77", "privacy officer", svc, cx)
	if err != nil || n < 3 {
		t.Fatalf("erased %d records, %v", n, err)
	}
	for _, id := range []string{mine.ID, other.ID} {
		it, _ := svc.Get(ctx, id)
		for _, p := range planted {
			if strings.Contains(fmt.Sprintf("%+v", it), p) {
				t.Errorf("item %s still holds %q: %+v", id, p, it)
			}
		}
	}
	if it, _ := svc.Get(ctx, unrelated.ID); it.Text != unrelated.Text || it.Erased {
		t.Errorf("an unrelated item was changed: %+v", it)
	}
	if it, _ := svc.Get(ctx, mine.ID); it.ComplaintID == "" || it.Category() != "food" {
		t.Errorf("erasure lost the complaint link or the category: %+v", it)
	}
	for _, ts := range cx.texts {
		for _, tx := range ts {
			for _, p := range planted[:3] {
				if strings.Contains(tx, p) {
					t.Errorf("handed-over complaint still holds %q: %q", p, tx)
				}
			}
		}
	}
	if after, _ := svc.Measure(ctx, MetricCount.Metric(), at.Add(-time.Hour), clk.now()); after != before {
		t.Errorf("count %v before erasure, %v after", before, after)
	}
	// Erasing again changes nothing.
	if again, err := svc.EraseIdentifiers(ctx, cxkit.Identifiers{Ref: "crm-77", Names: []string{"Dana Whitfield"}}, "privacy officer"); err != nil || again != 0 {
		t.Errorf("second erasure changed %d, %v", again, err)
	}
	if err := db.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, p := range planted {
			if strings.Contains(string(b), p) {
				t.Errorf("%s still holds %q after compaction", filepath.Base(path), p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEventsOfIntake(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	it, err := f.desk.Intake(ctx, Intake{Received: f.clock.now().Add(-time.Hour), Channel: ChannelEmail, Text: "xyzzy plugh", By: "inbox"})
	if err != nil {
		t.Fatal(err)
	}
	if ev := f.events.types(it.ID); !slices.Equal(ev, []cxkit.EventType{EventReceived, EventQueued, EventQueued, EventRouted}) {
		t.Errorf("events %v", ev)
	}
	if _, err := f.desk.Recategorise(ctx, it.ID, "food", "anna", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Acknowledge(ctx, it.ID, "chef"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Acknowledge(ctx, it.ID, "chef"); err != nil {
		t.Fatal(err)
	}
	ev := f.events.types(it.ID)
	if !slices.Equal(ev[4:], []cxkit.EventType{EventRecategorised, EventRouted, EventAcknowledged}) {
		t.Errorf("events after intake %v", ev[4:])
	}
	for _, e := range EventTypes() {
		if !strings.HasPrefix(string(e), "feedback.") {
			t.Errorf("event type %q", e)
		}
	}
}

// The memory driver is used where a test needs no files.
var _ store.Driver = memory.New()
