package feedback

import (
	"slices"
	"strings"
	"testing"
)

func keysOf(text string) []uint64 {
	e := extractor{stem: true}
	return slices.Clone(e.extract(text))
}

func TestExtractNormalises(t *testing.T) {
	same := [][2]string{
		{"Charged", "charged"},
		{"charges", "charge"},
		{"charging", "charg"},
		{"didn't", "didnt"},
		{"didn’t", "didnt"},
		{"CAFÉ", "café"},
		{"room,  service!!", "room service"},
		{"cards", "card"},
		{"queries", "query"},
	}
	for _, p := range same {
		if a, b := keysOf(p[0]), keysOf(p[1]); !slices.Equal(a, b) {
			t.Errorf("%q and %q extract differently", p[0], p[1])
		}
	}
	differ := [][2]string{{"card", "cart"}, {"bus", "bu"}, {"room service", "service room"}}
	for _, p := range differ {
		e := extractor{bigrams: true, stem: true}
		a := slices.Clone(e.extract(p[0]))
		if b := e.extract(p[1]); slices.Equal(a, b) {
			t.Errorf("%q and %q should differ", p[0], p[1])
		}
	}
}

func TestExtractCounts(t *testing.T) {
	tests := []struct {
		text    string
		bigrams bool
		want    int
	}{
		{"", true, 0},
		{"   ...  ", true, 0},
		{"one", true, 1},
		{"one two", false, 2},
		{"one two", true, 3},
		{"one two three", true, 5},
	}
	for _, tt := range tests {
		e := extractor{bigrams: tt.bigrams}
		if got := len(e.extract(tt.text)); got != tt.want {
			t.Errorf("extract(%q, bigrams=%v) gave %d keys, want %d", tt.text, tt.bigrams, got, tt.want)
		}
	}
	// A huge text costs a bounded amount of work.
	e := extractor{bigrams: true}
	if got := len(e.extract(strings.Repeat("word ", 100000))); got != 2*maxTextTokens-1 {
		t.Errorf("long text gave %d keys, want %d", got, 2*maxTextTokens-1)
	}
}
