package assessment

import (
	"fmt"
	"github.com/cxkit/cxkit"
	"slices"

	"github.com/cxkit/cxkit/internal/stats"
)

// Summary is the spread of the scores one statement, or one factor, got.
// With no scores every number is 0 and N tells why.
type Summary struct {
	// Responses counts every answer given, including "not applicable" and
	// "don't know".
	Responses int `json:"responses"`
	// N counts the scores: the answers that were on the scale.
	N             int `json:"n"`
	NotApplicable int `json:"not_applicable"`
	DontKnow      int `json:"dont_know"`
	// DontKnowShare is AnswerKindDontKnow / Responses, 0 with no responses. A high
	// share means the team lacks the information to judge.
	DontKnowShare float64 `json:"dont_know_share"`
	Mean          float64 `json:"mean"`
	Median        float64 `json:"median"`
	// StdDev is the sample standard deviation; 0 with fewer than two
	// scores.
	StdDev float64 `json:"std_dev"`
	// Variance is StdDev squared, kept for comparisons between
	// assessments.
	Variance float64 `json:"variance"`
	Min      int     `json:"min"`
	Max      int     `json:"max"`
	// Range is Max - Min.
	Range int `json:"range"`
}

// StatementResult is what a team said about one statement.
type StatementResult struct {
	Factor    string `json:"factor"`
	Statement string `json:"statement"`
	Number    int    `json:"number"`
	Text      string `json:"text"`
	Summary
	// Divergent is set when opinions differ enough that the team should
	// talk it through before drawing conclusions (see ScoreOptions).
	Divergent bool      `json:"divergent"`
	Comments  []Comment `json:"comments,omitempty"`
}

// A Comment is a participant's remark on a statement.
type Comment struct {
	Participant string `json:"participant"`
	Text        string `json:"text"`
}

// FactorResult pools every score given to the statements of one factor.
type FactorResult struct {
	Factor string `json:"factor"`
	Number int    `json:"number"`
	Title  string `json:"title"`
	Summary
	// StatementMeans summarises the statements' means (N is the number of
	// statements with at least one score), for readers who want every
	// statement to weigh the same whatever its response count.
	StatementMeans Summary `json:"statement_means"`
	// Divergent lists the statements flagged as divergent, most divided
	// first.
	Divergent []string `json:"divergent,omitempty"`
}

// Results are the scores of one assessment: per statement, per factor and
// the team's profile across factors.
type Results struct {
	Assessment string `json:"assessment"`
	Scale      Scale  `json:"scale"`
	// Participants counts the participants who gave at least one answer.
	Participants int `json:"participants"`
	// Statements are in catalogue order.
	Statements []StatementResult `json:"statements"`
	// Factors are in catalogue order.
	Factors []FactorResult `json:"factors"`
	// Profile ranks the factors from strongest to weakest.
	Profile Profile `json:"profile"`
	// DivergenceSD is the standard deviation at or above which a statement
	// was flagged as divergent.
	DivergenceSD float64 `json:"divergence_sd"`
}

// Profile is the team's overview across factors.
type Profile struct {
	// Ranking lists factor IDs by pooled mean, highest first; ties go to
	// the factor with more agreement (smaller spread), then to catalogue
	// order. Factors without scores are left out.
	Ranking []string `json:"ranking"`
	// Strongest and Weakest are the first and last of Ranking ("" if none
	// was scored).
	Strongest string `json:"strongest"`
	Weakest   string `json:"weakest"`
}

// ScoreOptions tune Score.
type ScoreOptions struct {
	// DivergenceSD flags a statement whose scores have a standard
	// deviation at or above it. 0 means a quarter of the scale's span (1.0
	// on the 1-5 scale): on a 1-5 scale a team split between 2s and 4s has
	// a deviation near 1.1, a team scattered one point either side of its
	// mean near 0.7.
	DivergenceSD float64
	// Factors limits scoring to these factor IDs; nil means every factor.
	Factors []string
}

// Sheet is one participant's ratings in one assessment.
type Sheet struct {
	Participant string   `json:"participant"`
	Ratings     []Rating `json:"ratings"`
	// History is the sheet's audit trail when it comes from the Service
	// (see Service.Rate); Score ignores it.
	History []cxkit.HistoryEntry `json:"history,omitempty"`
}

