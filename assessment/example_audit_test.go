package assessment_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit/assessment"
	"github.com/cxkit/cxkit/store/memory"
)

// Audits every six months: when the next is due, and what moved between
// two audits of the same scope.
func ExampleService_CompareAudits() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, err := assessment.New(memory.New(), assessment.Config{AuditEveryMonths: 6},
		assessment.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	audit := func(from time.Time, result int) string {
		a, err := svc.StartAudit(ctx, assessment.Audit{Scope: "Harbour Hotel", Auditor: "Dee",
			Period: assessment.Period{From: from, To: from.AddDate(0, 0, 14)}, Areas: []string{"communication"}}, "Dee")
		if err != nil {
			panic(err)
		}
		if _, err := svc.AddFinding(ctx, a.ID, assessment.Finding{Area: "communication", Check: "communication-01",
			Result: result, Text: "how the desk greets guests"}, "Dee"); err != nil {
			panic(err)
		}
		return a.ID
	}
	first := audit(now, 1)
	due, err := svc.AuditsDue(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("next audit of", due[0].Scope, "due", due[0].Due.Format(time.DateOnly))
	second := audit(now.AddDate(0, 6, 0), 3)
	cmp, err := svc.CompareAudits(ctx, first, second)
	if err != nil {
		panic(err)
	}
	for _, a := range cmp.Areas {
		fmt.Printf("%s: %.1f -> %.1f, better: %s\n", a.Area, a.BeforeMean, a.AfterMean, strings.Join(a.Better, ", "))
	}
	// Output:
	// next audit of Harbour Hotel due 2026-09-16
	// communication: 1.0 -> 3.0, better: communication-01
}
