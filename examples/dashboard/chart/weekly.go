package chart

import (
	"fmt"
	"html/template"
)

// A Series is one named row of numbers, one per period.
type Series struct {
	Name   string
	Values []float64
}

// Weekly draws one group of bars per period (labels, usually the Monday of
// each week), one bar per series, with a legend. A series shorter than
// labels counts as zero in the missing periods.
func Weekly(title string, labels []string, series ...Series) template.HTML {
	const h = 300.0
	c := newCanvas("weekly", title, h)
	var top float64
	for _, s := range series {
		for _, v := range s.Values {
			top = max(top, finite(v))
		}
	}
	if len(labels) == 0 || len(series) == 0 {
		c.empty(h)
		return c.html()
	}
	top = countTop(top)
	x0, x1, y0, y1 := 48.0, float64(width)-16, 52.0, h-40
	y := func(v float64) float64 { return y1 - v/top*(y1-y0) }
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		c.line(x0, y(v), x1, y(v), "grid", colGrid)
		c.text(x0-6, y(v)+4, "end", "tick", label(v))
	}
	c.line(x0, y1, x1, y1, "axis", colAxis)

	// Legend, top right.
	lx := x1
	for _, s := range series {
		lx -= float64(len([]rune(s.Name)))*7 + 28
	}
	for i, s := range series {
		c.rect(lx, 30, 12, 12, "legend-key", palette[i%len(palette)], "")
		c.text(lx+16, 40, "start", "legend", s.Name)
		lx += float64(len([]rune(s.Name)))*7 + 28
	}

	band := (x1 - x0) / float64(len(labels))
	bw := band * 0.8 / float64(len(series))
	every := 1 + len(labels)/14 // keep labels from overlapping
	for i, l := range labels {
		gx := x0 + band*float64(i) + band*0.1
		for j, s := range series {
			var v float64
			if i < len(s.Values) {
				v = clamp(s.Values[i], 0, 1e300)
			}
			c.rect(gx+bw*float64(j), y(v), bw-1, y1-y(v), "bar series-"+fmt.Sprint(j), palette[j%len(palette)],
				fmt.Sprintf("%s, %s: %s", s.Name, l, label(v)))
		}
		if i%every == 0 {
			c.text(x0+band*(float64(i)+0.5), y1+16, "middle", "period", l, `font-size="11"`)
		}
	}
	return c.html()
}
