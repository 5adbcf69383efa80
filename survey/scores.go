package survey

import (
	"fmt"
	"math"

	"github.com/cxkit/cxkit/internal/stats"
)

// NPSScore is a Net Promoter Score from answers on the 0-10 scale.
type NPSScore struct {
	N          int // answered responses
	Promoters  int // 9 or 10
	Passives   int // 7 or 8
	Detractors int // 0 to 6
	// Score is % promoters minus % detractors, from -100 to 100; NaN when
	// N is 0.
	Score float64
	// Low and High bound Score at Level confidence by the adjusted-Wald
	// method (see NPS).
	Low, High, Level float64
}

// NPS scores 0-10 answers. Values outside 0-10 are an error, not ignored,
// because they mean the data came from another scale.
//
// The interval is the adjusted-Wald interval for a difference of two
// proportions from one multinomial sample: with n' = n+3, p = (promoters +
// 3/4)/n' and d = (detractors + 3/4)/n', NPS' = p - d, variance (p + d -
// (p-d)^2)/n', bounds NPS' +- z*sqrt(variance), clipped to [-100, 100]. It
// keeps its coverage for small samples and extreme scores where the plain
// Wald interval collapses.
func NPS(values []int, conf float64) (NPSScore, error) {
	var s NPSScore
	for i, v := range values {
		switch {
		case v < 0 || v > 10:
			return NPSScore{}, invalidf(fmt.Sprintf("nps[%d]", i), "must be between 0 and 10, got %d", v)
		case v >= 9:
			s.Promoters++
		case v >= 7:
			s.Passives++
		default:
			s.Detractors++
		}
	}
	if err := checkConf(conf); err != nil {
		return NPSScore{}, err
	}
	s.N, s.Level = len(values), conf
	if s.N == 0 {
		s.Score, s.Low, s.High = math.NaN(), math.NaN(), math.NaN()
		return s, nil
	}
	s.Score = 100 * float64(s.Promoters-s.Detractors) / float64(s.N)
	est, v := adjustedWaldNPS(s.Promoters, s.Detractors, s.N)
	half := stats.TwoSidedZ(conf) * math.Sqrt(v)
	s.Low = 100 * math.Max(-1, est-half)
	s.High = 100 * math.Min(1, est+half)
	return s, nil
}

// adjustedWaldNPS returns the adjusted NPS (as a fraction) and its variance.
func adjustedWaldNPS(promoters, detractors, n int) (est, variance float64) {
	nn := float64(n) + 3
	p := (float64(promoters) + 0.75) / nn
	d := (float64(detractors) + 0.75) / nn
	est = p - d
	return est, (p + d - est*est) / nn
}

func checkConf(conf float64) error {
	if !(conf > 0 && conf < 1) {
		return invalidf("confidence", "must be between 0 and 1 exclusive (e.g. 0.95), got %g", conf)
	}
	return nil
}

// CSATScore is a customer satisfaction score from answers on the 1-5 scale.
type CSATScore struct {
	N         int
	Satisfied int // answers of 4 or 5
	// Percent is 100*Satisfied/N; NaN when N is 0.
	Percent float64
	// Low and High bound Percent by the Wilson interval.
	Low, High, Level float64
}

// CSAT scores 1-5 answers: the percentage of 4s and 5s, with its Wilson
// interval.
func CSAT(values []int, conf float64) (CSATScore, error) {
	var s CSATScore
	for i, v := range values {
		if v < 1 || v > 5 {
			return CSATScore{}, invalidf(fmt.Sprintf("csat[%d]", i), "must be between 1 and 5, got %d", v)
		}
		if v >= 4 {
			s.Satisfied++
		}
	}
	if err := checkConf(conf); err != nil {
		return CSATScore{}, err
	}
	s.N, s.Level = len(values), conf
	iv := stats.Wilson(s.Satisfied, s.N, conf)
	s.Percent, s.Low, s.High = 100*iv.Estimate, 100*iv.Low, 100*iv.High
	return s, nil
}

// CESScore is a customer effort score from answers on the 1-7 agreement
// scale ("the organisation made it easy to handle my issue").
type CESScore struct {
	N int
	// Mean of the answers with its t interval.
	Mean, MeanLow, MeanHigh float64
	// Agree is the percentage answering 5, 6 or 7, with its Wilson
	// interval.
	Agree, AgreeLow, AgreeHigh float64
	Level                      float64
}

