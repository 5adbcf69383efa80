package chart

import (
	"fmt"
	"html/template"
	"strings"
)

// A Progress is one strategy's position.
type Progress struct {
	Label string
	// Done is the share of the way from baseline to goal, 0 to 1 (values
	// outside are drawn at the ends).
	Done float64
	// Elapsed is the share of the strategy's time used, 0 to 1, drawn as a
	// tick on the bar: progress behind the tick is behind schedule.
	Elapsed float64
	// Status is shown beside the bar and picks its colour: "on track" and
	// "achieved" green, "at risk" amber, "off track" red, anything else grey.
	Status string
	// Detail is a short line under the label, e.g. "14 → 9 complaints".
	Detail string
}

// statusColour maps the words a strategy's status uses to the colours
// people expect, whatever spelling ("on-track", "On track") the caller has.
func statusColour(status string) string {
	s := strings.NewReplacer("-", " ", "_", " ").Replace(strings.ToLower(strings.TrimSpace(status)))
	switch s {
	case "on track", "achieved", "met", "done", "complete", "completed":
		return colGreen
	case "at risk", "behind":
		return colAmber
	case "off track", "failed", "missed", "overdue":
		return colRed
	}
	return colGrey
}

// ProgressBars draws one row per strategy: label and detail, a bar filled
// to Done in the status colour, a tick at Elapsed, and the status in words.
func ProgressBars(title string, ps []Progress) template.HTML {
	const row = 46.0
	h := 48 + row*float64(max(len(ps), 1)) + 8
	c := newCanvas("progress", title, h)
	if len(ps) == 0 {
		c.empty(h)
		return c.html()
	}
	x0, x1 := 250.0, float64(width)-110
	for i, p := range ps {
		top := 44 + row*float64(i)
		c.text(16, top+16, "start", "label", shorten(p.Label, 34))
		if p.Detail != "" {
			c.text(16, top+32, "start", "detail", shorten(p.Detail, 40), `font-size="11" fill-opacity="0.7"`)
		}
		done := clamp(p.Done, 0, 1)
		col := statusColour(p.Status)
		c.rect(x0, top+8, x1-x0, 18, "track", colGrid, "")
		c.rect(x0, top+8, (x1-x0)*done, 18, "done", col,
			fmt.Sprintf("%s: %.0f%% of the way, %.0f%% of the time used", p.Label, done*100, clamp(p.Elapsed, 0, 1)*100))
		ex := x0 + (x1-x0)*clamp(p.Elapsed, 0, 1)
		c.line(ex, top+3, ex, top+31, "elapsed", colText, `stroke-width="2"`)
		c.text(x1+10, top+21, "start", "status", p.Status, fmt.Sprintf(`fill="%s" font-weight="600"`, col))
		c.text(x0+4, top+21, "start", "percent", fmt.Sprintf("%.0f%%", done*100), `font-size="11"`)
	}
	return c.html()
}
