package main

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit/examples/dashboard/chart"
)

// Render turns a Report of plain numbers into one self-contained page; a
// report can come from Collect or from anywhere else.
func ExampleRender() {
	r := Report{
		Org:     "Example Co",
		Period:  MonthOf(time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)),
		Figures: []Figure{{Label: "complaints received", Value: "12"}},
		Pareto:  []chart.Bar{{Label: "delivery", Value: 7}, {Label: "billing", Value: 3}, {Label: "website", Value: 2}},
	}
	var page bytes.Buffer
	if err := Render(&page, r); err != nil {
		fmt.Println(err)
		return
	}
	s := page.String()
	fmt.Println(strings.Contains(s, "<title>Example Co: customer service, November 2026</title>"))
	fmt.Println("charts:", strings.Count(s, "<svg "), "pareto bars:", strings.Count(s, `class="bar"`), "scripts:", strings.Count(s, "<script"))
	// Output:
	// true
	// charts: 6 pareto bars: 3 scripts: 0
}
