package classify

import (
	"slices"
	"strings"
	"testing"
)

func keysOf(text string) []uint64 {
	e := extractor{stem: true}
	k, _ := e.extract(text)
	return slices.Clone(k)
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
		k, _ := e.extract(p[0])
		a := slices.Clone(k)
		if b, _ := e.extract(p[1]); slices.Equal(a, b) {
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
		k, _ := e.extract(tt.text)
		if got := len(k); got != tt.want {
			t.Errorf("extract(%q, bigrams=%v) gave %d keys, want %d", tt.text, tt.bigrams, got, tt.want)
		}
	}
	// A huge text is read a bounded window at a time, and the rest is
	// handed back rather than dropped.
	e := extractor{bigrams: true}
	long := strings.Repeat("word ", 100000)
	k, rest := e.extract(long)
	if got := len(k); got != 2*MaxWindowWords-1 {
		t.Errorf("long text gave %d keys, want %d", got, 2*MaxWindowWords-1)
	}
	if len(rest) != len(long)-5*MaxWindowWords {
		t.Errorf("rest of a long text is %d bytes, want %d", len(rest), len(long)-5*MaxWindowWords)
	}
}
