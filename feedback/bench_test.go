package feedback

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store/memory"
)

// BenchmarkPredict predicts the Banking77 test texts one after another on
// one goroutine; texts/s is the throughput per core.
func BenchmarkPredict(b *testing.B) {
	train, test := loadBanking(b, "train.csv"), loadBanking(b, "test.csv")
	c, err := Train(train, TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, len(test))
	for i, ex := range test {
		texts[i] = ex.Text
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		c.Predict(texts[n%len(texts)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "texts/s")
}

// BenchmarkTrainBanking77 trains on the full Banking77 training split.
func BenchmarkTrainBanking77(b *testing.B) {
	train := loadBanking(b, "train.csv")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(train, TrainOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModelLoad reads a saved Banking77 model.
func BenchmarkModelLoad(b *testing.B) {
	c, err := Train(loadBanking(b, "train.csv"), TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	c.WriteTo(&buf)
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := ReadClassifier(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIntake takes items in through the whole path (validation, kind,
// categorisation, routing, store) on the memory driver.
func BenchmarkIntake(b *testing.B) {
	model, err := Train(hotelExamples, TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cat, _ := NewCategoriser(hotelCategories, hotelRules(), model, 0.4)
	routes, _ := NewRoutingTable(hotelCategories, hotelRoutes(), "general manager")
	d, _ := NewDesk(memory.New(), cat, routes)
	ctx := context.Background()
	at := time.Now().Add(-time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, Text: "the soup at dinner was cold and the waiter was slow"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInferKind guesses the kind of the labelled kind sentences in
// turn.
func BenchmarkInferKind(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		InferKind(kindSet[n%len(kindSet)].text)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "texts/s")
}
