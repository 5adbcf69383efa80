package feedback

import (
	"strings"
	"unicode"
)

// words splits text into lower-case words for the readable parts of the
// package (kind cues, rules, top phrases): letters and digits, with
// apostrophes dropped so "didn't" is "didnt". The classifier has its own
// allocation-free path in text.go.
func words(text string) []string {
	var out []string
	var b strings.Builder
	apos := -1 // where in b an apostrophe was dropped, or -1
	flush := func() {
		w := b.String()
		// A possessive "chef's" is the chef: drop the s after an apostrophe.
		if apos > 0 && apos == len(w)-1 && w[apos] == 's' {
			w = w[:apos]
		}
		if w != "" {
			out = append(out, w)
		}
		b.Reset()
		apos = -1
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '\u2019':
			apos = b.Len()
		default:
			flush()
		}
	}
	flush()
	return out
}

// containsPhrase reports whether the word sequence phrase occurs in ws.
func containsPhrase(ws, phrase []string) bool {
	if len(phrase) == 0 {
		return false
	}
outer:
	for i := 0; i+len(phrase) <= len(ws); i++ {
		for j, p := range phrase {
			if ws[i+j] != p {
				continue outer
			}
		}
		return true
	}
	return false
}
