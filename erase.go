package cxkit

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
)

// Identifiers are what is known to identify one customer: the reference
// the host gave, and the names, e-mail addresses and phone numbers found in
// any record about them.
type Identifiers struct {
	Ref    string
	Names  []string
	Emails []string
	Phones []string
}

// Merge adds other's identifiers to ids, without repeats.
func (ids *Identifiers) Merge(other Identifiers) {
	add := func(dst *[]string, vs []string) {
		for _, v := range vs {
			v = strings.TrimSpace(v)
			if v != "" && !slices.ContainsFunc(*dst, func(x string) bool { return strings.EqualFold(x, v) }) {
				*dst = append(*dst, v)
			}
		}
	}
	add(&ids.Names, other.Names)
	add(&ids.Emails, other.Emails)
	add(&ids.Phones, other.Phones)
}

// Redacted is what erasure puts where an identifier was.
const Redacted = "[erased]"

var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// A phone number: an optional +, then at least eight digits that may
	// be split by spaces, dots, dashes or brackets.
	phonePattern = regexp.MustCompile(`\+?\(?\d[\d\s().\-]{6,}\d`)
)

// Redact returns text with every known identifier, and anything shaped
// like an e-mail address or a phone number, replaced by Redacted. Names
// match whole words, ignoring case. To redact many texts, build a Redactor
// once.
func (ids Identifiers) Redact(text string) string { return ids.Redactor().All(text) }

// A Redactor finds and takes out one customer's identifiers in free text.
// Build it once with Identifiers.Redactor and use it on many texts; it is
// safe for concurrent use.
type Redactor struct {
	// known matches the identifiers alone, as whole words ignoring case,
	// longest first; nil when there are none.
	known *regexp.Regexp
	// plain are the identifiers written in ASCII, lower-cased, for a quick
	// look before the expression; others says some identifier is not
	// ASCII, so that the quick look cannot rule a text out.
	plain  []string
	others bool
}

// Redactor compiles the identifiers (those of two characters or more) for
// finding and taking them out of text.
func (ids Identifiers) Redactor() *Redactor {
	r := &Redactor{}
	var alts []string
	for _, v := range slices.Concat(ids.Emails, ids.Phones, ids.Names, []string{ids.Ref}) {
		if v = strings.TrimSpace(v); len(v) < 2 {
			continue
		}
		alts = append(alts, regexp.QuoteMeta(v))
		if isASCII(v) {
			r.plain = append(r.plain, strings.ToLower(v))
		} else {
			r.others = true
		}
	}
	if len(alts) > 0 {
		slices.SortFunc(alts, func(a, b string) int { return len(b) - len(a) })
		r.known = regexp.MustCompile(`(?i)(^|\W)(` + strings.Join(alts, "|") + `)($|\W)`)
	}
	return r
}

// Mentions reports whether text names one of the identifiers as a whole
// word (a name inside a longer word is not a mention).
func (r *Redactor) Mentions(text string) bool {
	if r.known == nil || text == "" {
		return false
	}
	if !r.others {
		lower := strings.ToLower(text)
		if !slices.ContainsFunc(r.plain, func(id string) bool { return strings.Contains(lower, id) }) {
			return false
		}
	}
	return r.known.MatchString(text)
}

// Known returns text with the identifiers, and nothing else, replaced by
// Redacted: for text about other customers that mentions this one.
func (r *Redactor) Known(text string) string {
	if r.known == nil || text == "" {
		return text
	}
	// Twice, because two mentions side by side share the separator
	// between them and the first pass takes only the first.
	for range 2 {
		text = r.known.ReplaceAllString(text, "${1}"+Redacted+"${3}")
	}
	return text
}

// All returns text with the identifiers and anything shaped like an e-mail
// address or a phone number replaced by Redacted: for the customer's own
// text, where any contact detail is theirs.
func (r *Redactor) All(text string) string {
	if text == "" {
		return text
	}
	text = emailPattern.ReplaceAllString(r.Known(text), Redacted)
	return phonePattern.ReplaceAllStringFunc(text, func(m string) string {
		digits := 0
		for _, c := range m {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		if digits < 8 {
			return m
		}
		return Redacted
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// An Eraser is a service that holds personal data about customers:
// complaints and feedback services are erasers. EraseCustomer (the
// function) asks every eraser the host wires together for what it knows,
// then has each one erase all of it, so that a name given in one package
// is also taken out of the free text of another.
type Eraser interface {
	// CustomerIdentifiers returns what the service's records know about
	// the customer with the host's reference ref.
	CustomerIdentifiers(ctx context.Context, ref string) (Identifiers, error)
	// EraseIdentifiers removes every one of ids from every record the
	// service holds, the reference included, free text included, keeping
	// the records themselves (their counts, dates and categories) for the
	// statistics, with a history entry by by. It returns how many records
	// it changed. Erasing twice changes nothing the second time.
	EraseIdentifiers(ctx context.Context, ids Identifiers, by string) (int, error)
}

// EraseCustomer erases the customer with the host's reference ref from
// every eraser: it gathers the identifiers all of them know, then has each
// erase them all. It returns the number of records changed. Old bytes may
// stay on disk until the store rewrites them: see store/file's Compact and
// the PostgreSQL driver's notes on VACUUM FULL.
func EraseCustomer(ctx context.Context, ref, by string, erasers ...Eraser) (int, error) {
	if strings.TrimSpace(ref) == "" {
		return 0, &ValidationError{Field: "ref", Rule: "is required: the customer's reference"}
	}
	if strings.TrimSpace(by) == "" {
		return 0, &ValidationError{Field: "by", Rule: "is required: who asked for the erasure"}
	}
	ids := Identifiers{Ref: ref}
	for _, e := range erasers {
		found, err := e.CustomerIdentifiers(ctx, ref)
		if err != nil {
			return 0, err
		}
		ids.Merge(found)
	}
	n := 0
	var errs []error
	for _, e := range erasers {
		k, err := e.EraseIdentifiers(ctx, ids, by)
		n += k
		errs = append(errs, err)
	}
	return n, errors.Join(errs...)
}