// CES scores 1-7 answers both as a mean and as a percentage agreeing.
func CES(values []int, conf float64) (CESScore, error) {
	xs := make([]float64, len(values))
	agree := 0
	for i, v := range values {
		if v < 1 || v > 7 {
			return CESScore{}, invalidf(fmt.Sprintf("ces[%d]", i), "must be between 1 and 7, got %d", v)
		}
		xs[i] = float64(v)
		if v >= 5 {
			agree++
		}
	}
	if err := checkConf(conf); err != nil {
		return CESScore{}, err
	}
	m := stats.MeanT(xs, conf)
	w := stats.Wilson(agree, len(values), conf)
	return CESScore{
		N: len(values), Mean: m.Estimate, MeanLow: m.Low, MeanHigh: m.High,
		Agree: 100 * w.Estimate, AgreeLow: 100 * w.Low, AgreeHigh: 100 * w.High, Level: conf,
	}, nil
}

// A Comparison is the outcome of comparing a score between two waves.
type Comparison struct {
	Metric string  // "nps", "csat" or "ces"
	Before float64 // the first wave's score
	After  float64 // the second wave's score
	// Change is After - Before (points for NPS and CSAT, scale units for
	// the CES mean).
	Change      float64
	Test        string  // which test was used
	Statistic   float64 // z or t
	P           float64 // two-sided p-value
	Level       float64 // the confidence asked for
	Significant bool
	// Verdict says the result in plain language.
	Verdict string
}

// CompareNPS compares two waves' NPS answers with the adjusted-Wald z test:
// the difference of the adjusted scores over the square root of the sum of
// their variances.
func CompareNPS(before, after []int, conf float64) (Comparison, error) {
	a, err := NPS(before, conf)
	if err != nil {
		return Comparison{}, err
	}
	b, err := NPS(after, conf)
	if err != nil {
		return Comparison{}, err
	}
	if a.N == 0 || b.N == 0 {
		return Comparison{}, invalidf("waves", "must both have answers (got %d and %d)", a.N, b.N)
	}
	e1, v1 := adjustedWaldNPS(a.Promoters, a.Detractors, a.N)
	e2, v2 := adjustedWaldNPS(b.Promoters, b.Detractors, b.N)
	z := (e2 - e1) / math.Sqrt(v1+v2)
	p := 2 * stats.NormalCDF(-math.Abs(z))
	return verdict("nps", "NPS", "points", a.Score, b.Score, "adjusted-Wald z", z, p, conf), nil
}

// CompareCSAT compares two waves' CSAT answers with the two-proportion z
// test.
func CompareCSAT(before, after []int, conf float64) (Comparison, error) {
	a, err := CSAT(before, conf)
	if err != nil {
		return Comparison{}, err
	}
	b, err := CSAT(after, conf)
	if err != nil {
		return Comparison{}, err
	}
	if a.N == 0 || b.N == 0 {
		return Comparison{}, invalidf("waves", "must both have answers (got %d and %d)", a.N, b.N)
	}
	t := stats.TwoProportionZ(a.Satisfied, a.N, b.Satisfied, b.N)
	return verdict("csat", "CSAT", "points", a.Percent, b.Percent, "two-proportion z", t.Statistic, t.P, conf), nil
}

// CompareCES compares two waves' CES means with Welch's t test.
func CompareCES(before, after []int, conf float64) (Comparison, error) {
	a, err := CES(before, conf)
	if err != nil {
		return Comparison{}, err
	}
	b, err := CES(after, conf)
	if err != nil {
		return Comparison{}, err
	}
	if a.N < 2 || b.N < 2 {
		return Comparison{}, invalidf("waves", "must both have at least two answers (got %d and %d)", a.N, b.N)
	}
	t := stats.WelchSamples(toFloats(before), toFloats(after))
	return verdict("ces", "mean CES", "", a.Mean, b.Mean, "Welch t", t.Statistic, t.P, conf), nil
}

func toFloats(v []int) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func verdict(metric, name, unit string, before, after float64, test string, stat, p, conf float64) Comparison {
	c := Comparison{Metric: metric, Before: before, After: after, Change: after - before,
		Test: test, Statistic: stat, P: p, Level: conf, Significant: p < 1-conf}
	u := ""
	if unit != "" {
		u = " " + unit
	}
	dir := "rose"
	if c.Change < 0 {
		dir = "fell"
	}
	if c.Significant {
		c.Verdict = fmt.Sprintf("%s %s from %.1f to %.1f (%+.1f%s); at %.0f%% confidence this is a real change, not chance (%s test, p = %.3g).",
			name, dir, before, after, c.Change, u, 100*conf, test, p)
	} else {
		c.Verdict = fmt.Sprintf("%s went from %.1f to %.1f (%+.1f%s); at %.0f%% confidence this could be chance, so treat the waves as the same (%s test, p = %.3g).",
			name, before, after, c.Change, u, 100*conf, test, p)
	}
	return c
}
