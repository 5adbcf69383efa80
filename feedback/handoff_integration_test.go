package feedback_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

// The hand-off seam is declared by feedback and implemented by complaints;
// this is the one place the two meet, in an external test package, so
// neither package imports the other. Both are erasers for the same
// customer.
var (
	_ feedback.ComplaintTaker = (*complaints.Service)(nil)
	_ cxkit.Eraser            = (*complaints.Service)(nil)
	_ cxkit.Eraser            = (*feedback.Service)(nil)
)

type handoffFixture struct {
	ctx  context.Context
	now  time.Time
	desk *feedback.Service
	svc  *complaints.Service
}

func newHandoffFixture(t *testing.T) *handoffFixture {
	t.Helper()
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db := memory.New() // one store for both, as in a real deployment
	svc, err := complaints.New(db, complaints.Config{
		Org:     "seaview-hotel",
		Charter: complaints.Charter{Default: complaints.Assignment{Receiver: "front desk", Investigator: "duty manager", Resolver: "general manager"}},
		Policy: remedy.Policy{
			Currency:  "AUD",
			Authority: []remedy.Authority{{Role: "duty manager", Limit: money.MustNew(20000, "AUD")}},
		},
		Targets:          complaints.Targets{Acknowledge: 4 * time.Hour, Resolve: 48 * time.Hour},
		FeedbackCategory: "from feedback",
	}, complaints.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	desk, err := feedback.New(db, feedback.Config{
		Categories:    []string{"food", "housekeeping", "front-desk"},
		Rules:         []feedback.Rule{{ID: "food", Category: "food", Phrases: []string{"breakfast", "dinner", "room service"}}, {ID: "rooms", Category: "housekeeping", Phrases: []string{"towels", "room was"}}},
		Routes:        []feedback.Route{{Category: "food", Owner: "chef"}},
		FallbackOwner: "general manager",
	}, feedback.WithClock(clock), feedback.WithComplaintHandOff(svc))
	if err != nil {
		t.Fatal(err)
	}
	return &handoffFixture{ctx: context.Background(), now: now, desk: desk, svc: svc}
}

// complaintsIn returns every complaint received in the fixture's day.
func (f *handoffFixture) complaintsIn(t *testing.T) []complaints.Complaint {
	t.Helper()
	var out []complaints.Complaint
	for c, err := range f.svc.Received(f.ctx, f.now.Add(-24*time.Hour), f.now.Add(time.Hour)) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func TestHandOffToComplaintsService(t *testing.T) {
	f := newHandoffFixture(t)
	received := f.now.Add(-2 * time.Hour)
	// The kind is not given: the text reads as a complaint.
	it, err := f.desk.Intake(f.ctx, feedback.Intake{
		Received: received, Channel: feedback.ChannelFaceToFace, CustomerRef: "guest-214",
		Text: "Room service brought dinner cold and the waiter was rude. Not acceptable.", By: "reception",
	})
	if err != nil {
		t.Fatal(err)
	}
	if it.Kind != feedback.KindComplaint || !it.KindInferred {
		t.Fatalf("kind %s (inferred %v), want an inferred complaint", it.Kind, it.KindInferred)
	}

	handed, err := f.desk.HandOff(f.ctx, it.ID, "duty manager")
	if err != nil {
		t.Fatal(err)
	}
	if handed.ComplaintID == "" {
		t.Fatal("hand-off did not record the complaint ID on the item")
	}
	if last := handed.History[len(handed.History)-1]; last.By != "duty manager" || !strings.Contains(last.What, handed.ComplaintID) {
		t.Errorf("item history does not record the hand-off: %+v", last)
	}

	c, err := f.svc.Get(f.ctx, handed.ComplaintID)
	if err != nil {
		t.Fatalf("the complaint the item names does not exist: %v", err)
	}
	if c.FeedbackID != it.ID {
		t.Errorf("complaint records feedback ID %q, want %q", c.FeedbackID, it.ID)
	}
	// The complaint keeps the customer, the channel, the feedback's
	// category and owner, and is received at the hand-over, so its
	// deadlines run from then.
	if c.Customer.Ref != "guest-214" || c.Channel != complaints.ChannelFaceToFace || !c.Received.Equal(f.now) {
		t.Errorf("complaint customer %q, channel %q, received %v", c.Customer.Ref, c.Channel, c.Received)
	}
	if !strings.Contains(c.Summary, "dinner cold") || c.Category != "food" || c.Assigned.Resolver != "chef" {
		t.Errorf("complaint summary %q, category %q, resolver %q", c.Summary, c.Category, c.Assigned.Resolver)
	}
	if len(c.History) == 0 || !strings.Contains(c.History[0].What+c.History[0].Why, it.ID) && c.FeedbackID == "" {
		t.Errorf("complaint history does not name the feedback: %+v", c.History)
	}

	// Handing over twice, from this desk or from another process that has
	// not seen the first hand-off, gives one complaint.
	again, err := f.desk.HandOff(f.ctx, it.ID, "night manager")
	if err != nil || again.ComplaintID != handed.ComplaintID {
		t.Fatalf("second hand-off: %q, %v; want %q", again.ComplaintID, err, handed.ComplaintID)
	}
	if len(again.History) != len(handed.History) {
		t.Error("second hand-off added to the item's history")
	}
	if id, err := f.svc.TakeFeedback(f.ctx, it.ID, "guest-214", "face-to-face", "food", "chef", "dup", received); err != nil || id != handed.ComplaintID {
		t.Errorf("direct repeat: %q, %v", id, err)
	}
	if cs := f.complaintsIn(t); len(cs) != 1 {
		t.Errorf("%d complaints after three hand-overs of one item, want 1", len(cs))
	}
}

func TestHandOffConcurrentGivesOneComplaint(t *testing.T) {
	f := newHandoffFixture(t)
	it, err := f.desk.Intake(f.ctx, feedback.Intake{
		Received: f.now.Add(-time.Hour), Channel: feedback.ChannelMysteryShopper,
		Text: "Towels were dirty", Kind: feedback.KindComplaint,
	})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	ids := make([]string, 6)
	errs := make([]error, len(ids))
	for i := range ids {
		wg.Go(func() {
			got, err := f.desk.HandOff(f.ctx, it.ID, "duty manager")
			ids[i], errs[i] = got.ComplaintID, err
		})
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != ids[0] || ids[0] == "" {
			t.Fatalf("hand-off %d: %q, %v (first %q)", i, ids[i], errs[i], ids[0])
		}
	}
	cs := f.complaintsIn(t)
	if len(cs) != 1 || cs[0].ID != ids[0] || cs[0].FeedbackID != it.ID {
		t.Fatalf("complaints %+v, want one for feedback %s", cs, it.ID)
	}
	// A channel complaints does not have becomes its "other", and the
	// original is kept in the history.
	if cs[0].Channel != complaints.ChannelOther || !strings.Contains(cs[0].History[0].What, "mystery-shopper") {
		t.Errorf("channel %q, history %q", cs[0].Channel, cs[0].History[0].What)
	}
	got, _ := f.desk.Get(f.ctx, it.ID)
	if got.ComplaintID != ids[0] {
		t.Errorf("item records %q, want %q", got.ComplaintID, ids[0])
	}
	n := 0
	for _, e := range got.History {
		if e.Action == "handed_over" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("item history records %d hand-offs, want 1", n)
	}
}

func TestHandOffRefusesOtherKinds(t *testing.T) {
	f := newHandoffFixture(t)
	it, err := f.desk.Intake(f.ctx, feedback.Intake{
		Received: f.now.Add(-time.Hour), Channel: feedback.ChannelEmail,
		Text: "Thank you for the lovely breakfast", Kind: feedback.KindCompliment,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.desk.HandOff(f.ctx, it.ID, "duty manager")
	var fe *cxkit.ValidationError
	if !errors.As(err, &fe) || fe.Field != "item.kind" || !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("compliment hand-off error %v, want a ValidationError on item.kind", err)
	}
	if cs := f.complaintsIn(t); len(cs) != 0 {
		t.Errorf("a refused hand-off opened %d complaints", len(cs))
	}
	if got, _ := f.desk.Get(f.ctx, it.ID); got.ComplaintID != "" || got.Version != it.Version {
		t.Errorf("a refused hand-off changed the item: %+v", got)
	}
}

// A ratings-only complaint goes over with its ratings in words.
func TestHandOffRatingsOnlyToComplaints(t *testing.T) {
	f := newHandoffFixture(t)
	it, err := f.desk.Intake(f.ctx, feedback.Intake{Received: f.now.Add(-time.Hour), Channel: feedback.ChannelFeedbackForm,
		Ratings: []feedback.Rating{{Name: "room", Value: 1, Min: 1, Max: 5}}, Kind: feedback.KindComplaint})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.desk.HandOff(f.ctx, it.ID, "duty manager")
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.Get(f.ctx, got.ComplaintID)
	if err != nil || !strings.Contains(c.Summary, "room 1 out of 5") {
		t.Errorf("complaint %q, %v", c.Summary, err)
	}
}

// Erasing a customer through both services takes their name, e-mail and
// phone out of the feedback (form fields and text) and of the complaint
// made from it, even when the complaint only ever saw the text.
func TestEraseCustomerAcrossTheHandOver(t *testing.T) {
	f := newHandoffFixture(t)
	it, err := f.desk.Intake(f.ctx, feedback.Intake{Received: f.now.Add(-time.Hour), Channel: feedback.ChannelOnlineForm, CustomerRef: "crm-77",
		Contact: feedback.Contact{Name: "Dana Whitfield", Email: "dana@example.org", Phone: "0400 123 456"},
		Text:    "Dana Whitfield, room 12: dinner was cold. Reach me at dana@example.org.", Kind: feedback.KindComplaint})
	if err != nil {
		t.Fatal(err)
	}
	handed, err := f.desk.HandOff(f.ctx, it.ID, "duty manager")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cxkit.EraseCustomer(f.ctx, "crm-77", "privacy officer", f.desk, f.svc); err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.Get(f.ctx, handed.ComplaintID)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.desk.Get(f.ctx, it.ID)
	for _, p := range []string{"Dana Whitfield", "dana@example.org", "0400 123 456", "crm-77"} {
		if s := fmt.Sprintf("%+v", c); strings.Contains(s, p) {
			t.Errorf("complaint still holds %q", p)
		}
		if s := fmt.Sprintf("%+v", got); strings.Contains(s, p) {
			t.Errorf("feedback item still holds %q", p)
		}
	}
	if got.ComplaintID != handed.ComplaintID || c.FeedbackID != it.ID {
		t.Errorf("erasure broke the link: item %q, complaint %q", got.ComplaintID, c.FeedbackID)
	}
}
