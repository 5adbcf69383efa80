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
// match whole words, ignoring case.
func (ids Identifiers) Redact(text string) string {
	if text == "" {
		return text
	}
	for _, v := range slices.Concat(ids.Emails, ids.Phones, ids.Names, []string{ids.Ref}) {
		v = strings.TrimSpace(v)
		if len(v) < 2 {
			continue
		}
		re := regexp.MustCompile(`(?i)(^|\W)` + regexp.QuoteMeta(v) + `($|\W)`)
		text = re.ReplaceAllString(text, "${1}"+Redacted+"${2}")
	}
	text = emailPattern.ReplaceAllString(text, Redacted)
	return phonePattern.ReplaceAllStringFunc(text, func(m string) string {
		digits := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits < 8 {
			return m
		}
		return Redacted
	})
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
