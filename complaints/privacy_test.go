package complaints

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestEraseCustomer(t *testing.T) {
	f := newFixture(t)
	sam := sampleNew()
	sam.Summary = "Sam Lee says the kettle failed; call sam@example.com"
	sam.Attachments = []string{"blob://receipt-sam.jpg"}
	a := f.must(f.svc.Log(f.ctx, sam))
	f.must(f.svc.AddNote(f.ctx, a.ID, Input{By: "Maria", Note: "rang Sam Lee back"}))
	b := f.to(StatusClosed) // the same customer again
	other := sampleNew()
	other.Customer = Customer{Ref: "crm-7", Name: "Alex Kim", Contact: "alex@example.com"}
	o := f.must(f.svc.Log(f.ctx, other))

	from, to := monday.Add(-time.Hour), monday.Add(time.Hour)
	before, err := f.svc.Summarise(f.ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if before.RepeatComplainants != 1 {
		t.Fatalf("repeat complainants %d", before.RepeatComplainants)
	}

	if _, err := f.svc.EraseCustomer(f.ctx, "", "dpo", "request"); !errors.Is(err, ErrInvalid) {
		t.Errorf("erase without ref: %v", err)
	}
	n, err := f.svc.EraseCustomer(f.ctx, "crm-42", "privacy officer", "customer asked to be forgotten")
	if err != nil || n != 2 {
		t.Fatalf("erased %d, %v; want 2", n, err)
	}
	var pseudonyms []string
	for _, id := range []string{a.ID, b.ID} {
		c := f.must(f.svc.Get(f.ctx, id))
		body, _ := json.Marshal(c)
		for _, secret := range []string{"Sam Lee", "sam@example.com", "crm-42", "receipt-sam"} {
			if strings.Contains(string(body), secret) {
				t.Errorf("complaint %s still holds %q", id, secret)
			}
		}
		last := c.History[len(c.History)-1]
		if last.Action != "erased" || last.By != "privacy officer" || last.Why != "customer asked to be forgotten" {
			t.Errorf("erasure not in history: %+v", last)
		}
		pseudonyms = append(pseudonyms, c.Customer.Ref)
		if c.Category != "faulty product" || c.Severity != SeverityMedium {
			t.Errorf("erasure changed non-personal data")
		}
	}
	if pseudonyms[0] != pseudonyms[1] || !strings.HasPrefix(pseudonyms[0], "erased-") {
		t.Errorf("pseudonyms %v, want one shared pseudonym", pseudonyms)
	}
	if c := f.must(f.svc.Get(f.ctx, o.ID)); c.Customer.Name != "Alex Kim" {
		t.Errorf("another customer was erased")
	}
	after, err := f.svc.Summarise(f.ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if after.Total != before.Total || after.RepeatComplainants != before.RepeatComplainants || after.RepeatComplaints != before.RepeatComplaints ||
		len(after.ByCategory) != len(before.ByCategory) || after.ShareEscalated != before.ShareEscalated {
		t.Errorf("statistics changed: before %+v after %+v", before, after)
	}
	if n, err := f.svc.EraseCustomer(f.ctx, "crm-42", "privacy officer", "again"); err != nil || n != 0 {
		t.Errorf("second erasure changed %d, %v", n, err)
	}
}
