package classify

import (
	"bytes"
	"testing"
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
		if _, err := ReadModel(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
