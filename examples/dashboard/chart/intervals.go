package chart

import (
	"fmt"
	"html/template"
	"strings"
)

// An Estimate is a score with its confidence interval, for one survey wave
// or period.
type Estimate struct {
	Label string
	Value float64
	Low   float64
	High  float64
	// N is the number of responses behind the estimate; shown in the
	// tooltip because a wide whisker usually means a small N.
	N int
}

// Intervals draws each estimate as a point with a whisker from Low to High
// on an axis from lo to hi, joined by a thin line in label order, with a
// zero line when the axis crosses zero (NPS runs from -100 to 100). unit is
// appended to values ("%", "" for NPS points).
func Intervals(title string, lo, hi float64, unit string, es []Estimate) template.HTML {
	const h = 280.0
	c := newCanvas("intervals", title, h)
	if len(es) == 0 || hi <= lo {
		c.empty(h)
		return c.html()
	}
	x0, x1, y0, y1 := 56.0, float64(width)-24, 44.0, h-40
	y := func(v float64) float64 { return y1 - (clamp(v, lo, hi)-lo)/(hi-lo)*(y1-y0) }
	for i := 0; i <= 4; i++ {
		v := lo + (hi-lo)*float64(i)/4
		c.line(x0, y(v), x1, y(v), "grid", colGrid)
		c.text(x0-6, y(v)+4, "end", "tick", label(v)+unit)
	}
	if lo < 0 && hi > 0 {
		c.line(x0, y(0), x1, y(0), "zero", colAxis, `stroke-width="1.5"`)
	}
	c.line(x0, y1, x1, y1, "axis", colAxis)

	band := (x1 - x0) / float64(len(es))
	var pts []string
	for i, e := range es {
		cx := x0 + band*(float64(i)+0.5)
		low, high := min(e.Low, e.High), max(e.Low, e.High)
		c.line(cx, y(low), cx, y(high), "whisker", palette[0], `stroke-width="2"`)
		c.line(cx-6, y(low), cx+6, y(low), "whisker-cap", palette[0], `stroke-width="2"`)
		c.line(cx-6, y(high), cx+6, y(high), "whisker-cap", palette[0], `stroke-width="2"`)
		pts = append(pts, num(cx)+","+num(y(e.Value)))
		tip := fmt.Sprintf("%s: %s%s (%s to %s%s, n=%d)", e.Label, label(e.Value), unit, label(low), label(high), unit, e.N)
		c.raw(`<circle class="point" cx="%s" cy="%s" r="5" fill="%s"><title>%s</title></circle>`, num(cx), num(y(e.Value)), palette[1], esc(tip))
		c.text(cx+9, y(e.Value)+4, "start", "value", label(e.Value)+unit, `font-size="11"`)
		c.text(cx, y1+16, "middle", "period", shorten(e.Label, int(band/7)+1), `font-size="11"`)
	}
	if len(pts) > 1 {
		c.raw(`<polyline class="trend" fill="none" stroke="%s" stroke-opacity="0.5" points="%s"/>`, palette[1], strings.Join(pts, " "))
	}
	return c.html()
}
