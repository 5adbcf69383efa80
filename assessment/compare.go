package assessment

import (
	"context"
	"math"

	"github.com/cxkit/cxkit/internal/stats"
)

// DefaultConfidence is the confidence level at which a change counts as
// larger than noise.
const DefaultConfidence = 0.95

// ScoreChange is how the scores of one statement or factor moved between
// two assessments.
type ScoreChange struct {
	Factor string `json:"factor"`
	// Statement is "" for a factor's change.
	Statement string  `json:"statement,omitempty"`
	Number    int     `json:"number"`
	Before    Summary `json:"before"`
	After     Summary `json:"after"`
	// Delta is After.Mean - Before.Mean; 0 when either has no scores.
	Delta float64 `json:"delta"`
	// Tested is false when either side has fewer than two scores, too few
	// to tell a change from noise.
	Tested bool `json:"tested"`
	// P is the two-sided p-value of Welch's t test on the two sets of
	// scores; 1 when not Tested.
	P float64 `json:"p"`
	// Significant is true when P is below 1 - confidence: the change is
	// larger than what the spread of opinions would give by chance.
	Significant bool `json:"significant"`
}

// Direction is "up", "down" or "same" for a significant change and
// "noise" otherwise.
func (c ScoreChange) Direction() string {
	switch {
	case !c.Significant:
		return "noise"
	case c.Delta > 0:
		return "up"
	case c.Delta < 0:
		return "down"
	}
	return "same"
}

// A Comparison sets two results of the same catalogue side by side,
// matching statements and factors by their stable IDs. Statements only one
// side has are left out.
type Comparison struct {
	Before     string        `json:"before"`
	After      string        `json:"after"`
	Confidence float64       `json:"confidence"`
	Statements []ScoreChange `json:"statements"`
	Factors    []ScoreChange `json:"factors"`
}

// Compare compares before with after at confidence level conf (0 means
// DefaultConfidence; a value outside (0, 1) also falls back to it). The test
// uses each side's mean, variance and count, so it treats the two sets of
// participants as independent samples even when the same people rate
// twice. Results hold summaries, not who gave which score, so a paired
// test is not available here; since one person's two ratings usually agree more than
// two people's, ignoring the pairing overstates the noise and errs on the
// side of calling a change noise.
func Compare(before, after *Results, conf float64) *Comparison {
	if conf <= 0 || conf >= 1 {
		conf = DefaultConfidence
	}
	cmp := &Comparison{Before: before.Assessment, After: after.Assessment, Confidence: conf}
	for _, b := range before.Statements {
		if a, ok := after.Statement(b.Statement); ok {
			cmp.Statements = append(cmp.Statements, change(b.Factor, b.Statement, b.Number, b.Summary, a.Summary, conf))
		}
	}
	for _, b := range before.Factors {
		if a, ok := after.Factor(b.Factor); ok {
			cmp.Factors = append(cmp.Factors, change(b.Factor, "", b.Number, b.Summary, a.Summary, conf))
		}
	}
	return cmp
}

func change(factor, statement string, number int, b, a Summary, conf float64) ScoreChange {
	c := ScoreChange{Factor: factor, Statement: statement, Number: number, Before: b, After: a, P: 1}
	if b.N > 0 && a.N > 0 {
		c.Delta = a.Mean - b.Mean
	}
	if b.N >= 2 && a.N >= 2 {
		t := stats.Welch(b.Mean, b.Variance, b.N, a.Mean, a.Variance, a.N)
		if !math.IsNaN(t.P) {
			c.Tested, c.P = true, t.P
			c.Significant = t.Significant(conf)
		}
	}
	return c
}

// LargerThanNoise returns the changes that are larger than noise at the
// comparison's confidence: the significant factor changes first, then the
// significant statement changes, each in catalogue order. Everything else
// moved no more than the spread of opinions explains. Each change is tested
// on its own, so among many unchanged statements about one in twenty
// still passes at 95%: read a lone statement on the list with that in
// mind, and trust moves that the factor's change or the comments confirm.
func (c *Comparison) LargerThanNoise() []ScoreChange {
	var out []ScoreChange
	for _, list := range [][]ScoreChange{c.Factors, c.Statements} {
		for _, ch := range list {
			if ch.Significant {
				out = append(out, ch)
			}
		}
	}
	return out
}

// Statement returns the change of one statement.
func (c *Comparison) Statement(id string) (ScoreChange, bool) {
	for _, s := range c.Statements {
		if s.Statement == id {
			return s, true
		}
	}
	return ScoreChange{}, false
}

// Factor returns the change of one factor.
func (c *Comparison) Factor(id string) (ScoreChange, bool) {
	for _, f := range c.Factors {
		if f.Factor == id {
			return f, true
		}
	}
	return ScoreChange{}, false
}

// A Reassessment is a comparison of two assessments together with what
// became of the actions the earlier one produced.
type Reassessment struct {
	*Comparison
	// Actions are the earlier assessment's actions, oldest first.
	Actions []ActionProgress `json:"actions"`
}

// ActionProgress is one action with the change of the statement it was
// meant to improve.
type ActionProgress struct {
	Action Action `json:"action"`
	// Change is the linked statement's change; nil when the later
	// assessment did not rate it.
	Change *ScoreChange `json:"change,omitempty"`
	// StillToImprove is true when the statement is again on the later
	// assessment's "do better" list.
	StillToImprove bool `json:"still_to_improve"`
}

// Reassess compares two assessments of the same catalogue (versions may
// differ; statements match by ID) and tracks the earlier one's actions.
func (s *Service) Reassess(ctx context.Context, beforeID, afterID string, conf float64) (*Reassessment, error) {
	ba, bc, err := s.load(ctx, beforeID)
	if err != nil {
		return nil, err
	}
	aa, ac, err := s.load(ctx, afterID)
	if err != nil {
		return nil, err
	}
	if ba.Catalogue != aa.Catalogue {
		return nil, invalidf("after.catalogue", "must be the catalogue of the earlier assessment, %q; got %q", ba.Catalogue, aa.Catalogue)
	}
	br, err := s.results(ctx, ba, bc)
	if err != nil {
		return nil, err
	}
	ar, err := s.results(ctx, aa, ac)
	if err != nil {
		return nil, err
	}
	re := &Reassessment{Comparison: Compare(br, ar, conf)}
	for act, err := range s.Actions(ctx, ActionFilter{Assessment: ba.ID}) {
		if err != nil {
			return nil, err
		}
		p := ActionProgress{Action: act}
		if ch, ok := re.Statement(act.Statement); ok {
			p.Change = &ch
		}
		for _, pk := range aa.PicksFor(act.Factor, PickKindDoBetter) {
			if pk.Statement == act.Statement {
				p.StillToImprove = true
			}
		}
		re.Actions = append(re.Actions, p)
	}
	return re, nil
}
