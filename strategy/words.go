package strategy

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// minWords is what separates a statement from a placeholder: "TBD" or
// "delivery" says nothing a reader can act on.
const minWords = 3

// vague are words that fill a sentence without saying what, who or how:
// "improve things soon", "do it better", "all the things" are made of
// nothing else.
var vague = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "and": true, "or": true, "in": true, "on": true,
	"for": true, "with": true, "be": true, "is": true, "are": true, "it": true, "its": true, "this": true, "that": true,
	"we": true, "our": true, "us": true, "they": true, "them": true, "all": true, "any": true, "some": true,
	"improve": true, "improving": true, "improved": true, "improvement": true, "better": true, "best": true,
	"good": true, "great": true, "do": true, "doing": true, "make": true, "get": true, "fix": true, "work": true,
	"things": true, "thing": true, "stuff": true, "everything": true, "everyone": true, "everybody": true,
	"anything": true, "something": true, "someone": true, "soon": true, "asap": true, "later": true, "now": true,
	"more": true, "less": true, "lots": true, "very": true, "really": true, "just": true, "general": true,
	"generally": true, "various": true, "overall": true, "issue": true, "issues": true, "problem": true,
	"problems": true, "etc": true, "tbd": true, "todo": true, "tba": true, "na": true, "none": true, "x": true,
	"xx": true, "xxx": true, "service": true, "customer": true, "customers": true,
}

// roles are words that name a group or a role, not a person who answers
// for a strategy.
var roles = map[string]bool{
	"team": true, "staff": true, "everyone": true, "everybody": true, "someone": true, "management": true,
	"manager": true, "managers": true, "us": true, "we": true, "they": true, "all": true, "department": true,
	"tbd": true, "owner": true, "lead": true, "hr": true, "it": true, "cs": true, "board": true, "the": true,
	"customer": true, "service": true, "desk": true, "office": true, "n/a": true, "na": true, "none": true,
}

// words splits text into lower-case words of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '/'
	})
}

// contentWords are the words of text that say something: not vague.
func contentWords(text string) []string {
	return slices.DeleteFunc(words(text), func(w string) bool { return vague[w] })
}

// vagueness says why text is too thin to act on, or "" if it is not: it is
// missing, a placeholder, too short, or made of words that say nothing in
// particular.
func vagueness(text string) string {
	t := strings.TrimSpace(text)
	switch {
	case t == "":
		return "missing"
	case len(strings.Fields(t)) < minWords:
		return fmt.Sprintf("too short to act on (%q, want at least %d words)", t, minWords)
	case len(contentWords(t)) < 2:
		return fmt.Sprintf("too vague (%q names nothing in particular)", t)
	}
	return ""
}

// isPerson reports whether owner names a person rather than a group, a role
// or a placeholder.
func isPerson(owner string) bool {
	ws := words(owner)
	if len(ws) == 0 {
		return false
	}
	hasLetter := false
	for _, w := range ws {
		if !roles[w] {
			for _, r := range w {
				if unicode.IsLetter(r) {
					hasLetter = true
				}
			}
		}
	}
	return hasLetter && !slices.ContainsFunc(ws, func(w string) bool { return w == "team" || w == "department" || w == "staff" })
}

// refersTo reports whether an answer refers to a requirement: it names its
// ID, or shares a word of four letters or more with its title or topics
// (matched on the first five letters, so "privacy" meets "private").
func refersTo(answer string, req Requirement) bool {
	if strings.Contains(answer, req.ID) && len(req.ID) > 1 {
		return true
	}
	stem := func(w string) string {
		if len(w) > 5 {
			return w[:5]
		}
		return w
	}
	want := map[string]bool{}
	for _, w := range words(req.Title + " " + strings.Join(req.Topics, " ")) {
		if len(w) >= 4 {
			want[stem(w)] = true
		}
	}
	for _, w := range words(answer) {
		if len(w) >= 4 && want[stem(w)] {
			return true
		}
	}
	return false
}
