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
	"github.com/cxkit/cxkit/feedback"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

// complaintsDesk stands in for complaints.Service on the other side of the
// seam: one complaint per feedback ID however often and however
// concurrently it is handed over, as the complaints package promises (its
// own tests check its side with the real store). It records what it was
// given.
type complaintsDesk struct {
	mu    sync.Mutex
	byFB  map[string]string
	taken []taken
}

type taken struct {
	feedbackID, customerRef, channel, category, owner, text string
	received                                                time.Time
}

func (c *complaintsDesk) TakeFeedback(_ context.Context, feedbackID, customerRef, channel, category, owner, text string, received time.Time) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if strings.TrimSpace(text) == "" {
		return "", &cxkit.ValidationError{Field: "text", Rule: "must not be blank"}
	}
	if id, ok := c.byFB[feedbackID]; ok {
		return id, nil
	}
	id := fmt.Sprintf("complaint-%d", len(c.taken)+1)
	c.byFB[feedbackID] = id
	c.taken = append(c.taken, taken{feedbackID, customerRef, channel, category, owner, text, received})
	return id, nil
}

var _ feedback.ComplaintTaker = (*complaintsDesk)(nil)

type handoffFixture struct {
	ctx   context.Context
	now   time.Time
	desk  *feedback.Service
	svc   *complaintsDesk
	clock func() time.Time
}

func newHandoffFixture(t *testing.T) *handoffFixture {
	t.Helper()
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	svc := &complaintsDesk{byFB: map[string]string{}}
	desk, err := feedback.New(memory.New(), feedback.Config{
		Categories:    []string{"food", "housekeeping", "front-desk"},
		Rules:         []feedback.Rule{{ID: "food", Category: "food", Phrases: []string{"breakfast", "dinner", "room service"}}, {ID: "rooms", Category: "housekeeping", Phrases: []string{"towels", "room was"}}},
		Routes:        []feedback.Route{{Category: "food", Owner: "chef"}},
		FallbackOwner: "general manager",
	}, feedback.WithClock(clock), feedback.WithComplaintHandOff(svc))
	if err != nil {
		t.Fatal(err)
	}
	return &handoffFixture{ctx: context.Background(), now: now, desk: desk, svc: svc, clock: clock}
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
	if len(f.svc.taken) != 1 {
		t.Fatalf("%d complaints opened", len(f.svc.taken))
	}
	c := f.svc.taken[0]
	if c.feedbackID != it.ID {
		t.Errorf("complaint records feedback ID %q, want %q", c.feedbackID, it.ID)
	}
	// Customer, channel, category and owner go over with the item; the
	// complaint is received at the hand-over.
	if c.customerRef != "guest-214" || c.channel != "face-to-face" || c.category != "food" || c.owner != "chef" || !c.received.Equal(f.now) {
		t.Errorf("complaint got %+v", c)
	}
	if !strings.Contains(c.text, "dinner cold") {
		t.Errorf("complaint text %q", c.text)
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
	if len(f.svc.taken) != 1 {
		t.Errorf("%d complaints after three hand-overs of one item, want 1", len(f.svc.taken))
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
	if len(f.svc.taken) != 1 || f.svc.taken[0].feedbackID != it.ID || f.svc.taken[0].channel != "mystery-shopper" {
		t.Fatalf("complaints %+v, want one for feedback %s", f.svc.taken, it.ID)
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
	if len(f.svc.taken) != 0 {
		t.Errorf("a refused hand-off opened %d complaints", len(f.svc.taken))
	}
	if got, _ := f.desk.Get(f.ctx, it.ID); got.ComplaintID != "" || got.Version != it.Version {
		t.Errorf("a refused hand-off changed the item: %+v", got)
	}
}
