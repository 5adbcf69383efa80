package assessment

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

func startAudit(t *testing.T, f *fixture, areas ...string) Audit {
	t.Helper()
	a, err := f.svc.StartAudit(context.Background(), Audit{Scope: "Harbour Hotel", Auditor: "dee", Period: Period{t0, t0.AddDate(0, 0, 14)}, Areas: areas}, "dee")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAuditFlow(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	au := startAudit(t, f, "communication", "problem-handling")
	if au.Catalogue != AuditCatalogue || au.CatalogueVersion == "" || au.Status != StatusOpen {
		t.Fatalf("started audit = %+v", au)
	}
	comm1 := "communication-01"
	evTests := []struct {
		name        string
		e           Evidence
		field, rule string
	}{
		{"area not covered", Evidence{Area: "promptness", Source: SourceObservation, Summary: "x"}, "evidence.area", "must be an area the audit covers"},
		{"check of another area", Evidence{Area: "communication", Check: "problem-handling-01", Source: SourceObservation, Summary: "x"}, "evidence.check", "must be a check of area"},
		{"unknown source", Evidence{Area: "communication", Source: "gossip", Summary: "x"}, "evidence.source", "must be one of observation"},
		{"third party unnamed", Evidence{Area: "communication", Source: SourceThirdParties, Summary: "x"}, "evidence.party", "must name the third party"},
		{"no summary", Evidence{Area: "communication", Source: SourceSurveys}, "evidence.summary", "must not be empty"},
	}
	for _, tt := range evTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.AddEvidence(ctx, au.ID, tt.e, "dee")
			wantInvalid(t, err, tt.field, tt.rule)
		})
	}
	e1, err := f.svc.AddEvidence(ctx, au.ID, Evidence{Area: "communication", Check: comm1, Source: SourceObservation, Summary: "Front desk greets every guest by name"}, "dee")
	if err != nil {
		t.Fatal(err)
	}
	e2, err := f.svc.AddEvidence(ctx, au.ID, Evidence{Area: "problem-handling", Source: SourceThirdParties, Party: "supplier: linen service", Summary: "Complaints about late linen are passed on days later"}, "dee")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddEvidence(ctx, au.ID, Evidence{Area: "problem-handling", Source: SourceComplaintForms, Summary: "Nine forms on slow replies", Ref: "complaints:2026-Q1"}, "dee"); err != nil {
		t.Fatal(err)
	}
	if e1.ID != "E1" || e2.ID != "E2" || !e1.At.Equal(t0) {
		t.Errorf("evidence IDs/times: %+v %+v", e1, e2)
	}

	_, err = f.svc.AddFinding(ctx, au.ID, Finding{Area: "communication", Result: 4, Text: "x"}, "dee")
	wantInvalid(t, err, "finding.result", "must be 0 (no rating) or on the scale met3")
	_, err = f.svc.AddFinding(ctx, au.ID, Finding{Area: "communication", Result: 3, Text: "x", Evidence: []string{"E9"}}, "dee")
	wantInvalid(t, err, "finding.evidence[0]", "must be evidence of audit")
	_, err = f.svc.AddFinding(ctx, au.ID, Finding{Area: "communication", Result: 3}, "dee")
	wantInvalid(t, err, "finding.text", "must not be empty")

	f1, err := f.svc.AddFinding(ctx, au.ID, Finding{Area: "communication", Check: comm1, Result: 3, Text: "Greeting standard met", Evidence: []string{"E1"}}, "dee")
	if err != nil {
		t.Fatal(err)
	}
	f2, err := f.svc.AddFinding(ctx, au.ID, Finding{Area: "problem-handling", Result: 1, Text: "Problems wait for the weekly meeting", Evidence: []string{"E2", "E3"}}, "dee")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddFinding(ctx, au.ID, Finding{Area: "problem-handling", Result: 2, Text: "Refunds are quick once approved"}, "dee"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Recommend(ctx, au.ID, "F9", "x", "dee")
	wantInvalid(t, err, "recommendation.finding", "must be a finding of audit")
	r1, err := f.svc.Recommend(ctx, au.ID, f2.ID, "Give shift leads authority to settle problems the same day", "dee")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Recommend(ctx, au.ID, f2.ID, "Tell suppliers who to call", "dee"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.ActOn(ctx, au.ID, r1.ID, Action{Due: t0.AddDate(0, 1, 0)}, "dee")
	wantInvalid(t, err, "action.owner", "must not be empty")
	if n := f.count(t, KindAction); n != 0 {
		t.Fatalf("%d actions after a rejected ActOn", n)
	}
	act, err := f.svc.ActOn(ctx, au.ID, r1.ID, Action{Owner: "gm", Due: t0.AddDate(0, 1, 0), Initiate: "Write the authority limits"}, "dee")
	if err != nil {
		t.Fatal(err)
	}
	if act.Audit != au.ID || act.Recommendation != r1.ID || act.Factor != "problem-handling" || act.NeedsToHappen != r1.Text || act.Status != ActionStatusOpen || act.Catalogue != AuditCatalogue {
		t.Errorf("action from recommendation = %+v", act)
	}
	_, err = f.svc.ActOn(ctx, au.ID, r1.ID, Action{Owner: "gm", Due: t0.AddDate(0, 1, 0)}, "dee")
	wantInvalid(t, err, "recommendation", "already became action "+act.ID)

	got, _ := f.svc.GetAudit(ctx, au.ID)
	if got.Recommendations[0].Action != act.ID {
		t.Errorf("audit does not link the action: %+v", got.Recommendations)
	}
	rep, err := f.svc.AuditReport(ctx, au.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep) != 2 || rep[0].Area != "communication" || rep[1].Area != "problem-handling" {
		t.Fatalf("report areas = %+v", rep)
	}
	ph := rep[1]
	if ph.EvidenceBySource[SourceThirdParties] != 1 || ph.EvidenceBySource[SourceComplaintForms] != 1 || len(ph.Findings) != 2 ||
		ph.Rated != 2 || !near(ph.MeanResult, 1.5) || len(ph.Recommendations) != 2 || ph.Unacted != 1 {
		t.Errorf("problem-handling report = %+v", ph)
	}
	if rep[0].Rated != 1 || rep[0].MeanResult != 3 || rep[0].Findings[0].ID != f1.ID {
		t.Errorf("communication report = %+v", rep[0])
	}
	acts, _ := collect(f.svc.Actions(ctx, ActionFilter{Audit: au.ID}))
	if len(acts) != 1 {
		t.Errorf("audit actions = %d", len(acts))
	}
	if _, err := f.svc.CloseAudit(ctx, au.ID, "dee"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AddEvidence(ctx, au.ID, Evidence{Area: "communication", Source: SourceSurveys, Summary: "late"}, "dee")
	wantInvalid(t, err, "audit.status", "must be open")
}

func TestStartAuditRejects(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	good := Audit{Scope: "s", Auditor: "a", Period: Period{t0, t0.Add(time.Hour)}}
	tests := []struct {
		name        string
		edit        func(a *Audit)
		field, rule string
	}{
		{"no scope", func(a *Audit) { a.Scope = "" }, "audit.scope", "must name"},
		{"no auditor", func(a *Audit) { a.Auditor = "" }, "audit.auditor", "must not be empty"},
		{"bad period", func(a *Audit) { a.Period.To = t0.Add(-time.Hour) }, "audit.period", "start before its end"},
		{"unknown area", func(a *Audit) { a.Areas = []string{"communication", "vibes"} }, "audit.areas[1]", "must be an area"},
		{"repeated area", func(a *Audit) { a.Areas = []string{"communication", "communication"} }, "audit.areas[1]", "must be unique"},
		{"evidence up front", func(a *Audit) { a.Evidence = []Evidence{{}} }, "audit.evidence", "must be empty when starting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := good
			tt.edit(&a)
			_, err := f.svc.StartAudit(ctx, a, "x")
			wantInvalid(t, err, tt.field, tt.rule)
		})
	}
	if n := f.count(t, KindAudit); n != 0 {
		t.Errorf("%d audits stored", n)
	}
	a, err := f.svc.StartAudit(ctx, good, "x")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Areas) != 6 {
		t.Errorf("default areas = %v, want all six", a.Areas)
	}
	if _, err := f.svc.GetAudit(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing audit: %v", err)
	}
}

