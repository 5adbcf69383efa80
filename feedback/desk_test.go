package feedback

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/survey"
)

var hotelCategories = []string{"food", "housekeeping", "front-desk"}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type fakeComplaints struct {
	mu     sync.Mutex
	calls  []string
	handed []handed
	fail   error
}

func (f *fakeComplaints) TakeFeedback(_ context.Context, feedbackID, customerRef, channel, category, owner, text string, received time.Time) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return "", f.fail
	}
	// The complaints process refuses a complaint with nothing to say.
	if strings.TrimSpace(text) == "" {
		return "", &cxkit.ValidationError{Field: "text", Rule: "must not be blank"}
	}
	f.calls = append(f.calls, fmt.Sprintf("%s|%s|%s|%s", feedbackID, customerRef, channel, received.Format(time.RFC3339)))
	f.handed = append(f.handed, handed{feedbackID, customerRef, channel, category, owner, text, received})
	return fmt.Sprintf("C-%d", len(f.calls)), nil
}

// handed is one hand-over as the complaints side received it.
type handed struct {
	feedbackID, customerRef, channel, category, owner, text string
	received                                                time.Time
}

type fixture struct {
	desk   *Service
	driver *memory.Driver
	clock  *clock
	taker  *fakeComplaints
	events *eventLog
}

// hotelExamples is a small labelled set in the seed's hotel categories.
var hotelExamples = []classify.Example{
	{Text: "the meal was cold when room service brought it", Category: "food"},
	{Text: "more vegetarian dishes on the menu please", Category: "food"},
	{Text: "breakfast buffet ran out of eggs", Category: "food"},
	{Text: "the chef's soup was delicious", Category: "food"},
	{Text: "dinner in the restaurant was overpriced", Category: "food"},
	{Text: "the room was not cleaned today", Category: "housekeeping"},
	{Text: "towels were dirty and the bathroom smelled", Category: "housekeeping"},
	{Text: "please change the bed sheets", Category: "housekeeping"},
	{Text: "housekeeping left the room spotless", Category: "housekeeping"},
	{Text: "there was dust under the bed", Category: "housekeeping"},
	{Text: "check in took forty minutes at reception", Category: "front-desk"},
	{Text: "thanks for arranging two adjoining rooms for our family", Category: "front-desk"},
	{Text: "the receptionist was rude when we checked out", Category: "front-desk"},
	{Text: "our booking was lost at the front desk", Category: "front-desk"},
	{Text: "the concierge booked us a great tour", Category: "front-desk"},
}

func hotelRules() []Rule {
	return []Rule{
		{ID: "food-words", Category: "food", Phrases: []string{"menu", "vegetarian", "room service", "breakfast"}},
		{ID: "cleaning", Category: "housekeeping", Phrases: []string{"towels", "not cleaned"}},
	}
}

func hotelRoutes() []Route {
	return []Route{
		{Category: "food", Owner: "chef"},
		{Category: "housekeeping", Owner: "executive housekeeper"},
		{Category: "housekeeping", Kind: KindCompliment, Owner: "front-desk manager"},
		{Category: "front-desk", Owner: "front-desk manager"},
	}
}

func hotelConfig() Config {
	return Config{Categories: hotelCategories, Rules: hotelRules(), Routes: hotelRoutes(), FallbackOwner: "general manager", Threshold: 0.4}
}

