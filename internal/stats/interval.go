package stats

import "math"

// An Interval is a confidence interval around an estimate.
type Interval struct {
	Estimate float64
	Low      float64
	High     float64
	Level    float64 // e.g. 0.95
}

// Wilson is the Wilson score interval for a proportion of successes out of
// n at confidence level conf. It behaves well near 0 and 1 and for small n,
// where the plain Wald interval does not. n == 0 gives NaNs.
func Wilson(successes, n int, conf float64) Interval {
	if n <= 0 {
		return Interval{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN(), Level: conf}
	}
	z := TwoSidedZ(conf)
	nf := float64(n)
	p := float64(successes) / nf
	den := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return Interval{Estimate: p, Low: math.Max(0, centre-half), High: math.Min(1, centre+half), Level: conf}
}

// MeanT is the t interval for the mean of xs at confidence level conf;
// fewer than two values give NaN bounds.
func MeanT(xs []float64, conf float64) Interval {
	m := Mean(xs)
	if len(xs) < 2 {
		return Interval{Estimate: m, Low: math.NaN(), High: math.NaN(), Level: conf}
	}
	se := StdDev(xs) / math.Sqrt(float64(len(xs)))
	t := StudentTQuantile(1-(1-conf)/2, float64(len(xs)-1))
	return Interval{Estimate: m, Low: m - t*se, High: m + t*se, Level: conf}
}

// A Test is the outcome of a two-sample test.
type Test struct {
	Statistic float64 // z or t
	DF        float64 // degrees of freedom, for t tests; 0 for z tests
	P         float64 // two-sided p-value
}

// Significant reports whether the test rejects "no difference" at
// confidence level conf.
func (t Test) Significant(conf float64) bool { return t.P < 1-conf }

// Welch is Welch's unequal-variances t test of two means from their
// summaries (mean, sample variance, count). Either count below two gives a
// NaN test.
func Welch(m1, v1 float64, n1 int, m2, v2 float64, n2 int) Test {
	if n1 < 2 || n2 < 2 {
		return Test{Statistic: math.NaN(), DF: math.NaN(), P: math.NaN()}
	}
	a, b := v1/float64(n1), v2/float64(n2)
	se := math.Sqrt(a + b)
	if se == 0 {
		if m1 == m2 {
			return Test{Statistic: 0, DF: float64(n1 + n2 - 2), P: 1}
		}
		return Test{Statistic: math.Copysign(math.Inf(1), m2-m1), DF: float64(n1 + n2 - 2), P: 0}
	}
	t := (m2 - m1) / se
	df := (a + b) * (a + b) / (a*a/float64(n1-1) + b*b/float64(n2-1))
	return Test{Statistic: t, DF: df, P: 2 * StudentTCDF(-math.Abs(t), df)}
}

// WelchSamples is Welch for two samples.
func WelchSamples(x, y []float64) Test {
	return Welch(Mean(x), Variance(x), len(x), Mean(y), Variance(y), len(y))
}

// TwoProportionZ is the pooled two-proportion z test of x1/n1 against
// x2/n2; the statistic is positive when the second proportion is higher.
func TwoProportionZ(x1, n1, x2, n2 int) Test {
	if n1 <= 0 || n2 <= 0 {
		return Test{Statistic: math.NaN(), P: math.NaN()}
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	p := float64(x1+x2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return Test{Statistic: 0, P: 1}
	}
	z := (p2 - p1) / se
	return Test{Statistic: z, P: 2 * NormalCDF(-math.Abs(z))}
}

// PoissonRise tests whether a count observed now is higher than a baseline
// rate would explain: the one-sided p-value P(X >= observed) for X Poisson
// with mean expected. Used for "is this category really rising" alerts,
// where one spike of a small count must not trigger.
func PoissonRise(observed int, expected float64) float64 {
	if observed <= 0 {
		return 1
	}
	if expected <= 0 {
		return 0
	}
	// P(X >= k) = 1 - P(X <= k-1), summed in log space for stability.
	var cdf float64
	logTerm := -expected // log P(X=0)
	for i := 0; i < observed; i++ {
		if i > 0 {
			logTerm += math.Log(expected) - math.Log(float64(i))
		}
		cdf += math.Exp(logTerm)
	}
	return math.Max(0, 1-cdf)
}
