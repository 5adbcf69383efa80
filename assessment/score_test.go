package assessment

import (
	"encoding/json"
	"errors"
	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"math"
	"slices"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

// handSheets are the ratings the hand-computed expectations below come
// from.
func handSheets() []Sheet {
	return []Sheet{
		{Participant: "p1", Ratings: []Rating{Rate("a1", 1), Rate("a1", 5), Rate("a2", 4), Rate("a3", 1).WithComment("we never do this"), RateDontKnow("a4"), Rate("b1", 3)}},
		{Participant: "p2", Ratings: []Rating{Rate("a1", 4), Rate("a2", 4), Rate("a3", 5), RateNA("a4"), Rate("b1", 3)}},
		{Participant: "p3", Ratings: []Rating{Rate("a1", 5), Rate("a2", 4), Rate("a3", 3).WithComment("depends on the shift"), Rate("a4", 2)}},
		{Participant: "p4"}, // joined but gave nothing
	}
}

func TestScoreHandComputed(t *testing.T) {
	c := loadMini(t)
	r, err := Score(c, Agree5(), handSheets(), ScoreOptions{Factors: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Participants != 3 {
		t.Errorf("Participants = %d, want 3 (p4 gave nothing)", r.Participants)
	}
	if len(r.Statements) != 7 || len(r.Factors) != 2 {
		t.Fatalf("got %d statements and %d factors, want 7 and 2 (factor c not assessed)", len(r.Statements), len(r.Factors))
	}
	tests := []struct {
		id                      string
		responses, n, na, dk    int
		mean, median, sd, share float64
		min, max, rng           int
		divergent               bool
	}{
		// a1: p1's later 5 replaces its 1 -> 5,4,5.
		{"a1", 3, 3, 0, 0, 14.0 / 3, 5, math.Sqrt(1.0 / 3), 0, 4, 5, 1, false},
		{"a2", 3, 3, 0, 0, 4, 4, 0, 0, 4, 4, 0, false},
		// a3: 1,5,3 -> variance (4+4+0)/2 = 4.
		{"a3", 3, 3, 0, 0, 3, 3, 2, 0, 1, 5, 4, true},
		// a4: one score, one not applicable, one don't know.
		{"a4", 3, 1, 1, 1, 2, 2, 0, 1.0 / 3, 2, 2, 0, false},
		{"b1", 2, 2, 0, 0, 3, 3, 0, 0, 3, 3, 0, false},
		{"b2", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false},
	}
	for _, tt := range tests {
		s, ok := r.Statement(tt.id)
		if !ok {
			t.Fatalf("no result for %s", tt.id)
		}
		if s.Responses != tt.responses || s.N != tt.n || s.NotApplicable != tt.na || s.DontKnow != tt.dk {
			t.Errorf("%s counts: responses %d n %d na %d dk %d; want %d %d %d %d", tt.id, s.Responses, s.N, s.NotApplicable, s.DontKnow, tt.responses, tt.n, tt.na, tt.dk)
		}
		if !near(s.Mean, tt.mean) || !near(s.Median, tt.median) || !near(s.StdDev, tt.sd) || !near(s.DontKnowShare, tt.share) {
			t.Errorf("%s: mean %g median %g sd %g dk share %g; want %g %g %g %g", tt.id, s.Mean, s.Median, s.StdDev, s.DontKnowShare, tt.mean, tt.median, tt.sd, tt.share)
		}
		if s.Min != tt.min || s.Max != tt.max || s.Range != tt.rng || s.Divergent != tt.divergent {
			t.Errorf("%s: min %d max %d range %d divergent %v; want %d %d %d %v", tt.id, s.Min, s.Max, s.Range, s.Divergent, tt.min, tt.max, tt.rng, tt.divergent)
		}
	}
	a3, _ := r.Statement("a3")
	wantComments := []Comment{{"p1", "we never do this"}, {"p3", "depends on the shift"}}
	if !slices.Equal(a3.Comments, wantComments) {
		t.Errorf("a3 comments = %v, want %v", a3.Comments, wantComments)
	}

	// Factor a pools 5,4,5, 4,4,4, 1,5,3, 2: mean 3.7, median 4, squared
	// deviations summing to 16.1 over 9.
	fa, _ := r.Factor("a")
	if fa.N != 10 || fa.Responses != 12 || fa.NotApplicable != 1 || fa.DontKnow != 1 {
		t.Errorf("factor a counts: %+v", fa.Summary)
	}
	if !near(fa.Mean, 3.7) || !near(fa.Median, 4) || !near(fa.StdDev, math.Sqrt(16.1/9)) || !near(fa.DontKnowShare, 1.0/12) {
		t.Errorf("factor a: mean %g median %g sd %g share %g", fa.Mean, fa.Median, fa.StdDev, fa.DontKnowShare)
	}
	if fa.Min != 1 || fa.Max != 5 || fa.Range != 4 {
		t.Errorf("factor a min/max/range = %d/%d/%d", fa.Min, fa.Max, fa.Range)
	}
	// Statement means 4.667, 4, 3, 2 -> mean 3.4167.
	if fa.StatementMeans.N != 4 || !near(fa.StatementMeans.Mean, (14.0/3+4+3+2)/4) {
		t.Errorf("factor a statement means: %+v", fa.StatementMeans)
	}
	if !slices.Equal(fa.Divergent, []string{"a3"}) {
		t.Errorf("factor a divergent = %v, want [a3]", fa.Divergent)
	}
	if r.Profile.Strongest != "a" || r.Profile.Weakest != "b" || !slices.Equal(r.Profile.Ranking, []string{"a", "b"}) {
		t.Errorf("profile = %+v", r.Profile)
	}
}

func TestScoreDivergenceThreshold(t *testing.T) {
	c := loadMini(t)
	sheets := []Sheet{
		{Participant: "x", Ratings: []Rating{Rate("a1", 2), Rate("c1", 1)}},
		{Participant: "y", Ratings: []Rating{Rate("a1", 4), Rate("c1", 2)}},
	}
	// a1: 2,4 -> sd 1.414; c1: 1,2 -> sd 0.707.
	tests := []struct {
		threshold  float64
		a1, c1     bool
		wantCutoff float64
	}{
		{0, true, false, 1},
		{1.5, false, false, 1.5},
		{0.7, true, true, 0.7},
	}
	for _, tt := range tests {
		r, err := Score(c, Agree5(), sheets, ScoreOptions{DivergenceSD: tt.threshold})
		if err != nil {
			t.Fatal(err)
		}
		a1, _ := r.Statement("a1")
		c1, _ := r.Statement("c1")
		if a1.Divergent != tt.a1 || c1.Divergent != tt.c1 || r.DivergenceSD != tt.wantCutoff {
			t.Errorf("threshold %g: a1 %v c1 %v cutoff %g; want %v %v %g", tt.threshold, a1.Divergent, c1.Divergent, r.DivergenceSD, tt.a1, tt.c1, tt.wantCutoff)
		}
	}
}

func TestScoreRejects(t *testing.T) {
	c := loadMini(t)
	tests := []struct {
		name  string
		r     Rating
		field string
		rule  string
	}{
		{"above the scale", Rate("a1", 6), "sheet[0].ratings[1].score", "must be on the scale agree5"},
		{"below the scale", Rate("a1", 0), "sheet[0].ratings[1].score", "must be on the scale agree5"},
		{"unknown statement", Rate("zz", 3), "sheet[0].ratings[1].statement", "must be a statement of catalogue mini@1"},
		{"statement outside the assessed factors", Rate("c1", 3), "sheet[0].ratings[1].statement", "must belong to a factor being assessed"},
		{"don't know with a score", Rating{Statement: "a1", Answer: AnswerKindDontKnow, Score: 3}, "sheet[0].ratings[1].score", "must be 0"},
		{"unknown answer", Rating{Statement: "a1", Answer: "maybe"}, "sheet[0].ratings[1].answer", "must be empty (a score)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sheets := []Sheet{{Participant: "p", Ratings: []Rating{Rate("a2", 3), tt.r}}}
			r, err := Score(c, Agree5(), sheets, ScoreOptions{Factors: []string{"a", "b"}})
			var ve *cxkit.ValidationError
			if !errors.As(err, &ve) || r != nil {
				t.Fatalf("got %v, %v; want a validation error and no results", r, err)
			}
			if ve.Field != tt.field || !strings.Contains(ve.Rule, tt.rule) {
				t.Errorf("got %q, want field %q and rule containing %q", err, tt.field, tt.rule)
			}
		})
	}
	if _, err := Score(c, Agree5(), nil, ScoreOptions{Factors: []string{"nope"}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown factor: %v", err)
	}
}

func TestSuggest(t *testing.T) {
	c := loadMini(t)
	r, err := Score(c, Agree5(), handSheets(), ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ss []Suggestion) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Statement)
		}
		return out
	}
	tests := []struct {
		well, better         int
		wantWell, wantBetter []string
	}{
		// Means: a1 4.67, a2 4, a3 3, a4 2.
		{2, 2, []string{"a1", "a2"}, []string{"a4", "a3"}},
		{3, 3, []string{"a1", "a2", "a3"}, []string{"a4"}},
		{1, 1, []string{"a1"}, []string{"a4"}},
		{0, 2, nil, []string{"a4", "a3"}},
	}
	for _, tt := range tests {
		w, b, err := r.Suggest("a", tt.well, tt.better)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(w), tt.wantWell) || !slices.Equal(ids(b), tt.wantBetter) {
			t.Errorf("Suggest(a, %d, %d) = %v / %v, want %v / %v", tt.well, tt.better, ids(w), ids(b), tt.wantWell, tt.wantBetter)
		}
	}
	_, b, _ := r.Suggest("a", 2, 2)
	if !strings.Contains(b[1].Reason, "opinions differ") {
		t.Errorf("a3's reason %q does not mention the divergence", b[1].Reason)
	}
	if !strings.Contains(b[0].Reason, "1 of 3 answered don't know") {
		t.Errorf("a4's reason %q does not mention don't know", b[0].Reason)
	}
	// Statements nobody scored are never suggested.
	w, b, _ := r.Suggest("b", 3, 3)
	if !slices.Equal(ids(w), []string{"b1"}) || len(b) != 0 {
		t.Errorf("Suggest(b) = %v / %v, want [b1] / []", ids(w), ids(b))
	}
	if _, _, err := r.Suggest("zz", 3, 3); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown factor: %v", err)
	}
}

