package main

import (
	"time"

	"github.com/cxkit/cxkit/examples/dashboard/chart"
)

// A Report is everything the monthly page shows, as plain numbers: building
// it (collect.go) reads the store, rendering it (page.go) does not, so the
// page can be tested and written to a file without a store.
type Report struct {
	Org    string
	Period Period
	// Generated is when the report was built.
	Generated time.Time
	// Figures are the headline numbers across the top of the page.
	Figures []Figure
	// Pareto ranks the month's complaint categories.
	Pareto []chart.Bar
	// Weeks labels the weekly series (the Monday of each week);
	// Complaints and Feedback count what arrived in each.
	Weeks      []string
	Complaints []float64
	Feedback   []float64
	// NPS and CSAT are survey scores per wave with their intervals.
	NPS  []chart.Estimate
	CSAT []chart.Estimate
	// Strategies are the improvement strategies in progress.
	Strategies []chart.Progress
	// Factors are the latest assessment's scores per factor, on Scale.
	Factors     []chart.Score
	FactorScale Scale
	// FactorTitle names the assessment the factors come from.
	FactorTitle string
	// Notes say what the report could not show and why, so an empty chart
	// is never a mystery in the meeting.
	Notes []string
}

// A Period is the month the report covers: [From, To).
type Period struct {
	From, To time.Time
}

// Label is how the period is named on the page ("November 2026").
func (p Period) Label() string { return p.From.Format("January 2006") }

// MonthOf returns the calendar month containing t, in t's location.
func MonthOf(t time.Time) Period {
	from := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
	return Period{From: from, To: from.AddDate(0, 1, 0)}
}

// A Figure is one headline number.
type Figure struct {
	Label string
	Value string
	// Note qualifies the value ("vs 14 in October", "±8 at 95%").
	Note string
}

// A Scale is the range of an assessment scale and its neutral point.
type Scale struct {
	Low, High, Mid float64
}
