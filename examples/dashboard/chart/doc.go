// Package chart draws the dashboard's charts as inline SVG: pure functions
// from plain numbers to markup, with no JavaScript and nothing fetched from
// anywhere, so a page that embeds them works offline, prints, and can be
// mailed as one HTML file.
//
// Each function returns template.HTML ready to drop into an html/template
// page; every label it draws is escaped. The markup carries stable class
// names (bar, cumulative, point, whisker, progress, ...) so that tests and
// style sheets can find the parts. Empty input draws a chart that says
// "no data" rather than failing: a monthly meeting with nothing to show is
// still a meeting.
//
// The charts are the ones a customer-service meeting needs in summary form:
//
//   - Pareto: categories by count, largest first, with the cumulative share
//     as a line and the 80% mark, to show which few causes matter most.
//   - Weekly: counts per week for one or more series side by side.
//   - Intervals: an estimate per survey wave with its confidence interval,
//     so a change smaller than the noise is not read as a trend.
//   - ProgressBars: each strategy's progress toward its goal against the
//     share of its time used, coloured by status.
//   - Profile: an assessment's score per factor on its scale.
//
// # Performance
//
// A Pareto of 20 categories draws in about 95 µs (median of five runs on a
// shared 2-core Intel Xeon: go test -run '^$' -bench . -benchtime=100x
// -count=5 ./examples/dashboard/chart); a whole page of six charts renders
// in about 260 µs (BenchmarkRender in the dashboard command).
package chart
