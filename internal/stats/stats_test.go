package stats

import (
	"math"
	"testing"
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol || math.IsNaN(got) != math.IsNaN(want) {
		t.Errorf("%s = %.6f, want %.6f (±%g)", name, got, want, tol)
	}
}

func TestDescriptive(t *testing.T) {
	xs := []float64{4, 1, 3, 2, 5}
	near(t, "Mean", Mean(xs), 3, 1e-12)
	near(t, "Median", Median(xs), 3, 1e-12)
	near(t, "Median even", Median([]float64{1, 2, 3, 4}), 2.5, 1e-12)
	near(t, "Variance", Variance(xs), 2.5, 1e-12) // sum sq dev 10 / 4
	near(t, "Quantile p90", Quantile(xs, 0.9), 4.6, 1e-12)
	if xs[0] != 4 {
		t.Error("Quantile sorted its input")
	}
	if !math.IsNaN(Mean(nil)) || !math.IsNaN(StdDev([]float64{1})) {
		t.Error("empty input should give NaN")
	}
}

func TestDistributions(t *testing.T) {
	near(t, "z 95%", TwoSidedZ(0.95), 1.959964, 1e-6)
	near(t, "NormalCDF(1)", NormalCDF(1), 0.841345, 1e-6)
	// Tabled Student t critical values.
	near(t, "t(0.975, 1)", StudentTQuantile(0.975, 1), 12.7062, 1e-3)
	near(t, "t(0.975, 10)", StudentTQuantile(0.975, 10), 2.2281, 1e-4)
	near(t, "t(0.95, 30)", StudentTQuantile(0.95, 30), 1.6973, 1e-4)
	near(t, "tCDF(2, 5)", StudentTCDF(2, 5), 0.949030, 1e-5)
	near(t, "I_0.5(2,3)", RegIncBeta(2, 3, 0.5), 0.6875, 1e-9)
}

func TestWilson(t *testing.T) {
	// 8 of 10 at 95%: the Wilson interval is [0.4902, 0.9433].
	w := Wilson(8, 10, 0.95)
	near(t, "estimate", w.Estimate, 0.8, 1e-12)
	near(t, "low", w.Low, 0.4902, 1e-4)
	near(t, "high", w.High, 0.9433, 1e-4)
	w = Wilson(0, 20, 0.95)
	near(t, "low at 0", w.Low, 0, 1e-12)
	near(t, "high at 0", w.High, 0.1611, 1e-4)
}

func TestMeanT(t *testing.T) {
	// Mean 3, sd sqrt(2.5), n 5: half-width 2.7764*0.7071 = 1.9632.
	iv := MeanT([]float64{1, 2, 3, 4, 5}, 0.95)
	near(t, "low", iv.Low, 3-1.9632, 1e-3)
	near(t, "high", iv.High, 3+1.9632, 1e-3)
}

func TestWelch(t *testing.T) {
	// Hand-computed: means 20 and 22, variances 4 and 9, n 10 and 12.
	// se = sqrt(0.4+0.75) = 1.07238, t = 1.86501,
	// df = 1.3225 / (0.16/9 + 0.5625/11) = 19.1906.
	w := Welch(20, 4, 10, 22, 9, 12)
	near(t, "t", w.Statistic, 1.86501, 1e-4)
	near(t, "df", w.DF, 19.1906, 1e-3)
	near(t, "p", w.P, 0.0775, 2e-3)
	if w.Significant(0.95) {
		t.Error("p≈0.08 is not significant at 95%")
	}
}

func TestTwoProportionZ(t *testing.T) {
	// 40/100 vs 60/100: pooled 0.5, se 0.070711, z 2.8284, p 0.00468.
	z := TwoProportionZ(40, 100, 60, 100)
	near(t, "z", z.Statistic, 2.8284, 1e-4)
	near(t, "p", z.P, 0.00468, 1e-4)
}

func TestPoissonRise(t *testing.T) {
	// P(X >= 3 | mean 1) = 1 - e^-1 (1 + 1 + 0.5) = 0.080301.
	near(t, "P(X>=3|1)", PoissonRise(3, 1), 0.080301, 1e-6)
	near(t, "P(X>=0)", PoissonRise(0, 2), 1, 0)
	if PoissonRise(30, 5) > 1e-6 {
		t.Error("a count six times its mean should be far in the tail")
	}
}
