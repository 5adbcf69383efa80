package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Sizes of the drawing, in SVG user units. The SVG scales with its
// container through its viewBox, so these fix proportions, not pixels.
const (
	width      = 720
	fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
)

// Colours: a muted palette readable when printed in grey, plus the status
// colours everyone in the meeting already knows.
var palette = []string{"#2f6690", "#d1495b", "#3a7d44", "#edae49", "#6c4f77"}

const (
	colGreen = "#3a7d44"
	colAmber = "#e09f1f"
	colRed   = "#c0392b"
	colGrey  = "#8a8f98"
	colAxis  = "#9aa0a6"
	colText  = "#222"
	colGrid  = "#e6e8eb"
)

// canvas accumulates one SVG document.
type canvas struct {
	b strings.Builder
}

func newCanvas(class, title string, h float64) *canvas {
	c := &canvas{}
	fmt.Fprintf(&c.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart %s" viewBox="0 0 %d %s" width="100%%" role="img" aria-label="%s" font-family="%s" font-size="12">`,
		class, width, num(h), esc(title), fontFamily)
	fmt.Fprintf(&c.b, `<title>%s</title>`, esc(title))
	c.text(16, 22, "start", "title", title, `font-size="15" font-weight="600"`)
	return c
}

func (c *canvas) raw(s string, args ...any) { fmt.Fprintf(&c.b, s, args...) }

func (c *canvas) text(x, y float64, anchor, class, s string, extra ...string) {
	fmt.Fprintf(&c.b, `<text class="%s" x="%s" y="%s" text-anchor="%s" fill="%s"%s>%s</text>`,
		class, num(x), num(y), anchor, colText, attrs(extra), esc(s))
}

func (c *canvas) line(x1, y1, x2, y2 float64, class, stroke string, extra ...string) {
	fmt.Fprintf(&c.b, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"%s/>`,
		class, num(x1), num(y1), num(x2), num(y2), stroke, attrs(extra))
}

func (c *canvas) rect(x, y, w, h float64, class, fill, tip string) {
	fmt.Fprintf(&c.b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s">`,
		class, num(x), num(y), num(math.Max(w, 0)), num(math.Max(h, 0)), fill)
	if tip != "" {
		fmt.Fprintf(&c.b, `<title>%s</title>`, esc(tip))
	}
	c.b.WriteString(`</rect>`)
}

func (c *canvas) empty(h float64) {
	c.text(width/2, h/2, "middle", "empty", "no data", `fill-opacity="0.6"`)
}

func (c *canvas) html() template.HTML {
	c.b.WriteString(`</svg>`)
	// Every piece of text above went through esc and every number through
	// num, which is what makes this conversion safe.
	return template.HTML(c.b.String())
}

func attrs(extra []string) string {
	if len(extra) == 0 {
		return ""
	}
	return " " + strings.Join(extra, " ")
}

// esc escapes text for an SVG element or attribute inside HTML.
func esc(s string) string { return html.EscapeString(s) }

// num prints a coordinate compactly: two decimals at most, no trailing
// zeros, and never NaN or Inf (which would break the whole drawing).
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// label prints a value for people: integers without decimals, others with
// one.
func label(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// countTop returns the top of an axis for counts up to v, drawn with four
// intervals: a top whose quarters are whole, round numbers (0, 3, 6, 9, 12
// rather than 0, 2.5, 5, 7.5, 10), since nobody receives half a complaint.
func countTop(v float64) float64 {
	if v <= 4 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 4
	}
	p := math.Pow(10, math.Floor(math.Log10(v/4)))
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		step := m * p
		if step != math.Trunc(step) {
			continue
		}
		if 4*step >= v*(1-1e-12) {
			return 4 * step
		}
	}
	return 40 * p
}

// shorten cuts a label to n runes with an ellipsis, so long category names
// do not run into each other; the full text stays in the tooltip.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// finite replaces NaN and infinities by 0, so one bad number cannot break a
// whole chart.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// clamp limits v to [lo, hi].
func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, finite(v))) }
