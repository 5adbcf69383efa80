package bench_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/cxkit/cxkit/internal/bench"
)

// The benchmarks run only with -bench; their scale comes from these flags
// (defaults: the full workload), for example
//
//	go test -run '^$' -bench . -benchtime 1x -bench.n 100000
//	go test -run '^$' -bench 'Create/sqlite' -benchtime 1x -bench.n 2000 -count 5 | benchstat -
var (
	flagN       = flag.Int("bench.n", 100_000, "records per benchmark")
	flagWriters = flag.Int("bench.writers", 16, "concurrent writers")
	flagBatch   = flag.Int("bench.batch", 1000, "records per batch")
	flagGets    = flag.Int("bench.gets", 10_000, "random gets")
	flagBody    = flag.Int("bench.body", 1024, "aimed body size")
	flagEngines = flag.String("bench.engines", "all", "comma-separated engines")
)

func TestMain(m *testing.M) {
	bench.ChildMain()
	os.Exit(m.Run())
}

func specs(b testing.TB) []bench.Spec {
	s, err := bench.SpecsNamed(*flagEngines)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func open(b testing.TB, s bench.Spec, dir string) bench.Engine {
	e, err := s.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

func gen() bench.Gen { return bench.Gen{BodyBytes: *flagBody} }

func reportRate(b *testing.B, n int, unit string) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), unit)
}

// BenchmarkCreate: -bench.n creates, one durable commit each, from 1 and
// from -bench.writers goroutines.
func BenchmarkCreate(b *testing.B) {
	ctx := context.Background()
	for _, s := range specs(b) {
		for _, w := range []int{1, *flagWriters} {
			b.Run(fmt.Sprintf("%s/writers=%d", s.Name, w), func(b *testing.B) {
				var d float64
				for b.Loop() {
					e := open(b, s, b.TempDir())
					var dur time.Duration
					var err error
					if w == 1 {
						dur, err = bench.CreateSerial(ctx, e, gen(), *flagN)
					} else {
						dur, err = bench.CreateConcurrent(ctx, e, gen(), *flagN, w)
					}
					if err != nil {
						b.Fatal(err)
					}
					d += dur.Seconds()
					e.Close()
				}
				// The phases generate their records before starting the
				// clock: report their own timing, not the loop's.
				b.ReportMetric(float64(*flagN)*float64(b.N)/d, "records/s")
			})
		}
	}
}

// BenchmarkBatch: -bench.n creates in commits of -bench.batch.
func BenchmarkBatch(b *testing.B) {
	ctx := context.Background()
	for _, s := range specs(b) {
		b.Run(s.Name, func(b *testing.B) {
			var d float64
			for b.Loop() {
				b.StopTimer()
				e := open(b, s, b.TempDir())
				dur, _, err := bench.CreateBatches(ctx, e, gen(), 0, *flagN, *flagBatch)
				if err != nil {
					b.Fatal(err)
				}
				d += dur.Seconds()
				e.Close()
				b.StartTimer()
			}
			// Generation is not timed: report the commit time only.
			b.ReportMetric(float64(*flagN)*float64(b.N)/d, "records/s")
		})
	}
}

// loaded opens s on -bench.n records loaded in batches, outside the timer.
func loaded(b *testing.B, s bench.Spec) (bench.Engine, string) {
	dir := b.TempDir()
	e := open(b, s, dir)
	if _, _, err := bench.CreateBatches(context.Background(), e, gen(), 0, *flagN, *flagBatch); err != nil {
		b.Fatal(err)
	}
	return e, dir
}

// BenchmarkRead: read every record; -bench.gets random gets; the count
// grouped by two attributes.
func BenchmarkRead(b *testing.B) {
	ctx := context.Background()
	for _, s := range specs(b) {
		b.Run(s.Name, func(b *testing.B) {
			e, _ := loaded(b, s)
			defer e.Close()
			b.Run("all", func(b *testing.B) {
				for b.Loop() {
					if _, err := bench.ReadAll(ctx, e, *flagN); err != nil {
						b.Fatal(err)
					}
				}
				reportRate(b, *flagN, "records/s")
			})
			b.Run("get", func(b *testing.B) {
				var d float64
				for b.Loop() {
					dur, err := bench.RandomGets(ctx, e, gen(), *flagN, *flagGets)
					if err != nil {
						b.Fatal(err)
					}
					d += dur.Seconds()
				}
				// RandomGets generates the expected records first; only
				// the gets are timed.
				b.ReportMetric(float64(*flagGets)*float64(b.N)/d, "gets/s")
			})
			b.Run("count", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := bench.CountGrouped(ctx, e, *flagN); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkOpen: reopen -bench.n records and answer one get, in a child
// process, reporting its memory and the disk use before and after
// compaction, per payload byte.
func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	for _, s := range specs(b) {
		if s.Name == "memory" {
			continue
		}
		b.Run(s.Name, func(b *testing.B) {
			dir := b.TempDir()
			e := open(b, s, dir)
			_, payload, err := bench.CreateBatches(ctx, e, gen(), 0, *flagN, *flagBatch)
			if err != nil {
				b.Fatal(err)
			}
			e.Close()
			disk, _ := bench.DirBytes(dir)
			var st bench.OpenStats
			for b.Loop() {
				if st, err = bench.MeasureOpen(s, dir, gen().Record(*flagN-1).ID); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(st.Open)/1e6, "open-ms")
			b.ReportMetric(float64(st.RSSAfter-st.RSSBefore)/float64(payload), "rss/payload")
			b.ReportMetric(float64(disk)/float64(payload), "disk/payload")
			e = open(b, s, dir)
			if err := e.Compact(ctx); err != nil {
				b.Fatal(err)
			}
			e.Close()
			disk, _ = bench.DirBytes(dir)
			b.ReportMetric(float64(disk)/float64(payload), "compacted/payload")
		})
	}
}
