package demo

import (
	"context"
	"testing"
	"time"

	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/store/memory"
)

func TestSeed(t *testing.T) {
	ctx := context.Background()
	end := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	clk := NewClock(end)
	l, err := Open(memory.New(), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Seed(ctx, l, clk, end, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n.Complaints < 60 || n.Resolved == 0 || n.Feedback < 100 || n.Responses < 60 || n.Ratings == 0 || n.Strategies != 2 {
		t.Errorf("seeded %+v", n)
	}
	if !clk.Now().Equal(end) {
		t.Errorf("clock left at %s", clk.Now())
	}
	p, err := l.Complaints.Pareto(ctx, end.AddDate(0, -3, 0), end, complaints.DimensionCategory)
	if err != nil {
		t.Fatal(err)
	}
	if p.Rows[0].Value != "delivery" || int(p.Total) != n.Complaints {
		t.Errorf("pareto %+v total %d, want delivery first and total %d", p.Rows, p.Total, n.Complaints)
	}
}
