package chart

import (
	"fmt"
	"html/template"
)

// A Score is one factor's result on an assessment scale.
type Score struct {
	Label string
	Value float64
	// Low and High bound the confidence interval; equal to Value (or both
	// zero) when there is none.
	Low, High float64
}

// Profile draws one horizontal bar per factor on a scale from lo to hi, in
// the order given (the catalogue's order, so the profile can be held beside
// the checklist), with a whisker for the interval where there is one and a
// dashed line at mid, the scale's neutral point.
func Profile(title string, lo, hi, mid float64, scores []Score) template.HTML {
	const row = 26.0
	h := 52 + row*float64(max(len(scores), 1)) + 28
	c := newCanvas("profile", title, h)
	if len(scores) == 0 || hi <= lo {
		c.empty(h)
		return c.html()
	}
	x0, x1 := 270.0, float64(width)-56
	x := func(v float64) float64 { return x0 + (clamp(v, lo, hi)-lo)/(hi-lo)*(x1-x0) }
	yEnd := 44 + row*float64(len(scores))
	for i := 0; i <= 4; i++ {
		v := lo + (hi-lo)*float64(i)/4
		c.line(x(v), 40, x(v), yEnd, "grid", colGrid)
		c.text(x(v), yEnd+16, "middle", "tick", label(v))
	}
	for i, s := range scores {
		top := 44 + row*float64(i)
		c.text(x0-8, top+row/2+4, "end", "factor", shorten(s.Label, 36))
		c.rect(x0, top+5, x(s.Value)-x0, row-10, "score", palette[i%2*2], fmt.Sprintf("%s: %s", s.Label, label(finite(s.Value))))
		c.text(x(s.Value)+4, top+row/2+4, "start", "value", label(finite(s.Value)), `font-size="11"`)
		if s.Low != s.High {
			cy := top + row/2
			c.line(x(s.Low), cy, x(s.High), cy, "whisker", colText, `stroke-width="1.5"`)
		}
	}
	if mid > lo && mid < hi {
		c.line(x(mid), 40, x(mid), yEnd, "neutral", colGrey, `stroke-dasharray="4 3"`)
	}
	return c.html()
}
