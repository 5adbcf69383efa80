package classify

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

var sentiment = []Example{
	{"the staff were friendly and the room was lovely", "positive"},
	{"great breakfast and a wonderful view", "positive"},
	{"thank you for a perfect stay", "positive"},
	{"the pool was clean and the bar was fun", "positive"},
	{"the room was dirty and the staff were rude", "negative"},
	{"cold breakfast and a noisy room", "negative"},
	{"we waited an hour for check in", "negative"},
	{"the shower was broken and nobody came", "negative"},
}

// With two categories the winning probability is at least one half, so a
// threshold on probability alone never queued anything: empty text, emoji
// and another language all came out "negative" at 0.72.
func TestTwoCategoryModelDoesNotJudgeWhatItCannotRead(t *testing.T) {
	m, err := Train(sentiment, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", "   ", "😀😀🎉", "👍", "El desayuno estaba frío y el personal fue grosero", "Das Zimmer war schmutzig und laut"} {
		p := m.Predict(text)
		if p.Confidence >= 0.3 {
			t.Errorf("Predict(%q) = %+v: confidence should fall below any sensible threshold", text, p)
		}
	}
	// Texts in the model's own words keep a confidence that passes.
	for _, text := range []string{"the staff were rude and the room was dirty", "thank you for the lovely room and great breakfast"} {
		if p := m.Predict(text); p.Confidence < 0.5 {
			t.Errorf("Predict(%q) = %+v: a familiar text should pass a threshold of 0.5", text, p)
		}
	}
}

func TestOneCategoryModelIsNeverCertain(t *testing.T) {
	m, err := Train([]Example{{"the meal was cold", "food"}, {"more vegetarian dishes please", "food"}}, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"the meal was cold", "more vegetarian dishes please", "xkcd plugh", "the lift is broken", ""} {
		p := m.Predict(text)
		if p.Probability != 1 {
			t.Fatalf("one category: probability %v, want 1", p.Probability)
		}
		if p.Confidence >= 1 {
			t.Errorf("Predict(%q) confidence %v: a one-category model must not be certain", text, p.Confidence)
		}
	}
	if p := m.Predict("xkcd plugh"); p.Confidence > 0.1 {
		t.Errorf("unknown words in a one-category model: confidence %v", p.Confidence)
	}
}

func TestTrainRefusesNonFiniteOptions(t *testing.T) {
	for _, o := range []TrainOptions{
		{LearningRate: math.NaN()}, {LearningRate: math.Inf(1)}, {L2: math.NaN()}, {L2: math.Inf(-1)},
	} {
		_, err := Train(sentiment, o)
		var ve *cxkit.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, store.ErrInvalid) || !strings.HasPrefix(ve.Field, "train_options.") {
			t.Errorf("Train(%+v) error %v, want a ValidationError on train_options", o, err)
		}
	}
}

// A long letter is judged on all of it: the old reader stopped at 512
// words, so a letter that opened with two paragraphs on the room and went
// on for pages about the food was called housekeeping.
func TestLongTextIsReadToTheEnd(t *testing.T) {
	m, err := Train(hotelExamples, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	room := strings.Repeat("towels were dirty and the bathroom smelled ", 80)      // 560 words
	food := strings.Repeat("the meal was cold when room service brought it ", 300) // 2700 words
	if p := m.Predict(room + food); p.Category != "food" {
		t.Errorf("long text about food after a page on the room: %+v, want food", p)
	}
	if p := m.Predict(room); p.Category != "housekeeping" {
		t.Errorf("room text alone: %+v", p)
	}
}
