package survey

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol || math.IsNaN(got) != math.IsNaN(want) {
		t.Errorf("%s = %.6f, want %.6f (±%g)", name, got, want, tol)
	}
}

// Ten answers: five promoters (10,10,9,9,10), two passives (8,7), three
// detractors (6,5,0). NPS = 50% - 30% = 20. Adjusted Wald by hand: n' = 13,
// p = 5.75/13, d = 3.75/13, NPS' = 2/13, var = (9.5/13 - (2/13)^2)/13,
// bounds 2/13 ± 1.959964*sqrt(var) = -30.326 .. 61.095 points.
var npsWaveA = []int{10, 10, 9, 8, 7, 6, 5, 0, 9, 10}

func TestNPSHandComputed(t *testing.T) {
	s, err := NPS(npsWaveA, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 10 || s.Promoters != 5 || s.Passives != 2 || s.Detractors != 3 {
		t.Fatalf("counts = %+v", s)
	}
	near(t, "score", s.Score, 20, 1e-9)
	near(t, "low", s.Low, -30.32599, 1e-4)
	near(t, "high", s.High, 61.09523, 1e-4)
}

func TestNPSEdges(t *testing.T) {
	s, err := NPS(nil, 0.95)
	if err != nil || s.N != 0 || !math.IsNaN(s.Score) {
		t.Fatalf("empty: %+v %v", s, err)
	}
	// All promoters: the interval must stay inside the scale.
	s, _ = NPS([]int{10, 10, 10}, 0.95)
	if s.Score != 100 || s.High > 100 || s.Low < -100 || s.Low >= 100 {
		t.Fatalf("all promoters: %+v", s)
	}
	for _, bad := range [][]int{{11}, {-1}, {5, 12}} {
		_, err := NPS(bad, 0.95)
		var ve *cxkit.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, store.ErrInvalid) || !strings.Contains(ve.Rule, "between 0 and 10") {
			t.Errorf("NPS(%v) error = %v", bad, err)
		}
	}
	if _, err := NPS([]int{5}, 1.5); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("confidence 1.5 accepted: %v", err)
	}
}

