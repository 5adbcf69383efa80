package main

import (
	"context"
	"io"
	"testing"

	"github.com/cxkit/cxkit/examples/internal/demo"
	"github.com/cxkit/cxkit/store/memory"
)

// BenchmarkCollect builds the monthly report from three months of demo
// data (about 120 complaints, 300 feedback items, 150 survey responses) in
// the memory store: the work behind each page load.
func BenchmarkCollect(b *testing.B) {
	ctx := context.Background()
	clk := demo.NewClock(now)
	l, err := demo.Open(memory.New(), clk.Now)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := demo.Seed(ctx, l, clk, now, 1); err != nil {
		b.Fatal(err)
	}
	p := MonthOf(now)
	src := Sources{Org: demo.OrgName, Complaints: l.Complaints, Feedback: l.Feedback, Strategies: l.Strategies, Assessments: l.Assessments,
		Survey: demo.Survey, NPSQuestion: demo.NPSQuestion, CSATQuestion: demo.CSATQuestion, Waves: monthsBefore(p, 6), Team: demo.Team}
	for b.Loop() {
		if _, err := Collect(ctx, src, p, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender renders the demo report to HTML.
func BenchmarkRender(b *testing.B) {
	r, err := demoReport()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := Render(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
