package feedback

import (
	"context"
	"testing"
	"time"

	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/store/memory"
)

// BenchmarkIntake takes items in through the whole path (validation, kind,
// categorisation, routing, store) on the memory driver.
func BenchmarkIntake(b *testing.B) {
	model, err := classify.Train(hotelExamples, classify.TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	d, _ := New(memory.New(), hotelConfig(), WithClassifier(model))
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
