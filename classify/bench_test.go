package classify

import (
	"bytes"
	"testing"
)

// BenchmarkPredict predicts the Banking77 test texts one after another on
// one goroutine with the default model (words, word pairs and character
// 5-grams) and, as words, with NoCharGrams; texts/s is the throughput per
// core.
func BenchmarkPredict(b *testing.B) {
	train, test := loadBanking(b, "train.csv"), loadBanking(b, "test.csv")
	texts := make([]string, len(test))
	for i, ex := range test {
		texts[i] = ex.Text
	}
	for _, v := range []struct {
		name string
		opts TrainOptions
	}{{"default", TrainOptions{}}, {"words", TrainOptions{NoCharGrams: true}}} {
		c, err := Train(train, v.opts)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			cpu := cpuTime()
			for b.Loop() {
				c.Predict(texts[n%len(texts)])
				n++
			}
			reportCPU(b, cpu, n)
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "texts/s")
		})
	}
}

// BenchmarkTrainBanking77 trains on the full Banking77 training split.
func BenchmarkTrainBanking77(b *testing.B) {
	train := loadBanking(b, "train.csv")
	b.ReportAllocs()
	cpu, n := cpuTime(), 0
	for b.Loop() {
		if _, err := Train(train, TrainOptions{}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportCPU(b, cpu, n)
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
