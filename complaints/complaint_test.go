package complaints

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

func TestLogValidation(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Intake)
		msg  string
	}{
		{"unknown severity", func(n *Intake) { n.Severity = "urgent" }, "complaint.severity: must be one of low, medium, high, critical"},
		{"unknown channel", func(n *Intake) { n.Channel = "pigeon" }, "complaint.channel: must be one of"},
		{"missing summary", func(n *Intake) { n.Summary = "  " }, "complaint.summary: is required"},
		{"missing category", func(n *Intake) { n.Category = "" }, "complaint.category: is required"},
		{"unknown complainant", func(n *Intake) { n.MadeBy = "robot" }, "complaint.made_by: must be one of"},
		{"unknown target", func(n *Intake) { n.DirectedAt.Kind = "weather" }, "complaint.directed_at.kind: must be one of"},
		{"nobody logged it", func(n *Intake) { n.By = "" }, "complaint.by: is required"},
		{"empty attachment", func(n *Intake) { n.Attachments = []string{""} }, "complaint.attachments: entry 0 is empty"},
		{"NUL in text", func(n *Intake) { n.Summary = "a\x00b" }, "complaint.summary: must be valid UTF-8"},
		{"future", func(n *Intake) { n.Received = monday.Add(time.Hour) }, "complaint.received: must not be in the future"},
		{"huge category", func(n *Intake) { n.Category = strings.Repeat("x", 600) }, "complaint.category: must be at most 512 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			n := sampleNew()
			tt.mod(&n)
			_, err := f.svc.Log(f.ctx, n)
			if !errors.Is(err, store.ErrInvalid) || !errors.Is(err, store.ErrInvalid) || !strings.HasPrefix(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %q", err, tt.msg)
			}
			gs, _ := f.svc.coll.Count(f.ctx, nil)
			if gs[0].Count != 0 {
				t.Errorf("bad input stored a complaint")
			}
		})
	}
}

func TestCharterAssignsAndReassignmentIsRecorded(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target   TargetKind
		sev      Severity
		resolver string
	}{
		{TargetKindOutsourced, SeverityLow, "logistics manager"},
		{TargetKindOutsourced, SeverityCritical, "logistics manager"}, // first matching rule wins
		{TargetKindStaff, SeverityHigh, "service manager"},
		{TargetKindStaff, SeverityCritical, "service manager"},
		{TargetKindStaff, SeverityMedium, "team leader"}, // the default
	}
	for _, tt := range tests {
		n := sampleNew()
		n.DirectedAt, n.Severity = Target{Kind: tt.target}, tt.sev
		c := f.must(f.svc.Log(f.ctx, n))
		if c.Assigned.Resolver != tt.resolver {
			t.Errorf("%s/%s assigned to %q, want %q", tt.target, tt.sev, c.Assigned.Resolver, tt.resolver)
		}
	}
	c := f.log()
	if _, err := f.svc.Reassign(f.ctx, c.ID, Assignment{}, Input{By: "Jo"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty reassignment: %v", err)
	}
	c = f.must(f.svc.Reassign(f.ctx, c.ID, Assignment{Resolver: "Ann"}, Input{By: "Jo", Note: "Jo on leave"}))
	last := c.History[len(c.History)-1]
	if c.Assigned.Resolver != "Ann" || c.Assigned.Investigator != "agent" || c.Reassigned != 1 ||
		last.Action != "reassigned" || !strings.Contains(last.What, `resolver "team leader"`) || !strings.Contains(last.What, `resolver "Ann"`) || last.Why != "Jo on leave" {
		t.Errorf("reassignment %+v / %+v", c.Assigned, last)
	}
}

func TestOrganisationsAreSeparate(t *testing.T) {
	f := newFixture(t)
	c := f.log()
	cfg := testConfig()
	cfg.Org = "other-org"
	other, err := New(f.svc.coll.Driver(), cfg, WithClock(f.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Get(f.ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other org reads the complaint: %v", err)
	}
	if _, err := other.Investigate(f.ctx, c.ID, Input{By: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other org changes the complaint: %v", err)
	}
	if n, _ := measure(f.ctx, other, MetricCount, monday.Add(-time.Hour), monday.Add(time.Hour)); n != 0 {
		t.Errorf("other org counts %v complaints", n)
	}
}
