package assessment

import (
	"context"
	"testing"

	"github.com/cxkit/cxkit/store/memory"
)

// Issue 15: audits run on a schedule and are compared audit to audit.
func TestAuditScheduleAndComparison(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, err := New(memory.New(), Config{AuditEveryMonths: 6}, WithClock(f.clock))
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	if due, err := svc.AuditsDue(ctx); err != nil || len(due) != 0 {
		t.Fatalf("AuditsDue before any audit = %v, %v", due, err)
	}
	first := startAudit(t, f, "communication", "problem-handling")
	rate := func(au Audit, check string, result int) {
		t.Helper()
		area := "communication"
		if check[:7] == "problem" {
			area = "problem-handling"
		}
		if _, err := svc.AddFinding(ctx, au.ID, Finding{Area: area, Check: check, Result: result, Text: "rated"}, "dee"); err != nil {
			t.Fatal(err)
		}
	}
	rate(first, "communication-01", 1)
	rate(first, "communication-02", 2)
	rate(first, "problem-handling-01", 3)
	r, err := svc.Recommend(ctx, first.ID, "F1", "Greet every caller by name", "dee")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ActOn(ctx, first.ID, r.ID, Action{Owner: "ben", Initiate: "Brief the desk", Due: t0.AddDate(0, 1, 0)}, "dee"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CloseAudit(ctx, first.ID, "dee"); err != nil {
		t.Fatal(err)
	}
	due, err := svc.AuditsDue(ctx)
	if err != nil || len(due) != 1 {
		t.Fatalf("AuditsDue = %v, %v", due, err)
	}
	if want := first.Period.To.AddDate(0, 6, 0); !due[0].Due.Equal(want) || due[0].Overdue || due[0].Last != first.ID {
		t.Errorf("due = %+v, want %s not overdue", due[0], want)
	}
	f.advance(first.Period.To.AddDate(0, 7, 0).Sub(f.clock()))
	if due, _ := svc.AuditsDue(ctx); !due[0].Overdue {
		t.Errorf("seven months after: %+v, want overdue", due[0])
	}
	second, err := svc.StartAudit(ctx, Audit{Scope: "Harbour Hotel", Auditor: "dee",
		Period: Period{f.clock(), f.clock().AddDate(0, 0, 14)}, Areas: []string{"communication", "problem-handling"}}, "dee")
	if err != nil {
		t.Fatal(err)
	}
	rate(second, "communication-01", 3)
	rate(second, "communication-02", 2)
	rate(second, "problem-handling-01", 2)
	cmp, err := svc.CompareAudits(ctx, first.ID, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.Areas) != 2 {
		t.Fatalf("areas = %+v", cmp.Areas)
	}
	comm, ph := cmp.Areas[0], cmp.Areas[1]
	if comm.Area != "communication" || comm.BeforeMean != 1.5 || comm.AfterMean != 2.5 || comm.Change() != 1 ||
		len(comm.Better) != 1 || comm.Better[0] != "communication-01" || len(comm.Worse) != 0 || comm.OpenActions != 1 {
		t.Errorf("communication = %+v", comm)
	}
	if ph.Change() != -1 || len(ph.Worse) != 1 || ph.OpenActions != 0 {
		t.Errorf("problem handling = %+v", ph)
	}
	if due, _ := svc.AuditsDue(ctx); due[0].Last != second.ID || due[0].Overdue {
		t.Errorf("after the second audit: %+v", due[0])
	}
	other, err := svc.StartAudit(ctx, Audit{Scope: "Airport kiosk", Auditor: "dee", Period: Period{t0, t0.AddDate(0, 0, 3)}}, "dee")
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.CompareAudits(ctx, first.ID, other.ID)
	wantInvalid(t, err, "after.scope", "must be the scope of the earlier audit")
}