// Score computes the results of the sheets against catalogue c on scale s.
// It checks every rating first: an unknown statement, a statement outside
// opts.Factors or a score off the scale is an error and no results are
// returned. A participant's later rating of a statement replaces an earlier
// one.
func Score(c *Catalogue, s Scale, sheets []Sheet, opts ScoreOptions) (*Results, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	sc, err := newScorer(c, opts.Factors)
	if err != nil {
		return nil, err
	}
	threshold := opts.DivergenceSD
	if threshold <= 0 {
		threshold = float64(s.Span()) / 4
	}
	n := len(sc.stmts)
	scores := make([][]float64, n)
	na := make([]int, n)
	dk := make([]int, n)
	comments := make([][]Comment, n)
	// stamp[i] == pi+1 marks statement i as answered on sheet pi, and
	// pos[i] is where its last answer on that sheet is: a slice-based
	// "later replaces earlier" that costs no map per sheet.
	stamp := make([]int, n)
	pos := make([]int, n)
	var touched []int
	answered := 0
	for pi, sh := range sheets {
		touched = touched[:0]
		for ri, r := range sh.Ratings {
			idx, err := sc.check(r, s)
			if err != nil {
				err.Field = fmt.Sprintf("sheet[%d].ratings[%d].%s", pi, ri, err.Field)
				return nil, err
			}
			if stamp[idx] != pi+1 {
				stamp[idx] = pi + 1
				touched = append(touched, idx)
			}
			pos[idx] = ri
		}
		if len(touched) > 0 {
			answered++
		}
		for _, idx := range touched {
			r := sh.Ratings[pos[idx]]
			switch r.Answer {
			case AnswerKindNotApplicable:
				na[idx]++
			case AnswerKindDontKnow:
				dk[idx]++
			default:
				scores[idx] = append(scores[idx], float64(r.Score))
			}
			if r.Comment != "" {
				comments[idx] = append(comments[idx], Comment{Participant: sh.Participant, Text: r.Comment})
			}
		}
	}
	res := &Results{Scale: s, Participants: answered, DivergenceSD: threshold}
	res.Statements = make([]StatementResult, n)
	factorScores := make([][]float64, len(sc.factors))
	factorSum := make([]Summary, len(sc.factors))
	for i, st := range sc.stmts {
		sum := summarise(scores[i], na[i], dk[i])
		res.Statements[i] = StatementResult{
			Factor: st.factor.ID, Statement: st.s.ID, Number: st.s.Number, Text: st.s.Text,
			Summary: sum, Divergent: sum.N >= 2 && sum.StdDev >= threshold, Comments: comments[i],
		}
		fi := st.fi
		factorScores[fi] = append(factorScores[fi], scores[i]...)
		factorSum[fi].NotApplicable += na[i]
		factorSum[fi].DontKnow += dk[i]
	}
	res.Factors = make([]FactorResult, len(sc.factors))
	for fi, f := range sc.factors {
		fr := FactorResult{Factor: f.ID, Number: f.Number, Title: f.Title,
			Summary: summarise(factorScores[fi], factorSum[fi].NotApplicable, factorSum[fi].DontKnow)}
		var means []float64
		for i := sc.first[fi]; i < sc.first[fi]+len(f.Statements); i++ {
			sr := res.Statements[i]
			if sr.N > 0 {
				means = append(means, sr.Mean)
			}
			if sr.Divergent {
				fr.Divergent = append(fr.Divergent, sr.Statement)
			}
		}
		fr.StatementMeans = summariseFloats(means)
		slices.SortStableFunc(fr.Divergent, func(a, b string) int {
			return cmpFloat(res.Statements[sc.index[b]].StdDev, res.Statements[sc.index[a]].StdDev)
		})
		res.Factors[fi] = fr
	}
	res.Profile = profile(res.Factors)
	return res, nil
}

// scorer resolves statement IDs to positions in catalogue order, limited
// to the chosen factors.
type scorer struct {
	factors []*Factor
	first   []int // index of each factor's first statement in stmts
	stmts   []scoredStatement
	index   map[string]int
	all     *Catalogue
}

type scoredStatement struct {
	s      *Statement
	factor *Factor
	fi     int
}

