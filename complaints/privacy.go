package complaints

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// Erased is what replaces personal data in text.
const Erased = "[erased]"

// EraseCustomer removes one customer's personal data from every complaint
// of theirs: name and contact are cleared, their occurrences (and the CRM
// reference's) in the complaint's free text (summary, concerns, outcome,
// how they were notified, remedy notes, history notes) are replaced by
// Erased, attachments (which the customer supplied) are dropped, and the
// CRM reference is replaced by a pseudonym shared by all their complaints.
// Because the pseudonym is shared, every statistic (counts, repeat
// complainants, times, breaches) stays as it was, yet nothing leads back
// to the person. Each complaint's history records the erasure, and each
// erased complaint emits EventErased. It returns how many complaints were
// changed.
//
// What it cannot find it cannot erase: personal data written in free text
// in another form (a nickname, a phone number typed differently, a
// colleague's name) stays, and so does anything in the host's systems
// that attachments point to. Names and contacts shorter than three
// characters are cleared from the fields but not scrubbed from text, as
// they would match ordinary words.
//
// On a driver that can batch (store.Batcher, like store/memory and
// store/file) all of the customer's complaints are rewritten in one atomic
// batch: either all are erased or none. On other drivers they are
// rewritten one by one, and a failure part-way leaves some erased; running
// EraseCustomer again with the same ref finishes the job, with the same
// pseudonym (it is derived from the customer's earliest complaint, which
// is rewritten last), so the statistics still hold. Running it again after
// it finished changes nothing and returns 0.
//
// Erasure rewrites records; it does not scrub the storage beneath them.
// Append-only and MVCC stores keep the superseded versions until they
// reclaim space: call (*file.Driver).Compact after an erasure on the file
// store, and let VACUUM (or autovacuum) run on PostgreSQL, before telling
// the customer their data is gone from disk. Backups are the host's to
// handle.
func (s *Service) EraseCustomer(ctx context.Context, ref, by, why string) (int, error) {
	if strings.TrimSpace(ref) == "" {
		return 0, invalid("erase.ref", "is required")
	}
	if strings.TrimSpace(by) == "" {
		return 0, invalid("erase.by", "is required")
	}
	if err := driverkit.CheckAttrValue("erase", Kind, attrCustomer, ref); err != nil {
		return 0, invalid("erase.ref", "%v", err)
	}
	ids, err := s.customerComplaints(ctx, ref)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	// The pseudonym names the earliest complaint, which is erased last:
	// a rerun after a partial failure finds it still unerased and picks
	// the same pseudonym. It says nothing the complaint does not.
	pseudonym := "erased-" + ids[0]
	if _, ok := s.coll.Driver().(store.Batcher); ok {
		return s.eraseBatch(ctx, ref, pseudonym, by, why)
	}
	order := append(slices.Clone(ids[1:]), ids[0])
	n := 0
	for _, id := range order {
		_, err := s.change(ctx, id, Input{By: by, Note: why}, func(c *Complaint, now time.Time) ([]Event, error) {
			if c.Customer.Ref != ref {
				return nil, errNothing
			}
			return []Event{s.eraseOne(c, pseudonym, by, why, now)}, nil
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

// customerComplaints lists the IDs of ref's complaints, earliest first.
func (s *Service) customerComplaints(ctx context.Context, ref string) ([]string, error) {
	q := store.Query{Filters: []store.Filter{store.Where(attrOrg, s.cfg.Org), store.Where(attrCustomer, truncate(ref))}, Limit: store.MaxLimit}
	var ids []string
	for c, err := range s.coll.All(ctx, q) {
		if err != nil {
			return nil, err
		}
		if c.Customer.Ref == ref {
			ids = append(ids, c.ID)
		}
	}
	slices.Sort(ids) // ULIDs: the order they were logged
	return ids, nil
}

// eraseBatch erases all of ref's complaints in one atomic batch, reading
// them afresh and retrying when another writer changed one first.
func (s *Service) eraseBatch(ctx context.Context, ref, pseudonym, by, why string) (int, error) {
	var err error
	for range s.attempts {
		var ids []string
		if ids, err = s.customerComplaints(ctx, ref); err != nil || len(ids) == 0 {
			return 0, err
		}
		now := s.stamp()
		writes := make([]store.Write, 0, len(ids))
		events := make([]Event, 0, len(ids))
		for _, id := range ids {
			var c Complaint
			if c, err = s.Get(ctx, id); err != nil {
				return 0, err
			}
			if c.Customer.Ref != ref {
				continue
			}
			events = append(events, s.eraseOne(&c, pseudonym, by, why, now))
			w, err := s.coll.UpdateWrite(c)
			if err != nil {
				return 0, err
			}
			writes = append(writes, w)
		}
		if len(writes) == 0 {
			return 0, nil
		}
		if _, err = store.Batch(ctx, s.coll.Driver(), writes); err == nil {
			s.emit(ctx, events...)
			return len(writes), nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return 0, err
		}
	}
	return 0, err
}

// eraseOne scrubs c, records the erasure in its history and returns the
// event announcing it.
func (s *Service) eraseOne(c *Complaint, pseudonym, by, why string, now time.Time) Event {
	removed := eraseFrom(c, pseudonym)
	c.History = append(c.History, Change{At: now, By: by, Action: "erased", From: c.Status, To: c.Status,
		What: "customer's personal data erased: " + removed, Why: why})
	return Event{Type: EventErased, ComplaintID: c.ID, At: now, By: by, Note: why}
}

// eraseFrom scrubs c and says what went, without repeating any of it.
func eraseFrom(c *Complaint, pseudonym string) string {
	var secrets []string
	for _, v := range []string{c.Customer.Name, c.Customer.Contact, c.Customer.Ref} {
		if len(strings.TrimSpace(v)) >= 3 { // shorter strings would scrub ordinary words
			secrets = append(secrets, v)
		}
	}
	scrub := func(s string) string {
		for _, v := range secrets {
			s = strings.ReplaceAll(s, v, Erased)
		}
		return s
	}
	c.Summary = scrub(c.Summary)
	c.Concerns = scrub(c.Concerns)
	c.Outcome = scrub(c.Outcome)
	c.NotifiedHow = scrub(c.NotifiedHow)
	for i := range c.History {
		c.History[i].What = scrub(c.History[i].What)
		c.History[i].Why = scrub(c.History[i].Why)
	}
	if c.Remedy != nil {
		r := *c.Remedy
		r.Note, r.Reason = scrub(r.Note), scrub(r.Reason)
		c.Remedy = &r
	}
	what := fmt.Sprintf("name, contact, reference; %d attachment(s)", len(c.Attachments))
	c.Customer = Customer{Ref: pseudonym}
	c.Attachments = nil
	return what
}
