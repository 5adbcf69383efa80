package complaints

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
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

	if _, err := cxkit.EraseCustomer(f.ctx, "", "dpo", f.svc); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("erase without ref: %v", err)
	}
	n, err := cxkit.EraseCustomer(f.ctx, "crm-42", "privacy officer", f.svc)
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
		if last.Action != "erased" || last.By != "privacy officer" {
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
	if n, err := cxkit.EraseCustomer(f.ctx, "crm-42", "privacy officer", f.svc); err != nil || n != 0 {
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
	if n, err := cxkit.EraseCustomer(ctx, "crm-42", "dpo", svc); err == nil || n != 2 {
		t.Fatalf("erasure with a failing disk: %d, %v; want 2 and the error", n, err)
	}
	if c, _ := svc.Get(ctx, ids[0]); c.Customer.Ref != "crm-42" {
		t.Fatalf("the earliest complaint was erased before the others: its ref is %q", c.Customer.Ref)
	}
	d.okUpdates = -1
	if n, err := cxkit.EraseCustomer(ctx, "crm-42", "dpo", svc); err != nil || n != 2 {
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
	if n, err := cxkit.EraseCustomer(ctx, "crm-42", "dpo", svc); err != nil || n != 0 {
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
	if n, err := cxkit.EraseCustomer(ctx, "crm-42", "dpo", svc); err == nil || n != 0 {
		t.Fatalf("failed batch: %d, %v", n, err)
	}
	for _, id := range []string{a.ID, b.ID} {
		if c, _ := svc.Get(ctx, id); c.Customer.Name != "Sam Lee" || c.Version != 1 {
			t.Errorf("complaint %s changed by a failed batch: %+v", id, c.Customer)
		}
	}
}

// feedbackSide stands for the feedback service across the hand-over: it
// knows the customer's name and e-mail from an online form.
type feedbackSide struct{ ids cxkit.Identifiers }

func (f feedbackSide) CustomerIdentifiers(_ context.Context, ref string) (cxkit.Identifiers, error) {
	if ref != f.ids.Ref {
		return cxkit.Identifiers{Ref: ref}, nil
	}
	return f.ids, nil
}

func (feedbackSide) EraseIdentifiers(context.Context, cxkit.Identifiers, string) (int, error) {
	return 0, nil
}

// Issue 14: erasure used to scrub each complaint only of the name and
// contact stored on it, so a sibling carrying only the reference, the
// handed-over complaint, and e-mails or phones in free text kept them.
// After erasure and compaction no byte of the store's files names the
// customer, and the statistics are unchanged.
func TestEraseReachesSiblingsHandOverAndFreeText(t *testing.T) {
	dir := t.TempDir()
	d, err := file.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	clock := &testClock{t: monday}
	svc, err := New(d, testConfig(), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const name, email, phone, ref = "Dana Whitfield", "dana.w@example.org", "0412 345 678", "crm-5150"

	own := sampleNew()
	own.Customer = Customer{Ref: ref, Name: name, Contact: email}
	own.Summary = "Dana Whitfield says the oven door cracked; call her on 0412 345 678"
	a, err := svc.Log(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddNote(ctx, a.ID, Input{By: "Maria", Note: "left a message for Dana on 0412345678"}); err != nil {
		t.Fatal(err)
	}
	sibling := sampleNew()
	sibling.Customer = Customer{Ref: ref} // only the reference
	sibling.Summary = "Second oven, same fault. Reply to dana.w@example.org (Dana Whitfield)"
	if _, err := svc.Log(ctx, sibling); err != nil {
		t.Fatal(err)
	}
	handed, err := svc.TakeFeedback(ctx, "fb-77", ref, "online-form", "product quality", "", "Form from Dana Whitfield: the oven is dangerous", monday)
	if err != nil {
		t.Fatal(err)
	}
	stranger := sampleNew()
	stranger.Customer = Customer{Ref: "crm-1", Name: "Pat Doe", Contact: "pat@example.net"}
	stranger.Summary = "My neighbour Dana Whitfield had the same oven fault"
	st, err := svc.Log(ctx, stranger)
	if err != nil {
		t.Fatal(err)
	}

	period := [2]time.Time{monday.Add(-time.Hour), monday.Add(time.Hour)}
	before, err := svc.Summarise(ctx, period[0], period[1])
	if err != nil {
		t.Fatal(err)
	}
	fb := feedbackSide{ids: cxkit.Identifiers{Ref: ref, Names: []string{name}, Emails: []string{email}}}
	n, err := cxkit.EraseCustomer(ctx, ref, "privacy officer", svc, fb)
	if err != nil || n != 4 {
		t.Fatalf("erased %d, %v; want the customer's three complaints and the stranger's", n, err)
	}
	if err := d.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue // a directory
		}
		for _, secret := range []string{name, "Dana", email, phone, "0412345678", ref} {
			if i := bytes.Index(raw, []byte(secret)); i >= 0 {
				t.Logf("%s", raw[max(0, i-200):min(len(raw), i+100)])
				t.Errorf("%s still holds %q", filepath.Base(p), secret)
			}
		}
	}
	after, err := svc.Summarise(ctx, period[0], period[1])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(summaryCounts(before), summaryCounts(after)) {
		t.Errorf("statistics changed:\n%+v\n%+v", summaryCounts(before), summaryCounts(after))
	}
	if c, _ := svc.Get(ctx, handed); c.FeedbackID != "fb-77" || c.Customer.Ref == ref {
		t.Errorf("handed-over complaint %+v", c.Customer)
	}
	if c, _ := svc.Get(ctx, st.ID); c.Customer.Name != "Pat Doe" || c.Customer.Contact != "pat@example.net" || !strings.Contains(c.Summary, "My neighbour") {
		t.Errorf("the stranger lost their own data: %+v %q", c.Customer, c.Summary)
	}
	if n, err := cxkit.EraseCustomer(ctx, ref, "privacy officer", svc, fb); err != nil || n != 0 {
		t.Errorf("second erasure changed %d, %v", n, err)
	}
}

func summaryCounts(s Summary) []any {
	return []any{s.Total, s.ByCategory, s.ByMadeBy, s.ByStatus, s.RepeatComplainants, s.RepeatComplaints, s.Breaches, s.ShareEscalated}
}
