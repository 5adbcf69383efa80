package feedback

import (
	"iter"
	"slices"
	"strings"
)

// stopwords are the words that make a phrase uninformative on their own.
var stopwords = buildSet(`a about after again all also am an and any are as at be because been
before being but by can could did do does doing dont for from had has have having he her here
him his how i if in into is it its just me more most my no nor not now of off on once only or
other our out over own same she should so some such than that the their them then there these
they this those through to too under until up very was we were what when where which while who
why will with would you your yours im ive id us got get one two`)

func buildSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// itemPhrases yields each informative word and pair of adjacent
// informative words of text once: the units the top-phrases table counts.
// Pairs never span punctuation ("a clean room, thank you" has no "room
// thank"), and bare numbers (room numbers, times) are not phrases.
func itemPhrases(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		seen := map[string]bool{}
		emit := func(p string) bool {
			if seen[p] {
				return true
			}
			seen[p] = true
			return yield(p)
		}
		for _, clause := range strings.FieldsFunc(text, clauseBreak) {
			ws := words(clause)
			for i, w := range ws {
				if !informative(w) {
					continue
				}
				if !emit(w) {
					return
				}
				if i+1 < len(ws) && informative(ws[i+1]) {
					if !emit(w + " " + ws[i+1]) {
						return
					}
				}
			}
		}
	}
}

func clauseBreak(r rune) bool { return strings.ContainsRune(".,;:!?()[]\n\"-–—", r) }

func informative(w string) bool {
	if len(w) < 3 || stopwords[w] {
		return false
	}
	return strings.TrimFunc(w, func(r rune) bool { return r >= '0' && r <= '9' }) != ""
}

// topPhrases returns the n phrases used by the most items, preferring
// pairs of words (more telling) over single words on equal counts, then
// alphabetical order.
func topPhrases(counts map[string]int, n int) []Phrase {
	ps := make([]Phrase, 0, len(counts))
	for t, c := range counts {
		ps = append(ps, Phrase{Text: t, Items: c})
	}
	slices.SortFunc(ps, func(a, b Phrase) int {
		if a.Items != b.Items {
			return b.Items - a.Items
		}
		if la, lb := strings.Count(a.Text, " "), strings.Count(b.Text, " "); la != lb {
			return lb - la
		}
		return strings.Compare(a.Text, b.Text)
	})
	return ps[:min(n, len(ps))]
}