func TestSuggestTies(t *testing.T) {
	c := loadMini(t)
	// a1: 4,4 (mean 4, sd 0); a2: 3,5 (mean 4, sd 1.41); a3: 4,4 (mean 4,
	// sd 0, later in catalogue); a4: 1,3 (mean 2).
	sheets := []Sheet{
		{Participant: "x", Ratings: []Rating{Rate("a1", 4), Rate("a2", 3), Rate("a3", 4), Rate("a4", 1)}},
		{Participant: "y", Ratings: []Rating{Rate("a1", 4), Rate("a2", 5), Rate("a3", 4), Rate("a4", 3)}},
	}
	r, err := Score(c, Agree5(), sheets, ScoreOptions{Factors: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	w, b, _ := r.Suggest("a", 2, 1)
	if len(w) != 2 || w[0].Statement != "a1" || w[1].Statement != "a3" {
		t.Fatalf("wells = %+v, want a1 then a3 (agreement, then catalogue order)", w)
	}
	if !strings.Contains(w[1].Reason, "same mean as #1, placed after it for catalogue order") {
		t.Errorf("a3 reason = %q", w[1].Reason)
	}
	if !strings.Contains(w[1].Reason, "#2 has the same mean and was left out for less agreement") {
		t.Errorf("a3 reason does not explain the cut: %q", w[1].Reason)
	}
	if len(b) != 1 || b[0].Statement != "a4" {
		t.Errorf("betters = %+v, want a4", b)
	}
}

func TestResultsEncodeAsJSON(t *testing.T) {
	c := loadMini(t)
	// b2 has no scores and a4 one: nothing may be NaN, or encoding fails.
	r, err := Score(c, Agree5(), handSheets(), ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(Compare(r, r, 0)); err != nil {
		t.Fatal(err)
	}
}
