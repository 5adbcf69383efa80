package complaints

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// Service is a cxkit.Eraser: cxkit.EraseCustomer(ctx, ref, by, complaints,
// feedback) takes a customer out of every package the host wires together.
var _ cxkit.Eraser = (*Service)(nil)

// CustomerIdentifiers returns what the complaints know of the customer
// with the host's reference ref: the names and contacts (sorted into
// e-mail addresses and phone numbers) on their complaints.
func (s *Service) CustomerIdentifiers(ctx context.Context, ref string) (cxkit.Identifiers, error) {
	ids := cxkit.Identifiers{Ref: ref}
	if strings.TrimSpace(ref) == "" {
		return ids, invalid("erase.ref", "is required")
	}
	if err := driverkit.CheckAttrValue("erase", Kind, attrCustomer, ref); err != nil {
		return ids, invalid("erase.ref", "%v", err)
	}
	q := store.Query{Filters: []store.Filter{store.Where(attrOrg, s.cfg.Org), store.Where(attrCustomer, truncate(ref))}, Limit: store.MaxLimit}
	for c, err := range s.coll.All(ctx, q) {
		if err != nil {
			return ids, err
		}
		if c.Customer.Ref != ref {
			continue
		}
		var found cxkit.Identifiers
		found.Names = []string{c.Customer.Name}
		switch contact := c.Customer.Contact; {
		case strings.Contains(contact, "@"):
			found.Emails = []string{contact}
		case digits(contact) >= 6:
			found.Phones = []string{contact}
		default:
			found.Names = append(found.Names, contact) // a postal address, a handle
		}
		ids.Merge(found)
	}
	return ids, nil
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// EraseIdentifiers takes every one of ids out of every complaint of the
// organisation, returning how many complaints it changed.
//
// The customer's own complaints (those carrying ids.Ref, or one of the
// contacts without a reference, such as a complaint handed over from
// feedback) lose their name, contact and attachments, and their CRM
// reference becomes a pseudonym shared by all of them, so every statistic
// (counts, repeat complainants, times, breaches) stays as it was. In their
// text (summary, what it concerns, outcome, how the customer was told,
// remedy notes, referral, history notes) every known identifier, and
// anything shaped like an e-mail address or a phone number, becomes
// cxkit.Redacted. Other complaints that mention the customer's name,
// e-mail, phone or reference (a sibling complaint logged by a relative, a
// colleague's note) have those mentions taken out the same way. Each
// changed complaint's history records the erasure, by by, and emits
// EventErased. Running it again changes nothing.
//
// On a batching driver (store/memory, store/file and store/postgres are)
// the changes are written in atomic batches of a few hundred; otherwise
// complaint by complaint. Either way the customer's earliest complaint,
// whose ID names the pseudonym, is written last, so an erasure cut short
// is finished, under the same pseudonym, by running it again.
//
// Erasure rewrites records; the superseded bytes stay in the storage
// beneath until it reclaims them. On the file store call
// (*file.Driver).Compact after an erasure to remove them now. On
// PostgreSQL, plain VACUUM (and autovacuum) only marks the old row
// versions reusable, and was measured to leave the bytes in the table
// files: run VACUUM FULL on the records table (it rewrites the table, and
// takes an exclusive lock while it does) or otherwise rewrite it (for
// example pg_repack) before telling the customer their data is gone from
// disk. The write-ahead log and any WAL archive or replica keep the old
// bytes until they are recycled under the server's retention settings;
// backups are the host's to handle.
func (s *Service) EraseIdentifiers(ctx context.Context, ids cxkit.Identifiers, by string) (int, error) {
	if strings.TrimSpace(by) == "" {
		return 0, invalid("erase.by", "is required")
	}
	if strings.TrimSpace(ids.Ref) == "" && len(ids.Names)+len(ids.Emails)+len(ids.Phones) == 0 {
		return 0, invalid("erase.ref", "is required")
	}
	var err error
	for range s.set.RetryAttempts {
		var n int
		if n, err = s.eraseOnce(ctx, ids, by); !errors.Is(err, store.ErrConflict) {
			return n, err
		}
	}
	return 0, err
}

func (s *Service) eraseOnce(ctx context.Context, ids cxkit.Identifiers, by string) (int, error) {
	now := s.stamp()
	var mine []string
	type change struct {
		c  Complaint
		ev cxkit.Event
	}
	var changes []change
	rd := newRedactor(ids)
	q := store.Query{Filters: []store.Filter{store.Where(attrOrg, s.cfg.Org)}, Limit: store.MaxLimit}
	for c, err := range s.coll.All(ctx, q) {
		if err != nil {
			return 0, err
		}
		if s.isCustomers(&c, ids) {
			mine = append(mine, c.ID)
		}
		if !rd.mentions(&c) && !s.isCustomers(&c, ids) {
			continue // most complaints: nothing of this customer in them
		}
		changes = append(changes, change{c: c})
	}
	slices.Sort(mine) // ULIDs: the order they were logged
	pseudonym := ""
	if len(mine) > 0 {
		pseudonym = "erased-" + mine[0]
	}
	kept := changes[:0]
	for _, ch := range changes {
		if ev, ok := s.scrub(&ch.c, rd, pseudonym, by, now); ok {
			ch.ev = ev
			kept = append(kept, ch)
		}
	}
	changes = kept
	// The pseudonym's complaint goes last: a rerun after a failure finds
	// it still unerased and picks the same pseudonym.
	slices.SortStableFunc(changes, func(a, b change) int {
		switch {
		case a.c.ID == pseudonymOwner(pseudonym):
			return 1
		case b.c.ID == pseudonymOwner(pseudonym):
			return -1
		}
		return 0
	})
	if len(changes) == 0 {
		return 0, nil
	}
	if _, ok := s.coll.Driver().(store.Batcher); !ok {
		n := 0
		for _, ch := range changes {
			_, err := s.change(ctx, ch.c.ID, Input{By: by}, func(c *Complaint, now time.Time) ([]cxkit.Event, error) {
				if ev, ok := s.scrub(c, rd, pseudonym, by, now); ok {
					return []cxkit.Event{ev}, nil
				}
				return nil, errNothing
			})
			if errors.Is(err, errNothing) {
				continue
			}
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
	n := 0
	for len(changes) > 0 {
		k := min(importBatch, len(changes))
		writes := make([]store.Write, k)
		events := make([]cxkit.Event, k)
		for i, ch := range changes[:k] {
			w, err := s.coll.UpdateWrite(ch.c)
			if err != nil {
				return n, err
			}
			writes[i], events[i] = w, ch.ev
		}
		if _, err := store.Batch(ctx, s.coll.Driver(), writes); err != nil {
			return n, err
		}
		s.emit(ctx, events...)
		n += k
		changes = changes[k:]
	}
	return n, nil
}

func pseudonymOwner(p string) string {
	id, _ := strings.CutPrefix(p, "erased-")
	return id
}

// isCustomers reports whether c is a complaint of the customer ids
// identify: by the reference, or by a contact on a complaint without one.
func (s *Service) isCustomers(c *Complaint, ids cxkit.Identifiers) bool {
	if ids.Ref != "" && c.Customer.Ref == ids.Ref {
		return true
	}
	if c.Customer.Ref != "" || c.Customer.Contact == "" {
		return false
	}
	match := func(v string) bool {
		return strings.EqualFold(strings.TrimSpace(v), strings.TrimSpace(c.Customer.Contact))
	}
	return slices.ContainsFunc(ids.Emails, match) || slices.ContainsFunc(ids.Phones, match)
}

// redactor holds the redactions of one erasure, compiled once: known for
// text that only mentions the customer, parts (which adds a first or last
// name on its own) for the customer's own complaints.
type redactor struct {
	ids          cxkit.Identifiers
	known, parts *cxkit.Redactor
}

func newRedactor(ids cxkit.Identifiers) *redactor {
	return &redactor{ids: ids, known: ids.Redactor(), parts: partsOf(ids).Redactor()}
}

// mentions reports whether any text of c names the customer.
func (r *redactor) mentions(c *Complaint) bool {
	texts := []string{c.Summary, c.Concerns, c.Outcome, c.NotifiedHow, c.DirectedAt.Name}
	if c.Remedy != nil {
		texts = append(texts, c.Remedy.Note, c.Remedy.Reason)
	}
	if c.Referral != nil {
		texts = append(texts, c.Referral.Outcome, c.Referral.Reference)
	}
	for _, h := range c.History {
		texts = append(texts, h.What, h.Why)
	}
	return slices.ContainsFunc(texts, r.known.Mentions)
}

// scrub erases the customer from c and reports whether anything changed,
// with the event announcing it.
func (s *Service) scrub(c *Complaint, rd *redactor, pseudonym, by string, now time.Time) (cxkit.Event, bool) {
	ids := rd.ids
	mine := s.isCustomers(c, ids)
	before, _ := json.Marshal(c)
	// Another customer's complaint loses only what names this customer,
	// not every e-mail address or phone number in it.
	redact := rd.known.Known
	if mine {
		redact = rd.parts.All
	}
	// Text people wrote: everything that identifies.
	for _, p := range []*string{&c.Summary, &c.Concerns, &c.Outcome, &c.NotifiedHow, &c.DirectedAt.Name} {
		*p = redact(*p)
	}
	if c.Remedy != nil {
		r := *c.Remedy
		r.Note, r.Reason = redact(r.Note), redact(r.Reason)
		c.Remedy = &r
	}
	if c.Referral != nil {
		r := *c.Referral
		r.Outcome, r.Reference = redact(r.Outcome), redact(r.Reference)
		c.Referral = &r
	}
	// The history's own sentences hold times and IDs that look like phone
	// numbers: only known identifiers go from them, all from the notes.
	k := rd.known.Known
	if mine {
		k = rd.parts.Known
	}
	for i := range c.History {
		c.History[i].What = k(c.History[i].What)
		c.History[i].Why = redact(c.History[i].Why)
	}
	attachments := len(c.Attachments)
	if mine {
		c.Customer = Customer{Ref: pseudonym}
		c.Attachments = nil
	}
	if after, _ := json.Marshal(c); string(after) == string(before) {
		return cxkit.Event{}, false
	}
	what := "mentions of an erased customer taken out of the text"
	if mine {
		what = fmt.Sprintf("the customer's personal data erased: name, contact, reference, %d attachment(s), and their identifiers in the text", attachments)
	}
	c.History = append(c.History, cxkit.HistoryEntry{At: now, By: by, Action: "erased", From: string(c.Status), To: string(c.Status), What: what})
	return event(EventErased, c, by, what), true
}

// partsOf adds each word of three letters or more of the names: in the
// customer's own complaints a first or last name alone identifies them.
func partsOf(ids cxkit.Identifiers) cxkit.Identifiers {
	out := ids
	out.Names = slices.Clone(ids.Names)
	for _, n := range ids.Names {
		for _, w := range strings.Fields(n) {
			if len([]rune(w)) >= 3 {
				out.Names = append(out.Names, w)
			}
		}
	}
	return out
}
