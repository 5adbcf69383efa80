package complaints

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/memory"
)

const benchN = 100_000

// benchYear is the year the benchmark log spans; benchMonth is the month
// analysed.
var (
	benchStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	benchMonth = [2]time.Time{time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
)

func benchNew(r *rand.Rand, i int) Intake {
	cats := []string{"delivery", "faulty product", "rude staff", "billing", "website", "waiting time", "product knowledge", "returns"}
	return Intake{
		Received:   benchStart.Add(time.Duration(i) * (365 * 24 * time.Hour / benchN)),
		Channel:    Channels()[r.IntN(len(Channels()))],
		Customer:   Customer{Ref: fmt.Sprintf("crm-%d", r.IntN(benchN/3)), Name: "Customer Name", Contact: "customer@example.com"},
		Summary:    "The delivery was late and nobody told me why; I had taken the day off work.",
		Category:   cats[min(r.IntN(12), len(cats)-1)],
		MadeBy:     MadeBys()[r.IntN(len(MadeBys()))],
		DirectedAt: Target{Kind: TargetKinds()[r.IntN(len(TargetKinds()))], Name: "someone"},
		Severity:   Severities()[r.IntN(len(Severities()))],
		By:         "loader",
	}
}

// openBench opens a file store in a fresh directory with a service over
// it whose clock stands at the end of the benchmark year.
func openBench(b *testing.B) (*Service, *file.Driver) {
	b.Helper()
	d, err := file.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	end := benchStart.AddDate(1, 0, 0)
	svc, err := New(d, testConfig(), WithClock(func() time.Time { return end }))
	if err != nil {
		b.Fatal(err)
	}
	return svc, d
}

// load logs benchN complaints in batches of 1000 (one durable group
// commit each).
func load(b *testing.B, svc *Service) {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	batch := make([]Intake, 0, 1000)
	for i := range benchN {
		batch = append(batch, benchNew(r, i))
		if len(batch) == cap(batch) {
			if _, err := svc.LogMany(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// BenchmarkLog100k logs 100,000 complaints into an empty file store in
// batches of 1000.
func BenchmarkLog100k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		svc, _ := openBench(b)
		b.StartTimer()
		load(b, svc)
	}
}

// BenchmarkLogOne logs one complaint at a time, each durable on its own.
func BenchmarkLogOne(b *testing.B) {
	svc, _ := openBench(b)
	r := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := svc.Log(ctx, benchNew(r, i%benchN)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func loaded(b *testing.B) *Service {
	svc, _ := openBench(b)
	load(b, svc)
	return svc
}

// BenchmarkMonthPareto ranks one month's categories out of 100,000
// complaints.
func BenchmarkMonthPareto(b *testing.B) {
	svc := loaded(b)
	ctx := context.Background()
	for b.Loop() {
		p, err := svc.Pareto(ctx, benchMonth[0], benchMonth[1], DimensionCategory)
		if err != nil || p.Total == 0 {
			b.Fatal(p.Total, err)
		}
	}
}

// BenchmarkMonthTrend is one month's daily trend out of 100,000 complaints.
func BenchmarkMonthTrend(b *testing.B) {
	svc := loaded(b)
	ctx := context.Background()
	for b.Loop() {
		tr, err := svc.Trend(ctx, benchMonth[0], benchMonth[1], GranularityDay)
		if err != nil || len(tr) != 30 {
			b.Fatal(len(tr), err)
		}
	}
}

// BenchmarkMonthSummary is the full analysis of one month, which decodes
// every complaint of the month once for the times and breaches.
func BenchmarkMonthSummary(b *testing.B) {
	svc := loaded(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := svc.Summarise(ctx, benchMonth[0], benchMonth[1]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkErase measures one customer's erasure as the store grows: it
// reads every complaint of the organisation, because a customer's name or
// e-mail may sit in the free text of anyone's complaint. read-all is the
// floor it is compared with: streaming every complaint once.
//
//	go test -run '^$' -bench Erase -benchtime 3x ./complaints
func BenchmarkErase(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		end := benchStart.AddDate(1, 0, 0)
		svc, err := New(memory.New(), testConfig(), WithClock(func() time.Time { return end }))
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		ctx := context.Background()
		for i := 0; i < n; i += 1000 {
			batch := make([]Intake, 0, 1000)
			for j := i; j < i+1000 && j < n; j++ {
				batch = append(batch, benchNew(r, j*benchN/n))
			}
			if _, err := svc.LogMany(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("complaints=%d/read-all", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				k := 0
				for _, err := range svc.Received(ctx, benchStart, end) {
					if err != nil {
						b.Fatal(err)
					}
					k++
				}
				if k != n {
					b.Fatalf("read %d of %d", k, n)
				}
			}
		})
		b.Run(fmt.Sprintf("complaints=%d/erase", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				if _, err := cxkit.EraseCustomer(ctx, fmt.Sprintf("crm-%d", i), "dpo", svc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
