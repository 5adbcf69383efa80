package complaints

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
)

// Erased is what replaces personal data in text.
const Erased = "[erased]"

// EraseCustomer removes one customer's personal data from every complaint
// of theirs: name and contact are cleared, their occurrences in the
// complaint text and notes are replaced by Erased, attachments (which the
// customer supplied) are dropped, and the CRM reference is replaced by a
// pseudonym shared by all their complaints. Because the pseudonym is
// shared, every statistic (counts, repeat complainants, times) stays as it
// was, yet nothing leads back to the person. Each complaint's history
// records the erasure. It returns how many complaints were changed.
//
// Complaints are rewritten one by one; if it fails part-way, running it
// again with the same ref finishes the job.
func (s *Service) EraseCustomer(ctx context.Context, ref, by, why string) (int, error) {
	if strings.TrimSpace(ref) == "" {
		return 0, invalid("erase.ref", "is required")
	}
	if strings.TrimSpace(by) == "" {
		return 0, invalid("erase.by", "is required")
	}
	if err := store.CheckAttrValue("erase", Kind, attrCustomer, ref); err != nil {
		return 0, invalid("erase.ref", "%v", err)
	}
	q := store.Query{Filters: []store.Filter{store.Where(attrOrg, s.cfg.Org), store.Where(attrCustomer, truncate(ref))}, Limit: store.MaxLimit}
	var ids []string
	for c, err := range s.coll.All(ctx, q) {
		if err != nil {
			return 0, err
		}
		if c.Customer.Ref == ref {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	pid, err := s.coll.NewID()
	if err != nil {
		return 0, err
	}
	pseudonym := "erased-" + pid
	n := 0
	for _, id := range ids {
		_, err := s.change(ctx, id, Input{By: by, Note: why}, func(c *Complaint, now time.Time) ([]Event, error) {
			if c.Customer.Ref != ref {
				return nil, errNothing
			}
			removed := eraseFrom(c, pseudonym)
			c.History = append(c.History, Change{At: now, By: by, Action: "erased", From: c.Status, To: c.Status,
				What: "customer's personal data erased: " + removed, Why: why})
			return []Event{{Type: EventErased, ComplaintID: c.ID, At: now, By: by, Note: why}}, nil
		})
		if err == errNothing {
			continue
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
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
