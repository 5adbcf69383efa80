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
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '\u2019':
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
