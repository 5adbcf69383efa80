package assessment

import (
	"fmt"
	"slices"
	"strings"
)

// PickKind says which list a pick belongs to.
type PickKind string

// The two lists of the workshop.
const (
	PickKindDoWell   PickKind = "well"   // a thing the team does well
	PickKindDoBetter PickKind = "better" // a thing the team could do better
)

func (k PickKind) valid() bool { return k == PickKindDoWell || k == PickKindDoBetter }

// A Suggestion is a statement proposed for one of the lists, with the
// reason in words.
type Suggestion struct {
	Kind      PickKind `json:"kind"`
	Factor    string   `json:"factor"`
	Statement string   `json:"statement"`
	Number    int      `json:"number"`
	Mean      float64  `json:"mean"`
	StdDev    float64  `json:"std_dev"`
	N         int      `json:"n"`
	// Reason explains the place: the mean, the spread, how a tie was
	// broken, whether the team disagrees.
	Reason string `json:"reason"`
}

// Suggest proposes up to well statements the team does well (highest
// means) and up to better statements it could do better (lowest means) in
// one factor. A statement is never in both lists, and statements nobody
// scored are never proposed.
//
// Ties on the mean go to more agreement (smaller standard deviation) for
// both lists, since a shared view is a safer base for praise or for
// action, then to fewer "don't know" answers, then to catalogue order. The
// reason says when a tie was broken and when a statement just outside the
// list had the same mean as the last one in.
func (r *Results) Suggest(factor string, well, better int) (wells, betters []Suggestion, err error) {
	if _, ok := r.Factor(factor); !ok {
		return nil, nil, invalidf("factor", "must be a factor of the assessment, got %q", factor)
	}
	var cands []StatementResult
	for _, s := range r.factorStatements(factor) {
		if s.N > 0 {
			cands = append(cands, s)
		}
	}
	agreement := func(a, b StatementResult) int {
		if c := cmpFloat(a.StdDev, b.StdDev); c != 0 {
			return c
		}
		if c := cmpFloat(a.DontKnowShare, b.DontKnowShare); c != 0 {
			return c
		}
		return a.Number - b.Number
	}
	high := slices.Clone(cands)
	slices.SortStableFunc(high, func(a, b StatementResult) int {
		if c := cmpFloat(b.Mean, a.Mean); c != 0 {
			return c
		}
		return agreement(a, b)
	})
	wells = pick(PickKindDoWell, high, well, nil)
	taken := map[string]bool{}
	for _, w := range wells {
		taken[w.Statement] = true
	}
	low := slices.Clone(cands)
	slices.SortStableFunc(low, func(a, b StatementResult) int {
		if c := cmpFloat(a.Mean, b.Mean); c != 0 {
			return c
		}
		return agreement(a, b)
	})
	betters = pick(PickKindDoBetter, low, better, taken)
	return wells, betters, nil
}

func pick(kind PickKind, ranked []StatementResult, n int, skip map[string]bool) []Suggestion {
	var avail []StatementResult
	for _, s := range ranked {
		if !skip[s.Statement] {
			avail = append(avail, s)
		}
	}
	var out []Suggestion
	for i := 0; i < len(avail) && i < n; i++ {
		s := avail[i]
		var why []string
		why = append(why, fmt.Sprintf("mean %.2f from %d scores, sd %.2f, range %d-%d", s.Mean, s.N, s.StdDev, s.Min, s.Max))
		if i > 0 && avail[i-1].Mean == s.Mean {
			why = append(why, fmt.Sprintf("same mean as #%d, placed after it for %s", avail[i-1].Number, tieBreak(avail[i-1], s)))
		}
		if i == n-1 && i+1 < len(avail) && avail[i+1].Mean == s.Mean {
			why = append(why, fmt.Sprintf("#%d has the same mean and was left out for %s", avail[i+1].Number, tieBreak(s, avail[i+1])))
		}
		if s.Divergent {
			why = append(why, "opinions differ: explore the reasons before settling on it")
		}
		if s.DontKnow > 0 {
			why = append(why, fmt.Sprintf("%d of %d answered don't know", s.DontKnow, s.Responses))
		}
		out = append(out, Suggestion{Kind: kind, Factor: s.Factor, Statement: s.Statement, Number: s.Number,
			Mean: s.Mean, StdDev: s.StdDev, N: s.N, Reason: strings.Join(why, "; ")})
	}
	return out
}

// tieBreak names what put a ahead of b when their means are equal.
func tieBreak(a, b StatementResult) string {
	switch {
	case a.StdDev != b.StdDev:
		return "less agreement"
	case a.DontKnowShare != b.DontKnowShare:
		return "more don't-know answers"
	}
	return "catalogue order"
}