func newScorer(c *Catalogue, factors []string) (*scorer, error) {
	sc := &scorer{index: map[string]int{}, all: c}
	want := map[string]bool{}
	for i, id := range factors {
		if _, ok := c.Factor(id); !ok {
			return nil, invalidf(fmt.Sprintf("factors[%d]", i), "must be a factor of catalogue %s, got %q", c.Key(), id)
		}
		want[id] = true
	}
	for i := range c.Factors {
		f := &c.Factors[i]
		if len(want) > 0 && !want[f.ID] {
			continue
		}
		fi := len(sc.factors)
		sc.factors = append(sc.factors, f)
		sc.first = append(sc.first, len(sc.stmts))
		for k := range f.Statements {
			sc.index[f.Statements[k].ID] = len(sc.stmts)
			sc.stmts = append(sc.stmts, scoredStatement{s: &f.Statements[k], factor: f, fi: fi})
		}
	}
	return sc, nil
}

// check validates one rating against the catalogue, the factors in scope
// and the scale, returning the statement's position. The error's Field is
// relative to the rating ("score"); the caller prefixes where it is.
func (sc *scorer) check(r Rating, s Scale) (int, *cxkit.ValidationError) {
	idx, ok := sc.index[r.Statement]
	if !ok {
		if _, f, in := sc.all.Statement(r.Statement); in {
			return 0, invalidf("statement", "must belong to a factor being assessed; %q is in factor %q, which is not", r.Statement, f.ID)
		}
		return 0, invalidf("statement", "must be a statement of catalogue %s, got %q", sc.all.Key(), r.Statement)
	}
	switch r.Answer {
	case AnswerKindScored:
		if !s.Has(r.Score) {
			return 0, invalidf("score", "must be on the scale %s, from %s; got %d", s.ID, s.describe(), r.Score)
		}
	case AnswerKindNotApplicable, AnswerKindDontKnow:
		if r.Score != 0 {
			return 0, invalidf("score", "must be 0 when the answer is %q, got %d", r.Answer, r.Score)
		}
	default:
		return 0, invalidf("answer", "must be empty (a score), %q or %q; got %q", AnswerKindNotApplicable, AnswerKindDontKnow, r.Answer)
	}
	return idx, nil
}

func summarise(scores []float64, na, dk int) Summary {
	sum := summariseFloats(scores)
	sum.NotApplicable, sum.DontKnow = na, dk
	sum.Responses = sum.N + na + dk
	if sum.Responses > 0 {
		sum.DontKnowShare = float64(dk) / float64(sum.Responses)
	}
	return sum
}

func summariseFloats(xs []float64) Summary {
	sum := Summary{N: len(xs), Responses: len(xs)}
	if len(xs) == 0 {
		return sum
	}
	sum.Mean = stats.Mean(xs)
	sum.Median = stats.Median(xs)
	if len(xs) >= 2 {
		sum.Variance = stats.Variance(xs)
		sum.StdDev = stats.StdDev(xs)
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	sum.Min, sum.Max, sum.Range = int(lo), int(hi), int(hi-lo)
	return sum
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func profile(fs []FactorResult) Profile {
	var scored []FactorResult
	for _, f := range fs {
		if f.N > 0 {
			scored = append(scored, f)
		}
	}
	slices.SortStableFunc(scored, func(a, b FactorResult) int {
		if c := cmpFloat(b.Mean, a.Mean); c != 0 {
			return c
		}
		if c := cmpFloat(a.StdDev, b.StdDev); c != 0 {
			return c
		}
		return a.Number - b.Number
	})
	p := Profile{Ranking: make([]string, len(scored))}
	for i, f := range scored {
		p.Ranking[i] = f.Factor
	}
	if len(scored) > 0 {
		p.Strongest, p.Weakest = scored[0].Factor, scored[len(scored)-1].Factor
	}
	return p
}

// Statement returns the result for one statement.
func (r *Results) Statement(id string) (StatementResult, bool) {
	for _, s := range r.Statements {
		if s.Statement == id {
			return s, true
		}
	}
	return StatementResult{}, false
}

// Factor returns the result for one factor.
func (r *Results) Factor(id string) (FactorResult, bool) {
	for _, f := range r.Factors {
		if f.Factor == id {
			return f, true
		}
	}
	return FactorResult{}, false
}

// factorStatements returns the statement results of one factor, in
// catalogue order.
func (r *Results) factorStatements(id string) []StatementResult {
	var out []StatementResult
	for _, s := range r.Statements {
		if s.Factor == id {
			out = append(out, s)
		}
	}
	return out
}
