package feedback

import (
	"slices"
	"strings"
)

// A Kind says what a piece of feedback is.
type Kind string

// The kinds of feedback.
const (
	KindCompliment Kind = "compliment"
	KindComplaint  Kind = "complaint"
	KindSuggestion Kind = "suggestion"
	KindQuestion   Kind = "question"
)

var kinds = []Kind{KindCompliment, KindComplaint, KindSuggestion, KindQuestion}

// Kinds returns every kind, in a fixed order.
func Kinds() []Kind { return slices.Clone(kinds) }

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool { return slices.Contains(kinds, k) }

func joinKinds() string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// Kind inference is a small cue lexicon rather than a trained model: there
// is no labelled kind data to learn from, and a person reviewing an item
// can see why it was called a complaint. Longer cues are matched first and
// consume their words, so "would be great" counts as a suggestion, not as
// praise.
var kindCues = buildKindCues()

// kindCueList is the lexicon, by kind. Each cue weighs one; "?" at the end
// of the text adds a question cue and a half.
var kindCueList = map[Kind][]string{
	KindCompliment: {
		"thank", "thanks", "thank you", "great", "excellent", "wonderful", "lovely", "amazing",
		"fantastic", "friendly", "helpful", "loved", "enjoyed", "perfect", "impressed",
		"brilliant", "well done", "outstanding", "appreciate", "appreciated", "delicious",
		"spotless", "superb", "kind", "best", "pleasure", "polite", "charming", "comfortable",
		"beautiful", "compliments", "nice touch", "went out of", "so easy", "really well",
	},
	KindComplaint: {
		"not", "never", "no one", "nobody", "cold", "dirty", "rude", "broken", "late", "slow",
		"waited", "disappointed", "disappointing", "terrible", "awful", "poor", "bad",
		"unacceptable", "wrong", "complain", "complaint", "noisy", "smelly", "overcharged",
		"should not have", "shouldnt have", "didnt", "wasnt", "doesnt", "dont work",
		"isnt", "still waiting", "worst", "filthy", "stained", "refund", "ignored", "missing",
		"lost", "problem", "horrible", "mistake", "failed", "leak", "leaking", "crashed",
		"damaged", "hair in",
	},
	KindSuggestion: {
		"would like", "would love", "could", "should", "suggest", "suggestion", "wish",
		"please add", "more", "consider", "recommend", "would be nice", "would be great",
		"would be good", "it would help", "why not", "maybe", "perhaps", "idea", "offer",
		"option", "add", "adding", "might think", "next time", "try", "would be a",
		"instead of", "would cut", "would be shorter",
	},
	// Question words are cues only where a sentence starts (see
	// questionOpeners): "when" in "hair in the sink when we arrived" asks
	// nothing.
	KindQuestion: {
		"how", "what", "when", "where", "which", "who", "is there", "are there", "is it",
		"can i", "can we", "do you", "do i", "does", "will", "could you tell", "i wonder",
		"i was wondering", "wondering",
	},
	// Neutral phrases contain a cue word but say nothing about the kind:
	// a "late check in" is a service, not a delay.
	"": {"late check in", "late checkin", "late check out", "late checkout", "not only", "no problem", "not bad"},
}

const maxCueWords = 3

// questionAnywhere are the question cues that ask wherever they stand in a
// sentence; every other question cue counts only as a sentence's first
// words.
var questionAnywhere = map[string]bool{"could you tell": true, "i wonder": true, "i was wondering": true, "wondering": true}

// splitSentences cuts text at sentence ends (. ! ? ; and line breaks), so
// that question words can be told apart by where they stand.
func splitSentences(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		switch r {
		case '.', '!', '?', ';', '\n', '\r':
			return true
		}
		return false
	})
}

// buildKindCues indexes the lexicon by cue; nothing writes to it after.
func buildKindCues() map[string]Kind {
	m := map[string]Kind{}
	for k, cues := range kindCueList {
		for _, c := range cues {
			m[c] = k
		}
	}
	return m
}

// InferKind guesses what text is and how sure the guess is (0 to 1): the
// share of the text's cues that point at the winning kind, scaled down when
// there are few cues. A text without any cue is called a complaint with
// confidence 0.25 (no better than a guess among four), because a complaint
// read as something else is the costlier mistake; the low confidence tells
// a person to look.
func InferKind(text string) (Kind, float64) {
	votes := map[Kind]float64{}
	total := 0.0
	for _, sentence := range splitSentences(text) {
		ws := words(sentence)
		for i := 0; i < len(ws); {
			matched := 0
			for n := min(maxCueWords, len(ws)-i); n >= 1; n-- {
				cue := strings.Join(ws[i:i+n], " ")
				if k, ok := kindCues[cue]; ok {
					if k == KindQuestion && i > 0 && !questionAnywhere[cue] {
						continue // a question word inside a sentence
					}
					if k != "" {
						votes[k]++
						total++
					}
					matched = n
					break
				}
			}
			i += max(matched, 1)
		}
	}
	if strings.HasSuffix(strings.TrimSpace(text), "?") {
		votes[KindQuestion] += 1.5
		total += 1.5
	}
	if total == 0 {
		return KindComplaint, 0.25
	}
	best := KindComplaint
	for _, k := range kinds {
		if votes[k] > votes[best] {
			best = k
		}
	}
	// Few cues make even a unanimous vote weak evidence: one cue gives at
	// most 0.6, three or more can reach 1.
	share := votes[best] / total
	support := min(total, 3) / 3
	conf := 0.25 + (share-0.25)*(0.4+0.6*support)
	return best, conf
}