func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	model, err := classify.Train(hotelExamples, classify.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{driver: memory.New(), clock: &clock{t: time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)}, taker: &fakeComplaints{}, events: &eventLog{}}
	opts = append([]Option{WithClassifier(model), WithClock(f.clock.now), WithComplaintHandOff(f.taker), WithEventHandler(f.events)}, opts...)
	f.desk, err = New(f.driver, hotelConfig(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// eventLog records the events a service emits.
type eventLog struct {
	mu     sync.Mutex
	events []cxkit.Event
}

func (l *eventLog) HandleEvent(_ context.Context, e cxkit.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
	return nil
}

// types lists the types of the events about subject, in order.
func (l *eventLog) types(subject string) []cxkit.EventType {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []cxkit.EventType
	for _, e := range l.events {
		if e.Subject == subject {
			out = append(out, e.Type)
		}
	}
	return out
}

func (f *fixture) count(t *testing.T, kind string) int64 {
	t.Helper()
	gs, err := store.Count(context.Background(), f.driver, kind, nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, g := range gs {
		n += g.Count
	}
	return n
}

func TestIntakeSortsAndRoutes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		text     string
		kind     Kind
		category string
		source   Source
		owner    string
	}{
		// The seed's three examples.
		{"I ordered room service twice and the meal came cold each time", KindComplaint, "food", SourceRule, "chef"},
		{"Thank you for arranging adjoining rooms for our family, it was great", KindCompliment, "front-desk", SourceModel, "front-desk manager"},
		{"I wish the menu had more vegetarian dishes", KindSuggestion, "food", SourceRule, "chef"},
		// A room compliment goes to the front-desk manager, a room
		// complaint to housekeeping.
		{"Lovely fresh towels every day, thank you", KindCompliment, "housekeeping", SourceRule, "front-desk manager"},
		{"Our room was not cleaned on Tuesday", KindComplaint, "housekeeping", SourceRule, "executive housekeeper"},
		// Nothing the categoriser knows: the queue, owned by the fallback.
		{"xyzzy plugh", KindComplaint, Uncategorised, SourceNone, "general manager"},
	}
	for _, tt := range tests {
		it, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, CustomerRef: "guest-1", Text: tt.text, By: "reception"})
		if err != nil {
			t.Fatalf("%q: %v", tt.text, err)
		}
		if it.Kind != tt.kind || !it.KindInferred {
			t.Errorf("%q: kind %s (inferred %v), want inferred %s", tt.text, it.Kind, it.KindInferred, tt.kind)
		}
		// The stored confidence is InferKind's, and the history says it.
		if _, conf := InferKind(tt.text); it.KindConfidence != conf || conf < 0.25 || conf > 1 ||
			!strings.Contains(it.History[1].What, fmt.Sprintf("confidence %.2f", conf)) {
			t.Errorf("%q: kind confidence %v, history %q; InferKind says %v", tt.text, it.KindConfidence, it.History[1].What, conf)
		}
		if it.Category() != tt.category || it.Categorisation.Source != tt.source {
			t.Errorf("%q: category %+v, want %s by %s", tt.text, it.Categorisation, tt.category, tt.source)
		}
		if it.Owner != tt.owner || it.Acknowledged {
			t.Errorf("%q: owner %q ack %v, want %q unacknowledged", tt.text, it.Owner, it.Acknowledged, tt.owner)
		}
		if it.ID == "" || it.Version != 1 || len(it.History) < 3 {
			t.Errorf("%q: stored as %+v", tt.text, it.Meta)
		}
	}
	// The given kind wins over inference.
	it, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelPhone, Text: "xyzzy plugh", Kind: KindQuestion})
	if err != nil || it.Kind != KindQuestion || it.KindInferred || it.KindConfidence != 0 {
		t.Errorf("explicit kind: %+v %v", it, err)
	}
	var queue []string
	for it, err := range f.desk.Uncategorised(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		queue = append(queue, it.Text)
	}
	if len(queue) != 2 {
		t.Errorf("uncategorised queue = %v", queue)
	}
}

