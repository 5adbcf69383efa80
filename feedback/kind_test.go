package feedback

import (
	"strings"
	"testing"
)

func TestInferKind(t *testing.T) {
	tests := []struct {
		text    string
		want    Kind
		minConf float64
	}{
		{"I ordered room service twice and the meal came cold each time. That was not good enough", KindComplaint, 0.6},
		{"Thank you for arranging adjoining rooms for our family - it was great", KindCompliment, 0.6},
		{"I wish the menu had more vegetarian dishes", KindSuggestion, 0.6},
		{"What time does the pool open?", KindQuestion, 0.5},
		{"Is there parking at the hotel?", KindQuestion, 0.5},
		{"The staff were rude and the room was dirty", KindComplaint, 0.6},
		{"It would be great to have a kettle in the room", KindSuggestion, 0.4},
		{"Wonderful, friendly staff. Thank you!", KindCompliment, 0.7},
		{"I didn't get my refund", KindComplaint, 0.5},
	}
	for _, tt := range tests {
		k, conf := InferKind(tt.text)
		if k != tt.want || conf < tt.minConf || conf > 1 {
			t.Errorf("InferKind(%q) = %s %.2f, want %s with confidence >= %.2f", tt.text, k, conf, tt.want, tt.minConf)
		}
	}
	// No cue at all: a guess, flagged by its low confidence.
	if k, conf := InferKind("room 214"); k != KindComplaint || conf != 0.25 {
		t.Errorf("no cues: %s %.2f", k, conf)
	}
	// One cue is weaker evidence than several.
	_, one := InferKind("great")
	_, three := InferKind("great, lovely, excellent")
	if one >= three {
		t.Errorf("one cue %.2f should be less sure than three %.2f", one, three)
	}
	// Mixed feedback is less certain than unanimous feedback.
	_, mixed := InferKind("great staff but the room was dirty and cold")
	if mixed >= three {
		t.Errorf("mixed %.2f should be less sure than unanimous %.2f", mixed, three)
	}
}

func TestItemPhrases(t *testing.T) {
	var got []string
	for p := range itemPhrases("Fresh towels, a clean room; thank you. Room 214 at 10pm! Fresh towels") {
		got = append(got, p)
	}
	want := []string{"fresh", "fresh towels", "towels", "clean", "clean room", "room", "thank", "10pm"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("phrases %q, want %q", got, want)
	}
	if w := words("The chef's pasta, didn't"); strings.Join(w, " ") != "the chef pasta didnt" {
		t.Errorf("words = %q", w)
	}
}
