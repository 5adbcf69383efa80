package complaints

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

// The interfaces other packages declare, restated here so that a change of
// signature breaks this test rather than their build.
type measurementSource interface {
	Measure(ctx context.Context, m cxkit.Metric, from, to time.Time) (float64, error)
}

type complaintTaker interface {
	TakeFeedback(ctx context.Context, feedbackID, customerRef, channel, category, owner, text string, received time.Time) (string, error)
}

var (
	_ measurementSource = (*Service)(nil)
	_ complaintTaker    = (*Service)(nil)
)

func TestTakeFeedback(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		channel string
		want    Channel
	}{
		{"phone", ChannelPhone}, {"online-form", ChannelOnlineForm}, {"social", ChannelSocial},
		{"mystery-shopper", ChannelOther}, {"feedback-form", ChannelOther}, {"staff-observation", ChannelOther},
	}
	for i, tt := range tests {
		id, err := f.svc.TakeFeedback(f.ctx, "fb-"+tt.channel, "crm-9", tt.channel, "", "", "the app logged me out mid-payment", monday.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		c := f.must(f.svc.Get(f.ctx, id))
		if c.Channel != tt.want || c.FeedbackID != "fb-"+tt.channel || c.Status != StatusReceived || c.Category != "uncategorised" {
			t.Errorf("%d: complaint %+v", i, c)
		}
		if h := c.History[0].What; !contains(h, "fb-"+tt.channel) || !contains(h, tt.channel) {
			t.Errorf("history does not record the hand-over: %q", h)
		}
		again, err := f.svc.TakeFeedback(f.ctx, "fb-"+tt.channel, "crm-9", tt.channel, "", "", "dup", monday)
		if err != nil || again != id {
			t.Errorf("second hand-over gave %s, %v; want %s", again, err, id)
		}
	}
	if _, err := f.svc.TakeFeedback(f.ctx, "", "crm", "phone", "", "", "x", monday); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("no feedback ID: %v", err)
	}
}