func TestIntakeRejectsBadInput(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	publishStayForm(t, f.desk)
	at := f.clock.now().Add(-time.Hour)
	ok := Intake{Received: at, Channel: ChannelEmail, Text: "fine"}
	tests := []struct {
		name  string
		edit  func(*Intake)
		field string
		rule  string
	}{
		{"no time", func(in *Intake) { in.Received = time.Time{} }, "item.received", "must be set"},
		{"future", func(in *Intake) { in.Received = f.clock.now().Add(time.Minute) }, "item.received", "future"},
		{"channel", func(in *Intake) { in.Channel = "pigeon" }, "item.channel", "must be one of"},
		{"blank", func(in *Intake) { in.Text = "  " }, "item.text", "must not be blank"},
		{"bad utf8", func(in *Intake) { in.Text = "\xff" }, "item.text", "UTF-8"},
		{"kind", func(in *Intake) { in.Kind = "rant" }, "item.kind", "must be empty"},
		{"rating out of scale", func(in *Intake) { in.Ratings = []Rating{{Name: "room", Value: 7, Min: 1, Max: 5}} }, "item.ratings[0].value", "between 1 and 5"},
		{"rating scale", func(in *Intake) { in.Ratings = []Rating{{Name: "room", Value: 1, Min: 5, Max: 1}} }, "item.ratings[0].max", "greater than min"},
		{"answers without form", func(in *Intake) { in.Answers = []survey.Answer{{Question: "food", Value: 4}} }, "item.form", "must name the form"},
		{"unknown form version", func(in *Intake) { in.Form, in.FormVersion = "guest-stay", 9 }, "item.form", "published form version"},
		{"question not on version", func(in *Intake) {
			in.Form, in.FormVersion = "guest-stay", 1
			in.Answers = []survey.Answer{{Question: "food", Value: 4}}
		}, "item.answers[0].question", "must be a question on form guest-stay version 1"},
		{"answer out of scale", func(in *Intake) {
			in.Form, in.FormVersion = "guest-stay", 1
			in.Answers = []survey.Answer{{Question: "overall", Value: 6}}
		}, "item.answers[0].value", "between 1 and 5"},
		{"bad choice", func(in *Intake) {
			in.Form, in.FormVersion = "guest-stay", 1
			in.Answers = []survey.Answer{{Question: "overall", Value: 4}, {Question: "purpose", Choice: "space travel"}}
		}, "item.answers[1].choice", "must be one of"},
		{"required missing", func(in *Intake) {
			in.Form, in.FormVersion = "guest-stay", 1
			in.Answers = []survey.Answer{{Question: "purpose", Choice: "business"}}
		}, "item.answers", "required question \"overall\""},
	}
	for _, tt := range tests {
		in := ok
		tt.edit(&in)
		_, err := f.desk.Intake(ctx, in)
		var ve *cxkit.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field || !strings.Contains(ve.Rule, tt.rule) {
			t.Errorf("%s: error %v, want field %s rule containing %q", tt.name, err, tt.field, tt.rule)
			continue
		}
		if !errors.Is(err, store.ErrInvalid) || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v does not wrap store.ErrInvalid and store.ErrInvalid", tt.name, err)
		}
	}
	if n := f.count(t, RecordItem); n != 0 {
		t.Errorf("bad input stored %d items", n)
	}
}

