package feedback

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/survey"
)

func publishSurvey(t *testing.T, d *Service) {
	t.Helper()
	_, err := d.PublishForm(context.Background(), survey.Form{
		Name: "guest-survey", Version: 1, Title: "Guest survey", Purpose: survey.PurposeSurvey,
		Sections: []survey.Section{{Title: "Scores", Questions: []survey.Question{
			{ID: "recommend", Text: "How likely are you to recommend us?", Type: survey.QuestionTypeNPS},
			{ID: "satisfied", Text: "How satisfied were you?", Type: survey.QuestionTypeCSAT},
			{ID: "easy", Text: "It was easy to get what I needed.", Type: survey.QuestionTypeCES},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSurveyWaves(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	publishSurvey(t, f.desk)
	t1 := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	for i, v := range npsWaveA {
		answers := []survey.Answer{{Question: "recommend", Value: v}}
		if i < 8 {
			answers = append(answers, survey.Answer{Question: "satisfied", Value: 1 + i%5}, survey.Answer{Question: "easy", Value: 1 + i%7})
		}
		if _, err := f.desk.Respond(ctx, Response{Survey: "guest-survey", Version: 1, Wave: "Q1", Submitted: t1, Answers: answers}); err != nil {
			t.Fatal(err)
		}
	}
	// Version 2 adds a question; wave Q2 answers it and stays comparable on
	// the shared NPS question. Two respondents skip the NPS question.
	_, err := f.desk.PublishForm(ctx, survey.Form{
		Name: "guest-survey", Version: 2, Title: "Guest survey", Purpose: survey.PurposeSurvey,
		Sections: []survey.Section{{Title: "Scores", Questions: []survey.Question{
			{ID: "recommend", Text: "Would you recommend us to a friend?", Type: survey.QuestionTypeNPS},
			{ID: "food", Text: "Rate the food", Type: survey.QuestionTypeRating, Min: 1, Max: 5},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t2 := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	var b []int
	for range 16 {
		b = append(b, 10)
	}
	b = append(b, 8, 7, 3, 2)
	for _, v := range b {
		if _, err := f.desk.Respond(ctx, Response{Survey: "guest-survey", Version: 2, Wave: "Q2", Submitted: t2, Answers: []survey.Answer{{Question: "recommend", Value: v}, {Question: "food", Value: 4}}}); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if _, err := f.desk.Respond(ctx, Response{Survey: "guest-survey", Version: 2, Wave: "Q2", Submitted: t2, Answers: []survey.Answer{{Question: "food", Value: 2}}}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := f.desk.WaveNPS(ctx, "guest-survey", "Q2", "recommend", 0.95)
	if err != nil || s.N != 20 || s.Score != 70 {
		t.Fatalf("Q2 NPS over answered responses only: %+v %v", s, err)
	}
	c, err := f.desk.CompareWaves(ctx, "guest-survey", "recommend", "Q1", "Q2", 0.90)
	if err != nil {
		t.Fatal(err)
	}
	if c.Metric != "nps" || !c.Significant || math.Abs(c.P-0.097061) > 1e-5 {
		t.Errorf("comparison %+v", c)
	}
	if _, err := f.desk.CompareWaves(ctx, "guest-survey", "food", "Q1", "Q2", 0.95); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("comparing a plain rating: %v", err)
	}

	// Measure pools every answer of the type given in the period.
	got, err := f.desk.Measure(ctx, MetricNPS.Metric(), t1, t1.Add(time.Hour))
	if err != nil || got != 20 {
		t.Errorf("nps measure = %v, %v", got, err)
	}
	if got, _ := f.desk.Measure(ctx, MetricCSAT.Metric(), t1, t1.Add(time.Hour)); math.Abs(got-25) > 1e-9 {
		// Answers 1,2,3,4,5,1,2,3: two of eight are 4 or 5.
		t.Errorf("csat measure = %v, want 25", got)
	}
	if got, _ := f.desk.Measure(ctx, MetricCES.Metric(), t1, t1.Add(time.Hour)); math.Abs(got-(1+2+3+4+5+6+7+1)/8.0) > 1e-9 {
		t.Errorf("ces measure = %v", got)
	}
	if got, _ := f.desk.Measure(ctx, MetricNPS.Metric(), t2.Add(time.Hour), t2.Add(2*time.Hour)); !math.IsNaN(got) {
		t.Errorf("nps of an empty period = %v, want NaN", got)
	}

	bad := []struct {
		name  string
		r     Response
		field string
	}{
		{"no wave", Response{Survey: "guest-survey", Version: 1, Answers: []survey.Answer{{Question: "recommend", Value: 3}}}, "response.wave"},
		{"unknown version", Response{Survey: "guest-survey", Version: 3, Wave: "x", Answers: []survey.Answer{{Question: "recommend", Value: 3}}}, "response.survey"},
		{"not on version", Response{Survey: "guest-survey", Version: 1, Wave: "x", Answers: []survey.Answer{{Question: "food", Value: 3}}}, "response.answers[0].question"},
		{"out of scale", Response{Survey: "guest-survey", Version: 1, Wave: "x", Answers: []survey.Answer{{Question: "recommend", Value: 11}}}, "response.answers[0].value"},
		{"twice", Response{Survey: "guest-survey", Version: 1, Wave: "x", Answers: []survey.Answer{{Question: "recommend", Value: 1}, {Question: "recommend", Value: 2}}}, "response.answers[1].question"},
		{"empty", Response{Survey: "guest-survey", Version: 1, Wave: "x"}, "response.answers"},
		{"future", Response{Survey: "guest-survey", Version: 1, Wave: "x", Submitted: f.clock.now().Add(time.Hour), Answers: []survey.Answer{{Question: "recommend", Value: 3}}}, "response.submitted"},
	}
	before := f.count(t, recordResponse)
	for _, tt := range bad {
		_, err := f.desk.Respond(ctx, tt.r)
		var ve *cxkit.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("%s: %v, want field %s", tt.name, err, tt.field)
		}
	}
	if after := f.count(t, recordResponse); after != before {
		t.Errorf("bad responses stored %d records", after-before)
	}
}

func TestMeasureMetrics(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	f.clock.set(to.Add(time.Hour))
	for _, text := range []string{"breakfast was cold", "menu too short", "towels dirty", "great stay, thanks"} {
		if _, err := f.desk.Intake(ctx, Intake{Received: from.Add(time.Hour), Channel: ChannelEmail, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	// Items outside [from, to) do not count.
	if _, err := f.desk.Intake(ctx, Intake{Received: to, Channel: ChannelEmail, Text: "menu"}); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Observation{{Measure: SecondaryRefunds, At: from, Value: 3}, {Measure: SecondaryRefunds, At: from.Add(time.Hour), Value: 4}, {Measure: SecondaryCustomersOnBooks, At: from, Value: 100}, {Measure: SecondaryCustomersOnBooks, At: from.Add(48 * time.Hour), Value: 120}, {Measure: SecondaryWaitingTime, At: from, Value: 4}, {Measure: SecondaryWaitingTime, At: from.Add(time.Hour), Value: 8}} {
		if _, err := f.desk.RecordObservation(ctx, o, "analyst"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		metric cxkit.Metric
		want   float64
	}{
		{MetricCount.Metric(), 4},
		{CountBy(DimensionKind, "compliment"), 1},
		{CountBy(DimensionChannel, "email"), 4},
		{ShareOf("food"), 50},
		{ShareOf("housekeeping"), 25},
		{SecondaryMetric(SecondaryRefunds), 7},
		{SecondaryMetric(SecondaryCustomersOnBooks), 120},
		{SecondaryMetric(SecondaryWaitingTime), 6},
	}
	for _, tt := range tests {
		got, err := f.desk.Measure(ctx, tt.metric, from, to)
		if err != nil || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Measure(%s) = %v, %v; want %v", tt.metric, got, err, tt.want)
		}
		// The written form parses back to the same metric.
		if m, err := cxkit.ParseMetric(tt.metric.String()); err != nil || m != tt.metric {
			t.Errorf("ParseMetric(%s) = %+v, %v", tt.metric, m, err)
		}
	}
	for _, m := range []cxkit.Metric{{Name: "nps", Dimension: "x", Value: "y"}, ShareOf("spa"), CountBy(DimensionKind, "rant"),
		CountBy("weather", "sunny"), SecondaryMetric("weather"), {Name: "happiness"}, {}} {
		if _, err := f.desk.Measure(ctx, m, from, to); !errors.Is(err, cxkit.ErrUnknownMetric) {
			t.Errorf("Measure(%q): %v, want ErrUnknownMetric", m, err)
		}
	}
	if _, err := f.desk.RecordObservation(ctx, Observation{Measure: "weather", At: from}, "analyst"); !errors.Is(err, store.ErrInvalid) {
		t.Error("unknown secondary measure accepted")
	}
	if _, err := f.desk.RecordObservation(ctx, Observation{Measure: SecondaryRefunds, At: from, Value: math.NaN()}, "analyst"); !errors.Is(err, store.ErrInvalid) {
		t.Error("NaN observation accepted")
	}
	stored := f.count(t, recordObservation)
	for _, tt := range []struct {
		o     Observation
		field string
	}{
		{Observation{Measure: SecondaryRefunds, At: from, Value: -1}, "observation.value"},
		{Observation{Measure: SecondaryAbsenteeism, At: from, Value: 101}, "observation.value"},
		{Observation{Measure: SecondaryMarketShare, At: from, Value: -0.5}, "observation.value"},
		{Observation{Measure: SecondaryWaitingTime, Value: 3}, "observation.at"},
		{Observation{Measure: SecondaryWaitingTime, At: f.clock.now().Add(time.Hour), Value: 3}, "observation.at"},
	} {
		_, err := f.desk.RecordObservation(ctx, tt.o, "analyst")
		var fe *cxkit.ValidationError
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("Observe(%+v): %v, want a FieldError on %s", tt.o, err, tt.field)
		}
	}
	if _, err := f.desk.RecordObservation(ctx, Observation{Measure: SecondaryNetSales, At: from, Value: -250}, "analyst"); err != nil {
		t.Errorf("a negative net sales figure (more refunded than sold) was refused: %v", err)
	}
	if n := f.count(t, recordObservation); n != stored+1 {
		t.Errorf("%d observations stored, want %d: bad ones must store nothing", n, stored+1)
	}
	series, err := f.desk.Series(ctx, SecondaryCustomersOnBooks, from, to)
	if err != nil || len(series) != 2 || series[1].Value != 120 {
		t.Errorf("series %+v %v", series, err)
	}
}

// npsWaveA is the survey package's hand-computed wave: NPS 20.
var npsWaveA = []int{10, 10, 9, 8, 7, 6, 5, 0, 9, 10}
