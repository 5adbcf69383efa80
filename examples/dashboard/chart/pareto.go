package chart

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strings"
)

// A Bar is one category and its count.
type Bar struct {
	Label string
	Value float64
}

// Pareto draws bars sorted from largest to smallest (ties by label) with a
// line of the cumulative share over them and a dashed 80% mark: the
// categories left of where the line crosses the mark are the vital few.
// Negative values count as zero.
func Pareto(title string, bars []Bar) template.HTML {
	const h = 320.0
	c := newCanvas("pareto", title, h)
	bars = slices.Clone(bars)
	var total float64
	for i := range bars {
		bars[i].Value = clamp(bars[i].Value, 0, 1e300)
		total += bars[i].Value
	}
	if len(bars) == 0 || total == 0 {
		c.empty(h)
		return c.html()
	}
	slices.SortStableFunc(bars, func(a, b Bar) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), strings.Compare(a.Label, b.Label))
	})
	x0, x1, y0, y1 := 56.0, float64(width)-56, 44.0, h-64
	top := countTop(bars[0].Value)
	y := func(v float64) float64 { return y1 - v/top*(y1-y0) }
	yp := func(share float64) float64 { return y1 - share*(y1-y0) }

	// Grid and axes: counts on the left, cumulative share on the right.
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		c.line(x0, y(v), x1, y(v), "grid", colGrid)
		c.text(x0-6, y(v)+4, "end", "tick", label(v))
		c.text(x1+6, yp(float64(i)/4)+4, "start", "tick", fmt.Sprintf("%d%%", i*25))
	}
	c.line(x0, y1, x1, y1, "axis", colAxis)
	c.line(x1, yp(0.8), x0, yp(0.8), "mark80", colGrey, `stroke-dasharray="4 3"`)

	band := (x1 - x0) / float64(len(bars))
	bw := band * 0.7
	rotate := len(bars) > 6
	var cum float64
	var pts []string
	for i, b := range bars {
		cx := x0 + band*(float64(i)+0.5)
		share := b.Value / total
		cum += b.Value
		c.rect(cx-bw/2, y(b.Value), bw, y1-y(b.Value), "bar", palette[0],
			fmt.Sprintf("%s: %s (%.0f%%)", b.Label, label(b.Value), share*100))
		if bw >= 18 {
			c.text(cx, y(b.Value)-4, "middle", "value", label(b.Value), `font-size="11"`)
		}
		if rotate {
			c.text(cx, y1+14, "end", "category", shorten(b.Label, 16),
				fmt.Sprintf(`transform="rotate(-30 %s %s)"`, num(cx), num(y1+14)))
		} else {
			c.text(cx, y1+16, "middle", "category", shorten(b.Label, int(band/7)+1))
		}
		pts = append(pts, num(cx)+","+num(yp(cum/total)))
	}
	c.raw(`<polyline class="cumulative" fill="none" stroke="%s" stroke-width="2" points="%s"/>`, palette[1], strings.Join(pts, " "))
	for _, p := range pts {
		xy := strings.SplitN(p, ",", 2)
		c.raw(`<circle class="cumulative-point" cx="%s" cy="%s" r="3" fill="%s"/>`, xy[0], xy[1], palette[1])
	}
	c.text(x1-4, yp(0.8)-5, "end", "note", "80%", `font-size="10" fill-opacity="0.7"`)
	return c.html()
}
