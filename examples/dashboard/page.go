package main

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"

	"github.com/cxkit/cxkit/examples/dashboard/chart"
)

//go:embed page.html.tmpl
var pageSource string

// page is parsed once: a template error is a bug in this program, found by
// the first test, not something a user can cause.
var page = template.Must(template.New("page").Parse(pageSource))

// view is what the template sees: the report plus its charts, drawn.
type view struct {
	Report
	Pareto, Weekly, NPS, CSAT, Strategies, Factors template.HTML
}

// Render writes r as a complete, self-contained HTML page: styles inline,
// charts as inline SVG, no scripts and no external resources.
func Render(w io.Writer, r Report) error {
	v := view{
		Report:     r,
		Pareto:     chart.Pareto("Complaints by category, "+r.Period.Label(), r.Pareto),
		Weekly:     chart.Weekly("Complaints and feedback per week", r.Weeks, chart.Series{Name: "complaints", Values: r.Complaints}, chart.Series{Name: "feedback", Values: r.Feedback}),
		NPS:        chart.Intervals("Net Promoter Score per wave (95% interval)", -100, 100, "", r.NPS),
		CSAT:       chart.Intervals("Customer satisfaction per wave (95% interval)", 0, 100, "%", r.CSAT),
		Strategies: chart.ProgressBars("Improvement strategies: progress against time used", r.Strategies),
		Factors:    chart.Profile(factorTitle(r), r.FactorScale.Low, r.FactorScale.High, r.FactorScale.Mid, r.Factors),
	}
	if err := page.Execute(w, v); err != nil {
		return fmt.Errorf("dashboard: rendering page: %w", err)
	}
	return nil
}

func factorTitle(r Report) string {
	if r.FactorTitle == "" {
		return "Team self-assessment: score per factor"
	}
	return "Team self-assessment: " + r.FactorTitle
}

// WriteFile renders r into the file at path, through a temporary file and
// a rename so that a reader (or a browser reloading it) never sees half a
// page.
func WriteFile(path string, r Report) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".dashboard-*.html")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	// CreateTemp makes the file private; a report is meant to be shared.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := Render(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