func publishStayForm(t *testing.T, d *Service) survey.Form {
	t.Helper()
	f, err := d.PublishForm(context.Background(), survey.Form{
		Name: "guest-stay", Version: 1, Title: "Your stay", Purpose: survey.PurposeFeedbackForm,
		Sections: []survey.Section{{Title: "Overall", Questions: []survey.Question{
			{ID: "overall", Text: "How satisfied were you with your stay?", Type: survey.QuestionTypeCSAT, Required: true},
			{ID: "purpose", Text: "Why did you travel?", Type: survey.QuestionTypeChoice, Choices: []string{"business", "leisure"}},
			{ID: "comments", Text: "Anything else?", Type: survey.QuestionTypeFreeText},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFormVersions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v1 := publishStayForm(t, f.desk)
	at := f.clock.now().Add(-time.Hour)
	old, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelFeedbackForm, Form: "guest-stay", FormVersion: 1,
		Answers: []survey.Answer{{Question: "overall", Value: 4}, {Question: "comments", Text: "breakfast was cold"}}})
	if err != nil {
		t.Fatal(err)
	}
	if old.Category() != "food" {
		t.Errorf("free-text answer not categorised: %+v", old.Categorisation)
	}
	// Version 2 adds a section on food, as the seed suggests after food
	// complaints, and drops the purpose question.
	v2 := v1
	v2.Version, v2.Note = 2, "ask about the food"
	v2.Sections = []survey.Section{
		{Title: "Overall", Questions: []survey.Question{v1.Sections[0].Questions[0], v1.Sections[0].Questions[2]}},
		{Title: "Food", Questions: []survey.Question{{ID: "food", Text: "How good was the food?", Type: survey.QuestionTypeRating, Min: 1, Max: 10}}},
	}
	if _, err := f.desk.PublishForm(ctx, v2); err != nil {
		t.Fatal(err)
	}
	// The old item still validates against, and reads as, version 1.
	got, err := f.desk.Get(ctx, old.ID)
	if err != nil || got.FormVersion != 1 {
		t.Fatalf("old item: %+v %v", got, err)
	}
	if _, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelFeedbackForm, Form: "guest-stay", FormVersion: 1,
		Answers: []survey.Answer{{Question: "overall", Value: 5}, {Question: "purpose", Choice: "leisure"}}}); err != nil {
		t.Errorf("answer to version 1 after version 2: %v", err)
	}
	if _, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelFeedbackForm, Form: "guest-stay", FormVersion: 2,
		Answers: []survey.Answer{{Question: "overall", Value: 5}, {Question: "purpose", Choice: "leisure"}}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("answer to a question version 2 dropped: %v", err)
	}

	bad := []struct {
		name  string
		edit  func(*survey.Form)
		field string
	}{
		{"skipped version", func(x *survey.Form) { x.Version = 4 }, "form.version"},
		{"same version", func(x *survey.Form) { x.Version = 2 }, "form.version"},
		{"scale changed", func(x *survey.Form) {
			x.Version = 3
			x.Sections = []survey.Section{{Title: "x", Questions: []survey.Question{{ID: "food", Text: "Food?", Type: survey.QuestionTypeRating, Min: 1, Max: 5}}}}
		}, "form.question food"},
		{"type changed", func(x *survey.Form) {
			x.Version = 3
			x.Sections = []survey.Section{{Title: "x", Questions: []survey.Question{{ID: "overall", Text: "Recommend?", Type: survey.QuestionTypeNPS}}}}
		}, "form.question overall"},
		{"duplicate question", func(x *survey.Form) {
			x.Version = 3
			x.Sections = []survey.Section{{Title: "x", Questions: []survey.Question{{ID: "a", Text: "A", Type: survey.QuestionTypeFreeText}, {ID: "a", Text: "B", Type: survey.QuestionTypeFreeText}}}}
		}, "form.sections[0].questions[1].id"},
		{"one choice", func(x *survey.Form) {
			x.Version = 3
			x.Sections = []survey.Section{{Title: "x", Questions: []survey.Question{{ID: "a", Text: "A", Type: survey.QuestionTypeChoice, Choices: []string{"only"}}}}}
		}, "form.sections[0].questions[0].choices"},
		{"bad name", func(x *survey.Form) { x.Name = "Guest Stay" }, "form.name"},
	}
	for _, tt := range bad {
		x := v2
		tt.edit(&x)
		_, err := f.desk.PublishForm(ctx, x)
		var ve *cxkit.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("%s: %v, want field %s", tt.name, err, tt.field)
		}
	}
	if n := f.count(t, recordForm); n != 2 {
		t.Errorf("%d form versions stored, want 2", n)
	}
	// Version 3 drops the food question; version 4 may bring it back only
	// on its old scale, so waves across the gap stay comparable.
	v3 := v2
	v3.Version = 3
	v3.Sections = v2.Sections[:1]
	if _, err := f.desk.PublishForm(ctx, v3); err != nil {
		t.Fatal(err)
	}
	v4 := v2
	v4.Version = 4
	v4.Sections = []survey.Section{v2.Sections[0], {Title: "Food", Questions: []survey.Question{{ID: "food", Text: "Food?", Type: survey.QuestionTypeRating, Min: 1, Max: 5}}}}
	var ve *cxkit.ValidationError
	if _, err := f.desk.PublishForm(ctx, v4); !errors.As(err, &ve) || ve.Field != "form.question food" || !strings.Contains(ve.Rule, "version 2") {
		t.Errorf("food brought back on another scale: %v", err)
	}
	v4.Sections[1].Questions[0].Max = 10
	if _, err := f.desk.PublishForm(ctx, v4); err != nil {
		t.Errorf("food brought back on its old scale: %v", err)
	}
}

