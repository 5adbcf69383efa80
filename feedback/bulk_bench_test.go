package feedback

import (
	"context"
	"io"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/memory"
)

// BenchmarkBulkIntake loads n items (CXKIT_BULK_N, default 10,000) into a
// fresh store (the file store and the memory driver), once per op:
// through single Intake calls from four goroutines, and through
// IntakeBatch in batches of 1,000 from one. Each
// item takes the whole path (validation, kind, rules, classifier,
// routing, history) either way. Run once per size:
//
//	CXKIT_BULK_N=1000000 go test -run '^$' -bench BulkIntake -benchtime 1x ./feedback
func BenchmarkBulkIntake(b *testing.B) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("CXKIT_BULK_N")); err == nil && v > 0 {
		n = v
	}
	model, err := classify.Train(hotelExamples, classify.TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	texts := []string{
		"the soup at dinner was cold and the waiter was slow",
		"towels were not changed and the bathroom smelled",
		"thank you for arranging adjoining rooms for our family",
		"could you add more vegetarian dishes to the menu",
		"check in took forty minutes at reception",
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	intake := func(i int) Intake {
		return Intake{Received: start.Add(time.Duration(i) * time.Second), Channel: ChannelEmail, CustomerRef: "c" + strconv.Itoa(i%5000), Text: texts[i%len(texts)], By: "migration"}
	}
	ctx := context.Background()
	for _, driver := range []string{"file", "memory"} {
		open := func(b *testing.B) (*Service, io.Closer) {
			var d store.Driver = memory.New()
			if driver == "file" {
				fd, err := file.Open(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				d = fd
			}
			svc, err := New(d, hotelConfig(), WithClassifier(model))
			if err != nil {
				b.Fatal(err)
			}
			return svc, d
		}
		b.Run(driver, func(b *testing.B) { benchBulk(b, ctx, n, open, intake) })
	}
}

func benchBulk(b *testing.B, ctx context.Context, n int, open func(*testing.B) (*Service, io.Closer), intake func(int) Intake) {
	b.Run("single-4-goroutines", func(b *testing.B) {
		for b.Loop() {
			svc, db := open(b)
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Go(func() {
					for i := w; i < n; i += 4 {
						if _, err := svc.Intake(ctx, intake(i)); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			db.Close()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	})
	b.Run("batch-1000", func(b *testing.B) {
		for b.Loop() {
			svc, db := open(b)
			batch := make([]Intake, 0, 1000)
			for i := range n {
				batch = append(batch, intake(i))
				if len(batch) == cap(batch) || i == n-1 {
					if _, err := svc.IntakeBatch(ctx, batch); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
			db.Close()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	})
}
