package feedback

import (
	"context"
	"slices"
	"strings"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

var _ cxkit.Eraser = (*Service)(nil)

// CustomerIdentifiers returns what the feedback knows of the customer with
// the host's reference ref: the names, e-mail addresses and phone numbers
// given in the contact fields of their items. It makes Service a
// cxkit.Eraser; use cxkit.EraseCustomer to erase a customer from every
// service at once.
func (s *Service) CustomerIdentifiers(ctx context.Context, ref string) (cxkit.Identifiers, error) {
	ids := cxkit.Identifiers{Ref: ref}
	if strings.TrimSpace(ref) == "" {
		return ids, invalidf("ref", "must not be empty")
	}
	for it, err := range s.Items(ctx, ItemFilter{Customer: ref}) {
		if err != nil {
			return ids, err
		}
		ids.Merge(it.Contact.identifiers())
	}
	return ids, nil
}

func (c Contact) identifiers() cxkit.Identifiers {
	var ids cxkit.Identifiers
	if c.Name != "" {
		ids.Names = []string{c.Name}
	}
	if c.Email != "" {
		ids.Emails = []string{c.Email}
	}
	if c.Phone != "" {
		ids.Phones = []string{c.Phone}
	}
	return ids
}

// EraseIdentifiers takes every one of ids out of the feedback: from the
// items of the customer (reference, contact fields, free text, free-text
// answers), from any other item whose text names them, and from survey
// responses (respondent, free-text answers). Items keep their date,
// channel, kind, category, ratings and complaint link, so counts and
// scores do not change; a handed-over complaint carries the same
// reference and is erased by the complaints service given to the same
// cxkit.EraseCustomer call. Each changed item gets a history entry by by.
// Erasing twice changes nothing the second time.
func (s *Service) EraseIdentifiers(ctx context.Context, ids cxkit.Identifiers, by string) (int, error) {
	if strings.TrimSpace(by) == "" {
		return 0, invalidf("by", "must name who asked for the erasure")
	}
	known := lowered(ids)
	red := ids.Redactor()
	if ids.Ref == "" && len(known) == 0 {
		return 0, invalidf("ids", "must hold a reference or at least one name, e-mail address or phone number")
	}
	var targets []string
	for it, err := range s.items.All(ctx, store.Query{Limit: store.MaxLimit}) {
		if err != nil {
			return 0, err
		}
		if it.mentions(ids, known, red) {
			targets = append(targets, it.ID)
		}
	}
	now := s.now()
	n := 0
	for _, id := range targets {
		changed := false
		_, err := s.items.Mutate(ctx, id, func(it *Item) error {
			changed = it.mentions(ids, known, red)
			if !changed {
				return nil
			}
			// The customer's own item loses every contact detail in it;
			// another customer's item that mentions them loses only what
			// names them, and keeps its own customer's data.
			redact, what := red.Known, "mentions of an erased customer taken out"
			if it.isCustomers(ids, known) {
				it.CustomerRef, it.Contact, it.Erased = "", Contact{}, true
				redact, what = red.All, "customer's identifiers erased"
			}
			it.Text = redact(it.Text)
			for i := range it.Answers {
				it.Answers[i].Text = redact(it.Answers[i].Text)
			}
			// The history's own sentences hold times and IDs that look
			// like phone numbers: only known identifiers go from them.
			for i := range it.History {
				it.History[i].What = red.Known(it.History[i].What)
				it.History[i].Why = redact(it.History[i].Why)
			}
			it.History = append(it.History, cxkit.HistoryEntry{At: now, By: by, Action: "erased", What: what})
			return nil
		})
		if err != nil {
			return n, err
		}
		if changed {
			n++
			s.emit(ctx, cxkit.Event{Type: EventErased, Subject: id, By: by})
		}
	}
	var rids []string
	for r, err := range s.responses.All(ctx, store.Query{Limit: store.MaxLimit}) {
		if err != nil {
			return n, err
		}
		if r.mentions(ids, known, red) {
			rids = append(rids, r.ID)
		}
	}
	for _, id := range rids {
		changed := false
		if _, err := s.responses.Mutate(ctx, id, func(r *Response) error {
			changed = r.mentions(ids, known, red)
			if !changed {
				return nil
			}
			redact := red.Known
			if ids.Ref != "" && r.Respondent == ids.Ref {
				r.Respondent, redact = "", red.All
			}
			for i := range r.Answers {
				r.Answers[i].Text = redact(r.Answers[i].Text)
			}
			r.History = append(r.History, cxkit.HistoryEntry{At: now, By: by, Action: "erased", What: "respondent's identifiers erased"})
			return nil
		}); err != nil {
			return n, err
		}
		if changed {
			n++
		}
	}
	return n, nil
}

// identifierSet is an Identifiers' names, e-mails and phones in lower
// case, for matching contact fields exactly.
type identifierSet []string

func lowered(ids cxkit.Identifiers) identifierSet {
	var out identifierSet
	for _, v := range slices.Concat(ids.Names, ids.Emails, ids.Phones, []string{ids.Ref}) {
		if v = strings.ToLower(strings.TrimSpace(v)); len(v) >= 2 {
			out = append(out, v)
		}
	}
	return out
}

// has reports whether v is one of the identifiers, ignoring case.
func (set identifierSet) has(v string) bool {
	return v != "" && slices.Contains(set, strings.ToLower(strings.TrimSpace(v)))
}

// isCustomers reports whether the item is the customer's own: their
// reference, or their name, e-mail address or phone number in its contact
// fields.
func (it *Item) isCustomers(ids cxkit.Identifiers, known identifierSet) bool {
	if ids.Ref != "" && it.CustomerRef == ids.Ref {
		return true
	}
	c := it.Contact
	return known.has(c.Name) || known.has(c.Email) || known.has(c.Phone)
}

// mentions reports whether the item holds any of the identifiers: it is
// the customer's, or its text names them as a whole word (a name that is
// only part of a longer word is not them).
func (it *Item) mentions(ids cxkit.Identifiers, known identifierSet, red *cxkit.Redactor) bool {
	if it.isCustomers(ids, known) {
		return true
	}
	if red.Mentions(it.Text) {
		return true
	}
	for _, a := range it.Answers {
		if red.Mentions(a.Text) {
			return true
		}
	}
	return false
}

// mentions reports whether the response holds any of the identifiers.
func (r *Response) mentions(ids cxkit.Identifiers, known identifierSet, red *cxkit.Redactor) bool {
	if ids.Ref != "" && r.Respondent == ids.Ref {
		return true
	}
	for _, a := range r.Answers {
		if red.Mentions(a.Text) {
			return true
		}
	}
	return false
}
