package complaints

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// CrossTab counts complaints by two dimensions at once: which categories
// each kind of complainant raises, which targets each category is about.
type CrossTab struct {
	Rows, Cols Dimension
	// RowValues and ColValues are the values seen, most frequent first.
	RowValues, ColValues []string
	// Counts[i][j] is the number of complaints with RowValues[i] and
	// ColValues[j].
	Counts [][]int64
	Total  int64
}

// CrossTab counts the complaints received from from until to by rows and
// cols, in one grouped count.
func (s *Service) CrossTab(ctx context.Context, from, to time.Time, rows, cols Dimension) (CrossTab, error) {
	if err := checkPeriod(from, to); err != nil {
		return CrossTab{}, err
	}
	for _, d := range []Dimension{rows, cols} {
		if err := d.validate(); err != nil {
			return CrossTab{}, err
		}
	}
	if rows == cols {
		return CrossTab{}, invalid("dimension", "rows and columns must differ, both are %s", rows)
	}
	gs, err := s.coll.Count(ctx, s.period(from, to), string(rows), string(cols))
	if err != nil {
		return CrossTab{}, err
	}
	rowTotals, colTotals := map[string]int64{}, map[string]int64{}
	for _, g := range gs {
		rowTotals[g.Values[0]] += g.Count
		colTotals[g.Values[1]] += g.Count
	}
	ct := CrossTab{Rows: rows, Cols: cols, RowValues: ranked(rowTotals), ColValues: ranked(colTotals)}
	ct.Counts = make([][]int64, len(ct.RowValues))
	for i := range ct.Counts {
		ct.Counts[i] = make([]int64, len(ct.ColValues))
	}
	for _, g := range gs {
		i, j := slices.Index(ct.RowValues, g.Values[0]), slices.Index(ct.ColValues, g.Values[1])
		ct.Counts[i][j] += g.Count
		ct.Total += g.Count
	}
	return ct, nil
}

func ranked(totals map[string]int64) []string {
	out := make([]string, 0, len(totals))
	for v := range totals {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(totals[b], totals[a]), cmp.Compare(a, b)) })
	return out
}

// Recurrence is a value complained about again and again: a product
// consistently returned, a supplier or a member of staff who keeps
// coming up.
type Recurrence struct {
	Value string
	// In is in how many of the period's buckets it had complaints, of Of.
	In, Of int
	// Count is its complaints over the period.
	Count int64
}

// Recurring finds the values of dim (a product, a target, a category)
// that drew complaints in at least three of the period's buckets and in
// at least half of them: not a bad week, a pattern. Most persistent
// first. The bucket under way counts only if it has complaints.
func (s *Service) Recurring(ctx context.Context, from, to time.Time, g Granularity, dim Dimension) ([]Recurrence, error) {
	series, err := s.TrendBy(ctx, from, to, g, dim)
	if err != nil {
		return nil, err
	}
	var out []Recurrence
	for _, se := range series {
		r := Recurrence{Value: se.Value, Of: len(se.Points), Count: se.Total}
		for _, p := range se.Points {
			if p.Count > 0 {
				r.In++
			} else if p.Partial {
				r.Of--
			}
		}
		if r.In >= 3 && 2*r.In >= r.Of {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Recurrence) int {
		return cmp.Or(cmp.Compare(b.In*a.Of, a.In*b.Of), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	return out, nil
}
