package chart

import (
	"fmt"
	"testing"
)

// BenchmarkPareto draws a Pareto of 20 categories, about what a month of
// a busy complaints log has.
func BenchmarkPareto(b *testing.B) {
	bars := make([]Bar, 20)
	for i := range bars {
		bars[i] = Bar{Label: fmt.Sprint("category ", i), Value: float64(100 - 3*i)}
	}
	for b.Loop() {
		Pareto("Complaints by category", bars)
	}
}
