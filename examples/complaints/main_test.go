package main

import (
	"context"
	"testing"
	"time"

	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store/file"
)

// The story runs to the end on a fresh file store, and what it left on
// disk is the story's outcome: the dishwasher complaint closed with the
// approved replacement, followed up with a satisfied customer, among the
// week's five complaints.
func TestStory(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if err := run(ctx, dir); err != nil {
		t.Fatal(err)
	}
	drv, err := file.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close()
	svc, err := complaints.New(drv, config())
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var n int
	var story *complaints.Complaint
	for c, err := range svc.Received(ctx, from, to) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if c.Channel == complaints.ChannelPhone {
			story = &c
		}
	}
	if n != 5 || story == nil {
		t.Fatalf("%d complaints stored, story found %v; want 5 and the phone call", n, story != nil)
	}
	if story.Status != complaints.StatusClosed || story.Remedy == nil || story.Remedy.State != remedy.StateApproved ||
		story.Remedy.ApprovedBy == nil || story.Remedy.ApprovedBy.Name != "Jo" || story.Satisfied == nil || !*story.Satisfied {
		t.Errorf("the story's complaint ended as %+v", story)
	}
}