func TestRecategoriseAcknowledgeRetrain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := f.clock.now().Add(-time.Hour)
	it, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelLetter, Text: "the lift was out of order"})
	if err != nil {
		t.Fatal(err)
	}
	it, err = f.desk.Acknowledge(ctx, it.ID, "duty manager")
	if err != nil || !it.Acknowledged {
		t.Fatalf("ack: %+v %v", it, err)
	}
	if _, err := f.desk.Recategorise(ctx, it.ID, "spa", "anna", ""); !errors.Is(err, ErrUnknownCategory) || !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown category accepted: %v", err)
	}
	ownerBefore := it.Owner
	it, err = f.desk.Recategorise(ctx, it.ID, "housekeeping", "anna", "lifts are cleaned by housekeeping")
	if err != nil {
		t.Fatal(err)
	}
	if it.Category() != "housekeeping" || it.Categorisation.Source != SourcePerson || it.Owner != "executive housekeeper" {
		t.Errorf("after correction: %+v owner %s", it.Categorisation, it.Owner)
	}
	if ownerBefore == it.Owner || it.Acknowledged {
		t.Errorf("owner %s -> %s, acknowledged %v: a new owner must acknowledge again", ownerBefore, it.Owner, it.Acknowledged)
	}
	last := it.History[len(it.History)-2]
	if last.By != "anna" || last.Why != "lifts are cleaned by housekeeping" {
		t.Errorf("history lacks who and why: %+v", it.History)
	}
	ex, err := f.desk.CorrectedExamples(ctx)
	if err != nil || len(ex) != 1 || ex[0].Category != "housekeeping" {
		t.Fatalf("corrections: %v %v", ex, err)
	}
	if _, err := f.desk.Retrain(ctx, hotelExamples, classify.TrainOptions{}); err != nil {
		t.Fatal(err)
	}
	if p := f.desk.Classifier().(*classify.Model).Predict("the lift was out of order"); p.Category != "housekeeping" {
		t.Errorf("retrained model says %+v", p)
	}
	// A stale write loses: the version check surfaces as store.ErrConflict.
	stale, _ := f.desk.Get(ctx, it.ID)
	stale.Version--
	if _, err := f.desk.items.Update(ctx, stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale update: %v", err)
	}
}

func TestConcurrentAcknowledgeAndRecategorise(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	it, err := f.desk.Intake(ctx, Intake{Received: f.clock.now(), Channel: ChannelEmail, Text: "dinner was late"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = f.desk.Acknowledge(ctx, it.ID, fmt.Sprintf("p%d", i))
			} else {
				_, err = f.desk.Recategorise(ctx, it.ID, "food", fmt.Sprintf("p%d", i), "")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got, _ := f.desk.Get(ctx, it.ID)
	if got.Category() != "food" || got.Categorisation.Source != SourcePerson {
		t.Errorf("lost a write: %+v", got.Categorisation)
	}
}

func TestHandOff(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := f.clock.now().Add(-time.Hour)
	c, _ := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelFaceToFace, CustomerRef: "g7", Text: "rude receptionist", Kind: KindComplaint})
	p, _ := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelFaceToFace, Text: "lovely stay", Kind: KindCompliment})
	got, err := f.desk.HandOff(ctx, c.ID, "duty manager")
	if err != nil || got.ComplaintID != "C-1" {
		t.Fatalf("hand-off: %+v %v", got, err)
	}
	// The complaint's clock starts at the hand-over, not at the receipt.
	want := c.ID + "|g7|face-to-face|" + f.clock.now().Format(time.RFC3339)
	if len(f.taker.calls) != 1 || f.taker.calls[0] != want {
		t.Errorf("complaints saw %v, want %s", f.taker.calls, want)
	}
	// Retrying does not open a second complaint.
	if again, err := f.desk.HandOff(ctx, c.ID, "x"); err != nil || again.ComplaintID != "C-1" || len(f.taker.calls) != 1 {
		t.Errorf("retry: %+v %v %v", again, err, f.taker.calls)
	}
	if _, err := f.desk.HandOff(ctx, p.ID, "x"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("compliment handed off: %v", err)
	}
	f.taker.fail = errors.New("complaints down")
	c2, _ := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelPhone, Text: "cold food", Kind: KindComplaint})
	if _, err := f.desk.HandOff(ctx, c2.ID, "x"); !errors.Is(err, f.taker.fail) {
		t.Errorf("taker failure: %v", err)
	}
	if got, _ := f.desk.Get(ctx, c2.ID); got.ComplaintID != "" {
		t.Error("failed hand-off recorded a complaint")
	}
	noTaker, _ := New(memory.New(), hotelConfig())
	if _, err := noTaker.HandOff(ctx, c.ID, "x"); !errors.Is(err, ErrNoHandOff) {
		t.Errorf("no taker: %v", err)
	}
}