func TestCSATHandComputed(t *testing.T) {
	// 5 of 8 answers are 4 or 5: 62.5%; Wilson 95% by hand 30.574 .. 86.316.
	s, err := CSAT([]int{5, 4, 4, 3, 2, 5, 5, 1}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 8 || s.Satisfied != 5 {
		t.Fatalf("%+v", s)
	}
	near(t, "percent", s.Percent, 62.5, 1e-9)
	near(t, "low", s.Low, 30.57424, 1e-4)
	near(t, "high", s.High, 86.31557, 1e-4)
	if _, err := CSAT([]int{0}, 0.95); !errors.Is(err, store.ErrInvalid) {
		t.Error("CSAT 0 accepted")
	}
	if _, err := CSAT([]int{6}, 0.95); !errors.Is(err, store.ErrInvalid) {
		t.Error("CSAT 6 accepted")
	}
}

func TestCESHandComputed(t *testing.T) {
	// 7,6,5,4,3: mean 5, sd sqrt(2.5), se sqrt(0.5), t(0.975, 4) = 2.776445,
	// so 5 ± 1.963243; 3 of 5 agree (5 or more).
	s, err := CES([]int{7, 6, 5, 4, 3}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean", s.Mean, 5, 1e-12)
	near(t, "mean low", s.MeanLow, 5-2.776445*math.Sqrt(0.5), 1e-4)
	near(t, "mean high", s.MeanHigh, 5+2.776445*math.Sqrt(0.5), 1e-4)
	near(t, "agree", s.Agree, 60, 1e-9)
	if _, err := CES([]int{8}, 0.95); !errors.Is(err, store.ErrInvalid) {
		t.Error("CES 8 accepted")
	}
}

func TestCompareNPS(t *testing.T) {
	// Wave B: 16 promoters, 2 passives, 2 detractors of 20: NPS 70. By hand
	// z = (NPS'_B - NPS'_A)/sqrt(var_A + var_B) = 1.65927, p = 0.097061.
	var b []int
	for range 16 {
		b = append(b, 10)
	}
	b = append(b, 8, 7, 3, 2)
	c, err := CompareNPS(npsWaveA, b, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "before", c.Before, 20, 1e-9)
	near(t, "after", c.After, 70, 1e-9)
	near(t, "z", c.Statistic, 1.659270, 1e-5)
	near(t, "p", c.P, 0.097061, 1e-5)
	if c.Significant || !strings.Contains(c.Verdict, "could be chance") {
		t.Errorf("at 95%%: %+v", c)
	}
	c, _ = CompareNPS(npsWaveA, b, 0.90)
	if !c.Significant || !strings.Contains(c.Verdict, "rose") || !strings.Contains(c.Verdict, "real change") {
		t.Errorf("at 90%%: %+v", c)
	}
	if _, err := CompareNPS(nil, b, 0.95); !errors.Is(err, store.ErrInvalid) {
		t.Error("empty wave accepted")
	}
}

func TestCompareCSATAndCES(t *testing.T) {
	// 5/8 against 18/20: pooled p = 23/28; z = 0.275/sqrt(p(1-p)(1/8+1/20)).
	a := []int{5, 4, 4, 3, 2, 5, 5, 1}
	var b []int
	for range 18 {
		b = append(b, 5)
	}
	b = append(b, 1, 2)
	c, err := CompareCSAT(a, b, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	p := 23.0 / 28
	wantZ := 0.275 / math.Sqrt(p*(1-p)*(1.0/8+1.0/20))
	near(t, "csat z", c.Statistic, wantZ, 1e-9)
	near(t, "csat change", c.Change, 27.5, 1e-9)

	ce, err := CompareCES([]int{3, 4, 3, 4, 3, 4}, []int{6, 7, 6, 7, 6, 7}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if !ce.Significant || ce.Change != 3 || ce.Test != "Welch t" {
		t.Errorf("CES: %+v", ce)
	}
}

func TestPlanning(t *testing.T) {
	tests := []struct {
		margin, conf float64
		pop, want    int
	}{
		{0.05, 0.95, 0, 385},    // 1.959964^2/4/0.0025 = 384.15
		{0.05, 0.95, 1000, 278}, // 384.15/(1+383.15/1000) = 277.73
		{0.03, 0.95, 0, 1068},   // 1067.07
		{0.05, 0.99, 0, 664},    // 2.575829^2/4/0.0025 = 663.49
		{0.05, 0.95, 50, 45},    // 384.15/(1+383.15/50) = 44.34
	}
	for _, tt := range tests {
		got, err := ResponsesNeeded(tt.margin, tt.conf, tt.pop)
		if err != nil || got != tt.want {
			t.Errorf("ResponsesNeeded(%g, %g, %d) = %d, %v; want %d", tt.margin, tt.conf, tt.pop, got, err, tt.want)
		}
	}
	if n, _ := InvitationsNeeded(100, 1.0/3); n != 300 {
		t.Errorf("100 at one in three = %d invitations, want 300", n)
	}
	// 100/0.33 = 303.03: rounding up, 304.
	if n, _ := InvitationsNeeded(100, 0.33); n != 304 {
		t.Errorf("100 at 33%% = %d invitations, want 304", n)
	}
	if n, _ := InvitationsNeeded(278, 0.25); n != 1112 {
		t.Errorf("278 at 25%% = %d, want 1112", n)
	}
	for _, bad := range []func() error{
		func() error { _, err := ResponsesNeeded(0, 0.95, 0); return err },
		func() error { _, err := ResponsesNeeded(0.05, 1, 0); return err },
		func() error { _, err := ResponsesNeeded(0.05, 0.95, -1); return err },
		func() error { _, err := InvitationsNeeded(10, 0); return err },
		func() error { _, err := InvitationsNeeded(-1, 0.5); return err },
	} {
		if err := bad(); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("bad planning input accepted: %v", err)
		}
	}
}