// noBatch hides the memory driver's Batcher, like a driver without atomic
// batches.
type noBatch struct{ store.Driver }

func TestActOnWithoutBatches(t *testing.T) {
	ctx := context.Background()
	svc, err := New(noBatch{memory.New()}, Config{}, WithClock(func() time.Time { return t0 }))
	if err != nil {
		t.Fatal(err)
	}
	au, err := svc.StartAudit(ctx, Audit{Scope: "s", Auditor: "a", Period: Period{t0, t0.Add(time.Hour)}}, "a")
	if err != nil {
		t.Fatal(err)
	}
	fd, err := svc.AddFinding(ctx, au.ID, Finding{Area: "promptness", Text: "Orders ship late"}, "a")
	if err != nil {
		t.Fatal(err)
	}
	r, err := svc.Recommend(ctx, au.ID, fd.ID, "Ship the same day", "a")
	if err != nil {
		t.Fatal(err)
	}
	act, err := svc.ActOn(ctx, au.ID, r.ID, Action{Owner: "ops", Due: t0.AddDate(0, 0, 7)}, "a")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := svc.GetAudit(ctx, au.ID)
	if got.Recommendations[0].Action != act.ID || act.Factor != "promptness" || act.Statement != "" {
		t.Errorf("audit %+v, action %+v", got.Recommendations, act)
	}
}
