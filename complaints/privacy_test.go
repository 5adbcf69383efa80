package complaints

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
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

	if _, err := f.svc.EraseCustomer(f.ctx, "", "dpo", "request"); !errors.Is(err, store.ErrInvalid) {
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

// plainDriver hides the memory driver's Batcher and Counter, and can fail
// every update after the first okUpdates: a driver that cannot batch,
// crashing part-way through an erasure.
type plainDriver struct {
	store.Driver
	mu        sync.Mutex
	okUpdates int // -1: never fail
}

func (d *plainDriver) Update(ctx context.Context, r store.Record) (store.Record, error) {
	d.mu.Lock()
	fail := d.okUpdates == 0
	if d.okUpdates > 0 {
		d.okUpdates--
	}
	d.mu.Unlock()
	if fail {
		return store.Record{}, errors.New("disk on fire")
	}
	return d.Driver.Update(ctx, r)
}

// TestEraseCustomerWithoutBatchFinishesOnRerun: without a batching driver
// a failed erasure leaves some complaints erased; running it again erases
// the rest under the same pseudonym, and a third run changes nothing.
func TestEraseCustomerWithoutBatchFinishesOnRerun(t *testing.T) {
	d := &plainDriver{Driver: memory.New(), okUpdates: -1}
	clock := &testClock{t: monday}
	svc, err := New(d, testConfig(), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ids []string
	for range 4 {
		clock.Advance(time.Minute)
		c, err := svc.Log(ctx, sampleNew())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	d.okUpdates = 2
	if n, err := svc.EraseCustomer(ctx, "crm-42", "dpo", "request"); err == nil || n != 2 {
		t.Fatalf("erasure with a failing disk: %d, %v; want 2 and the error", n, err)
	}
	if c, _ := svc.Get(ctx, ids[0]); c.Customer.Ref != "crm-42" {
		t.Fatalf("the earliest complaint was erased before the others: its ref is %q", c.Customer.Ref)
	}
	d.okUpdates = -1
	if n, err := svc.EraseCustomer(ctx, "crm-42", "dpo", "request"); err != nil || n != 2 {
		t.Fatalf("rerun: %d, %v; want the remaining 2", n, err)
	}
	for _, id := range ids {
		c, err := svc.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Customer.Ref != "erased-"+ids[0] || c.Customer.Name != "" {
			t.Errorf("complaint %s: customer %+v, want the one pseudonym erased-%s", id, c.Customer, ids[0])
		}
	}
	if n, err := svc.EraseCustomer(ctx, "crm-42", "dpo", "request"); err != nil || n != 0 {
		t.Errorf("third run changed %d, %v", n, err)
	}
	sum, err := svc.Summarise(ctx, monday, monday.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if sum.RepeatComplainants != 1 || sum.RepeatComplaints != 4 {
		t.Errorf("repeat complainants %d with %d complaints, want 1 with 4", sum.RepeatComplainants, sum.RepeatComplaints)
	}
}

// failingBatch is a batching driver whose batches always fail, to show
// that a batched erasure changes nothing when it fails.
type failingBatch struct{ *memory.Driver }

func (failingBatch) Batch(context.Context, []store.Write) ([]store.Record, error) {
	return nil, errors.New("disk on fire")
}

func TestEraseCustomerBatchIsAllOrNothing(t *testing.T) {
	svc, err := New(failingBatch{memory.New()}, testConfig(), WithClock(func() time.Time { return monday }))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, _ := svc.Log(ctx, sampleNew())
	b, _ := svc.Log(ctx, sampleNew())
	if n, err := svc.EraseCustomer(ctx, "crm-42", "dpo", "request"); err == nil || n != 0 {
		t.Fatalf("failed batch: %d, %v", n, err)
	}
	for _, id := range []string{a.ID, b.ID} {
		if c, _ := svc.Get(ctx, id); c.Customer.Name != "Sam Lee" || c.Version != 1 {
			t.Errorf("complaint %s changed by a failed batch: %+v", id, c.Customer)
		}
	}
}
