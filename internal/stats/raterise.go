package stats

import "math"

// RateRise tests whether a count observed in one period is higher than a
// baseline of earlier periods explains, when the baseline is itself a
// count with its own noise: baseline items over baselinePeriods periods of
// the same length. It is the exact conditional test of two Poisson rates
// (Przyborowski and Wilenski): given the total n = observed + baseline,
// the observed count is Binomial(n, 1/(1+baselinePeriods)) when the rate
// has not changed, and the one-sided p-value is P(X >= observed). Unlike
// PoissonRise it does not treat the baseline mean as known, so a short or
// small baseline does not make ordinary noise look like a rise.
func RateRise(observed, baseline int, baselinePeriods float64) float64 {
	if observed <= 0 {
		return 1
	}
	if baseline < 0 {
		baseline = 0
	}
	if !(baselinePeriods > 0) {
		return math.NaN()
	}
	n := observed + baseline
	p := 1 / (1 + baselinePeriods)
	lp, lq := math.Log(p), math.Log1p(-p)
	lgN, _ := math.Lgamma(float64(n + 1))
	var tail float64
	for k := observed; k <= n; k++ {
		lk, _ := math.Lgamma(float64(k + 1))
		lnk, _ := math.Lgamma(float64(n - k + 1))
		tail += math.Exp(lgN - lk - lnk + float64(k)*lp + float64(n-k)*lq)
	}
	return math.Min(1, tail)
}
