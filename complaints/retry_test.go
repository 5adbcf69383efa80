package complaints_test

import (
	"context"
	"testing"
	"time"

	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storetest"
)

// A workflow step whose write reaches the store but whose reply is lost
// (the connection drops after the commit) is retried by the service and
// lands once: the history shows one entry for it, not two.
func TestStepAfterLostReplyLandsOnce(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	faults := storetest.NewFaults(memory.New())
	svc, err := complaints.New(faults.Driver(), shop(), complaints.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.Log(ctx, complaints.Intake{
		Channel: complaints.ChannelPhone, Customer: complaints.Customer{Ref: "crm-17"},
		Summary: "Kettle leaks", Category: "faulty product", MadeBy: complaints.MadeByRegular,
		DirectedAt: complaints.Target{Kind: complaints.TargetKindProduct, Name: "kettle"},
		Severity:   complaints.SeverityMedium, By: "Maria",
	})
	if err != nil {
		t.Fatal(err)
	}

	faults.LoseReplies(1)
	if _, err := svc.Investigate(ctx, c.ID, complaints.Input{By: "Maria"}); err != nil {
		t.Fatalf("Investigate whose reply was lost: %v; want the service to find it applied", err)
	}
	if _, unknown := faults.Counts(); unknown != 1 {
		t.Fatalf("%d replies lost; the test meant to lose one", unknown)
	}
	got, err := svc.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, h := range got.History {
		if h.Action == string(complaints.StepInvestigate) {
			steps++
		}
	}
	if steps != 1 || got.Status != complaints.StatusInvestigating {
		t.Fatalf("after one interrupted Investigate: %d history entries for it, status %s; want exactly 1 and investigating", steps, got.Status)
	}
}