func TestEraseCustomer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := f.clock.now().Add(-time.Hour)
	for _, ref := range []string{"g1", "g1", "g2"} {
		if _, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, CustomerRef: ref, Text: "nice pool"}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := cxkit.EraseCustomer(ctx, "g1", "dpo", f.desk)
	if err != nil || n != 2 {
		t.Fatalf("erased %d, %v", n, err)
	}
	refs := map[string]int{}
	for it, err := range f.desk.Items(ctx, ItemFilter{From: at, To: f.clock.now()}) {
		if err != nil {
			t.Fatal(err)
		}
		refs[it.CustomerRef]++
		if it.CustomerRef == "" && !it.Erased {
			t.Error("erased item not marked")
		}
	}
	if refs["g1"] != 0 || refs[""] != 2 || refs["g2"] != 1 {
		t.Errorf("after erasure: %v", refs)
	}
}

func TestSummaryAndRisingAlert(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	week := 7 * 24 * time.Hour
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday
	add := func(at time.Time, text string, ch Channel, ratings ...Rating) {
		t.Helper()
		if _, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ch, Text: text, Ratings: ratings}); err != nil {
			t.Fatal(err)
		}
	}
	// Four baseline weeks: two food items and fifteen housekeeping items a
	// week, and one week with a single spike of four front-desk items.
	for w := range 4 {
		at := start.Add(time.Duration(w) * week).Add(time.Hour)
		add(at, "breakfast was fine", ChannelEmail)
		add(at, "the menu was short", ChannelEmail)
		for range 15 {
			add(at, "towels were not changed", ChannelPhone)
		}
		if w == 2 {
			for range 4 {
				add(at, "check in at reception was slow", ChannelFaceToFace)
			}
		}
	}
	// This week: food jumps to 12 items, housekeeping stays at 15, and
	// front desk has 2.
	now := start.Add(4 * week)
	for i := range 12 {
		add(now.Add(time.Duration(i)*time.Hour), "the breakfast eggs were cold", ChannelFeedbackForm, Rating{Name: "food", Value: i % 5, Min: 0, Max: 4})
	}
	for range 15 {
		add(now.Add(time.Hour), "towels were not changed", ChannelPhone)
	}
	for range 2 {
		add(now.Add(time.Hour), "check in at reception was slow", ChannelFaceToFace)
	}
	f.clock.set(now.Add(week))
	s, err := f.desk.Summarise(ctx, now, now.Add(week), SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Total != 29 || s.PreviousTotal != 17 {
		t.Errorf("totals %d/%d, want 29/17", s.Total, s.PreviousTotal)
	}
	want := []Count{{"housekeeping", 15, 15}, {"food", 12, 2}, {"front-desk", 2, 0}}
	if fmt.Sprint(s.ByCategory) != fmt.Sprint(want) {
		t.Errorf("by category %v, want %v", s.ByCategory, want)
	}
	if len(s.ByChannel) != 4 || s.ByChannel[1] != (Count{"feedback-form", 12, 0}) {
		t.Errorf("by channel %v", s.ByChannel)
	}
	if len(s.Ratings) != 1 || s.Ratings[0].N != 12 || math.Abs(s.Ratings[0].Mean-(0+1+2+3+4+0+1+2+3+4+0+1)/12.0) > 1e-12 {
		t.Errorf("ratings %+v", s.Ratings)
	}
	if tp := s.TopPhrases["food"]; len(tp) != 3 || tp[0].Items != 12 || !strings.Contains(tp[0].Text, " ") {
		t.Errorf("food top phrases %v", tp)
	}
	// Food (12 of 29 items against 8 of 72 over the baseline) alerts; its
	// expected count is the baseline's share of this week's total. Front
	// desk does not: its baseline includes the one-off spike, and 2 is
	// under MinCount.
	if len(s.Rising) != 1 || s.Rising[0].Category != "food" || math.Abs(s.Rising[0].Expected-29*8/72.0) > 1e-9 || !strings.Contains(s.Rising[0].Suggestion, "feedback form") {
		t.Errorf("rising %+v", s.Rising)
	}
	// In the spike week itself, four items against a baseline floored at
	// half an item is still under MinCount: no alert on a small spike.
	spike, err := f.desk.Summarise(ctx, start.Add(2*week), start.Add(3*week), SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(spike.Rising) != 0 {
		t.Errorf("a spike of 4 raised %+v", spike.Rising)
	}
	if _, err := f.desk.Summarise(ctx, now, now, SummaryOptions{}); !errors.Is(err, store.ErrInvalid) {
		t.Error("empty period accepted")
	}

	var buf bytes.Buffer
	n, err := f.desk.ExportCSV(ctx, &buf, now, now.Add(week))
	if err != nil || n != 29 {
		t.Fatalf("export %d, %v", n, err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 30 || rows[0][5] != "category" || rows[1][5] != "food" || rows[1][8] != "chef" || rows[1][12] != "food=0/4" {
		t.Errorf("csv rows[0..1] = %q %q", rows[0], rows[1])
	}
}

func TestExportDefusesFormulas(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := f.clock.now().Add(-time.Hour)
	if _, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, CustomerRef: "@guest", Text: "=HYPERLINK(\"x\")", Contact: Contact{Name: "+Ann", Phone: "-123"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, Text: "plain"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.desk.ExportCSV(ctx, &buf, at, f.clock.now()); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range slices.Concat(rows[1:]...) {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			t.Errorf("exported cell %q would run as a formula", c)
		}
	}
	if rows[1][13] != "'=HYPERLINK(\"x\")" || rows[2][13] != "plain" {
		t.Errorf("text cells %q %q", rows[1][13], rows[2][13])
	}
}

func TestRetrainRejectsBadSetsAndKeepsModel(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before := f.desk.Classifier()
	// No base examples and no corrections yet: an empty training set.
	_, err := f.desk.Retrain(ctx, nil, classify.TrainOptions{})
	var fe *cxkit.ValidationError
	if !errors.As(err, &fe) || fe.Field != "training set" || !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty retraining: %v, want a FieldError on the training set", err)
	}
	// A base example in a category the organisation does not have.
	_, err = f.desk.Retrain(ctx, append(slices.Clone(hotelExamples), classify.Example{Text: "the sauna was too hot", Category: "spa"}), classify.TrainOptions{})
	if !errors.As(err, &fe) || fe.Field != "classifier" || !errors.Is(err, ErrUnknownCategory) {
		t.Errorf("retraining with an unknown category: %v", err)
	}
	if f.desk.Classifier() != before {
		t.Error("a failed retraining replaced the classifier")
	}
}

// A rise must stand out from the baseline's own week-to-week variation:
// front desk ran 1, 5, 2 and 4 items a week (12 of 104 items); 9 of 44
// this week is within what four noisy weeks explain, while housekeeping
// jumping from 3 a week to 15 is a real rise in its share.
func TestRisingAlertAllowsForBaselineNoise(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	week := 7 * 24 * time.Hour
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	add := func(at time.Time, text string, n int) {
		t.Helper()
		for range n {
			if _, err := f.desk.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, Text: text}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Food runs steadily at 20 a week, so that the shares of the other two
	// have a stable background.
	for w, n := range []int{1, 5, 2, 4} {
		at := start.Add(time.Duration(w) * week).Add(time.Hour)
		add(at, "check in at reception was slow", n)
		add(at, "towels were not changed", 3)
		add(at, "the menu was short", 20)
	}
	now := start.Add(4 * week)
	add(now.Add(time.Hour), "check in at reception was slow", 9)
	add(now.Add(time.Hour), "towels were not changed", 15)
	add(now.Add(time.Hour), "the menu was short", 20)
	f.clock.set(now.Add(week))
	s, err := f.desk.Summarise(ctx, now, now.Add(week), SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(s.ByCategory) != fmt.Sprint([]Count{{"food", 20, 20}, {"housekeeping", 15, 3}, {"front-desk", 9, 4}}) {
		t.Fatalf("by category %v", s.ByCategory)
	}
	if len(s.Rising) != 1 || s.Rising[0].Category != "housekeeping" || math.Abs(s.Rising[0].Expected-44*12/104.0) > 1e-9 || s.Rising[0].P >= 0.01 {
		t.Errorf("rising %+v, want housekeeping only", s.Rising)
	}
	if len(s.Rising) > 0 && !strings.Contains(s.Rising[0].Suggestion, "revising the feedback forms to ask about housekeeping") {
		t.Errorf("suggestion %q", s.Rising[0].Suggestion)
	}
}
