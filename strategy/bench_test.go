package strategy_test

import (
	"context"
	"fmt"
	"github.com/cxkit/cxkit/strategy/budget"
	"io"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

// BenchmarkCheck: the SMART review of an unstored strategy, with the
// target's history read from a source in memory (13 windows).
func BenchmarkCheck(b *testing.B) {
	svc, _, _ := newService(b)
	s := testStrategy()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.CheckWith(ctx, s, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFit: the budget fit of one strategy against n approved ones.
func BenchmarkFit(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("committed=%d", n), func(b *testing.B) {
			org := testOrg()
			all := make([]*strategy.Strategy, n+1)
			for i := range all {
				s := testStrategy()
				all[i] = &s
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := budget.Fit(org.Periods, plans(all...)...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkProgressAndStatus(b *testing.B) {
	s := testStrategy()
	for i := range 50 {
		s.Targets[0].CheckIns = append(s.Targets[0].CheckIns, strategy.CheckIn{At: date(2027, 1, 5).AddDate(0, 0, i), Value: float64(40 - i%30), Confidence: strategy.ConfidenceLow})
	}
	now := date(2027, 3, 1)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.ReportAt(now, strategy.DefaultThresholds())
	}
}

func BenchmarkProposal(b *testing.B) {
	svc, _, _ := newService(b)
	s, org := testStrategy(), testOrg()
	r, err := svc.CheckWith(context.Background(), s, nil)
	if err != nil {
		b.Fatal(err)
	}
	p, err := strategy.NewProposal(&s, org, r, strategy.AudienceSeniorManagement, date(2027, 2, 2))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct {
		name   string
		render func(io.Writer) error
	}{{"markdown", p.Markdown}, {"html", p.HTML}} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f.render(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkServiceCheckIn: one check-in (read, validate, write) on the
// memory store. A fresh strategy every 64 check-ins keeps the history, and
// so the record, from growing with b.N.
func BenchmarkServiceCheckIn(b *testing.B) {
	ctx := context.Background()
	t := date(2027, 1, 4)
	m, err := strategy.New(memory.New(), testOrg(), strategy.WithClock(func() time.Time { return t }))
	if err != nil {
		b.Fatal(err)
	}
	var s strategy.Strategy
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if i%64 == 0 {
			if s, err = m.Create(ctx, testStrategy(), "bench"); err != nil {
				b.Fatal(err)
			}
		}
		i++
		if _, err := m.CheckIn(ctx, s.ID, "T2", strategy.CheckIn{Value: 75, Confidence: strategy.ConfidenceMedium, By: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServiceCheck: a stored strategy's review, which reads every
// approved strategy for the budget fit.
func BenchmarkServiceCheck(b *testing.B) {
	for _, n := range []int{10, 200} {
		b.Run(fmt.Sprintf("approved=%d", n), func(b *testing.B) {
			ctx := context.Background()
			org := testOrg()
			org.Periods[0].StaffHours = 1e9
			org.Periods[0].Funds[budget.KindProject] = aud(1 << 50)
			org.Periods[1].StaffHours = 1e9
			org.Periods[1].Funds[budget.KindMarketing] = aud(1 << 50)
			m, err := strategy.New(memory.New(), org, strategy.WithSource("complaints", newSeriesSource()),
				strategy.WithClock(func() time.Time { return date(2027, 1, 4) }))
			if err != nil {
				b.Fatal(err)
			}
			var id string
			for range n + 1 {
				s, err := m.Create(ctx, testStrategy(), "bench")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := m.Move(ctx, s.ID, strategy.StageApproved, "bench", ""); err != nil {
					b.Fatal(err)
				}
				id = s.ID
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Check(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