// Issue 14: the hand-over keeps the feedback's category, channel, customer
// and owner; the deadlines run from the hand-over; a ratings-only item
// with no text is still handed over.
func TestTakeFeedbackKeepsWhatFeedbackKnew(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Calendar, c.Targets.Business = nil, false })
	handover := monday
	id, err := f.svc.TakeFeedback(f.ctx, "fb-late", "guest-7", "questionnaire", "delivery", "logistics manager", "Parcel lost", handover)
	if err != nil {
		t.Fatal(err)
	}
	c := f.must(f.svc.Get(f.ctx, id))
	if c.Category != "delivery" || c.Customer.Ref != "guest-7" || c.Assigned.Resolver != "logistics manager" || c.Channel != ChannelOther {
		t.Errorf("hand-over lost what feedback knew: category %q ref %q resolver %q channel %q", c.Category, c.Customer.Ref, c.Assigned.Resolver, c.Channel)
	}
	if !contains(c.History[0].What, "questionnaire") {
		t.Errorf("history does not keep the feedback channel: %q", c.History[0].What)
	}
	if want := handover.Add(f.svc.cfg.Targets.Acknowledge); !c.Due.Acknowledge.Equal(want) {
		t.Errorf("acknowledge due %s, want %s (from the hand-over)", c.Due.Acknowledge, want)
	}
	for _, d := range f.svc.Deadlines(&c, handover.Add(time.Minute)) {
		if d.State == DeadlineStateBreached {
			t.Errorf("handed-over complaint arrives breached: %+v", d)
		}
	}
	id2, err := f.svc.TakeFeedback(f.ctx, "fb-ratings", "guest-8", "survey", "", "", "  ", handover)
	if err != nil {
		t.Fatalf("ratings-only hand-over refused: %v", err)
	}
	if c2 := f.must(f.svc.Get(f.ctx, id2)); c2.Summary == "" || c2.Category != "uncategorised" {
		t.Errorf("ratings-only complaint %+v", c2)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestMeasure(t *testing.T) {
	f := newFixture(t)
	all := seedLog(t, f, 200, 11)
	from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var n, delivery, colleague float64
	for _, c := range all {
		if !c.Received.Before(from) && c.Received.Before(to) {
			n++
			if c.Category == "delivery" {
				delivery++
			}
			if c.MadeBy == MadeByColleague {
				colleague++
			}
		}
	}
	sum, err := f.svc.Summarise(f.ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		metric string
		want   float64
	}{
		{"count", n},
		{"count:category=delivery", delivery},
		{"count:made_by=colleague", colleague},
		{"count:category=nothing-like-this", 0},
		{"median_resolution_hours", sum.Resolution.Median},
		{"p90_resolution_hours", sum.Resolution.P90},
		{"median_acknowledgement_hours", sum.Acknowledgement.Median},
		{"p90_acknowledgement_hours", sum.Acknowledgement.P90},
		{"breach_rate", sum.BreachRate},
		{"share_escalated_externally", sum.ShareEscalatedExternally},
		{"share_escalated", sum.ShareEscalated},
		{"first_contact_resolution", sum.FirstContactResolution},
		{"repeat_complainants", float64(sum.RepeatComplainants)},
	}
	for _, tt := range tests {
		got, err := measure(f.ctx, f.svc, tt.metric, from, to)
		if err != nil || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s = %v, %v; want %v", tt.metric, got, err, tt.want)
		}
	}
	if n == 0 || delivery == 0 {
		t.Fatal("seed too thin")
	}
	for _, bad := range []string{"nps", "count:colour=red", "median_resolution_hours:category=delivery"} {
		if _, err := measure(f.ctx, f.svc, bad, from, to); !errors.Is(err, cxkit.ErrUnknownMetric) {
			t.Errorf("%q: %v, want cxkit.ErrUnknownMetric", bad, err)
		}
	}
	for _, bad := range []string{"count:", "count:category"} {
		if _, err := measure(f.ctx, f.svc, bad, from, to); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%q: %v, want a malformed metric", bad, err)
		}
	}
	for _, bad := range []string{"count:status=clsoed", "count:severity=urgent", "count:made_by=alien"} {
		var fe *cxkit.ValidationError
		if _, err := measure(f.ctx, f.svc, bad, from, to); !errors.Is(err, store.ErrInvalid) || !errors.As(err, &fe) {
			t.Errorf("%q: %v, want a FieldError", bad, err)
		}
	}
	if got, err := measure(f.ctx, f.svc, "count:status=closed", from, to); err != nil || got < 0 {
		t.Errorf("count:status=closed = %v, %v", got, err)
	}
	if _, err := measure(f.ctx, f.svc, "count", to, from); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("reversed period: %v", err)
	}
}

// Racing hand-overs of one feedback item must log exactly one complaint.
func TestTakeFeedbackRace(t *testing.T) {
	f := newFixture(t)
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := f.svc.TakeFeedback(f.ctx, "fb-race", "crm-1", "email", "", "", "parcel never came", monday)
			if err != nil {
				t.Error(err)
			}
			ids[i] = id
		}()
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("hand-overs returned different complaints: %v", ids)
		}
	}
	groups, err := f.svc.coll.Count(f.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if groups[0].Count != 1 {
		t.Fatalf("%d complaints logged for one feedback item, want 1", groups[0].Count)
	}
}

// A hand-over that claimed the item but stopped before logging it is
// finished by the next one, under the claimed ID.
func TestTakeFeedbackResumesHalfDone(t *testing.T) {
	f := newFixture(t)
	id, err := f.svc.coll.NewID()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.claims.Create(f.ctx, feedbackClaim{Meta: store.Meta{ID: claimID(f.svc.cfg.Org, "fb-half")}, ComplaintID: id}); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.TakeFeedback(f.ctx, "fb-half", "crm-1", "phone", "", "", "rude reply", monday)
	if err != nil {
		t.Fatal(err)
	}
	if got != id {
		t.Fatalf("TakeFeedback = %s, want the claimed %s", got, id)
	}
	if _, err := f.svc.Get(f.ctx, id); err != nil {
		t.Fatalf("claimed complaint not logged: %v", err)
	}
}
