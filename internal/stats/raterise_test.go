package stats

import (
	"math"
	"testing"
)

func TestRateRise(t *testing.T) {
	// 5 now, none in 4 earlier periods: P(X >= 5 | Bin(5, 1/5)) = 0.2^5.
	near(t, "5 vs 0", RateRise(5, 0, 4), math.Pow(0.2, 5), 1e-15)
	// 3 now, 2 over one earlier period: Bin(5, 1/2), P(X >= 3) = 16/32.
	near(t, "3 vs 2", RateRise(3, 2, 1), 0.5, 1e-12)
	// 12 now, 8 over four periods: Bin(20, 0.2), P(X >= 12) summed by hand
	// from the binomial terms = 1.017288e-4.
	near(t, "12 vs 8/4", RateRise(12, 8, 4), 1.017288e-4, 1e-9)
	if RateRise(0, 3, 4) != 1 {
		t.Error("nothing observed must give p = 1")
	}
	if !math.IsNaN(RateRise(3, 3, 0)) {
		t.Error("no baseline periods must give NaN")
	}
	// The baseline's own noise makes the test more careful than treating
	// its mean as known: 9 against 12 over four periods (mean 3).
	if known, cond := PoissonRise(9, 3), RateRise(9, 12, 4); !(cond > known) {
		t.Errorf("conditional p %.4g should exceed known-mean p %.4g", cond, known)
	}
}
