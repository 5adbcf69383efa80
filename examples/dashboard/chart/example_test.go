package chart_test

import (
	"fmt"
	"strings"

	"github.com/cxkit/cxkit/examples/dashboard/chart"
)

func ExamplePareto() {
	svg := chart.Pareto("Complaints by category", []chart.Bar{
		{Label: "delivery", Value: 4},
		{Label: "billing", Value: 11},
		{Label: "staff attitude", Value: 2},
	})
	s := string(svg)
	fmt.Println(strings.HasPrefix(s, "<svg"), strings.Count(s, `class="bar"`), strings.Contains(s, `class="cumulative"`))
	// Output: true 3 true
}
