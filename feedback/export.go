package feedback

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// csvHeader is the column order of ExportCSV.
var csvHeader = []string{
	"id", "received", "channel", "kind", "kind_inferred", "category", "category_source",
	"confidence", "owner", "acknowledged", "complaint_id", "customer", "ratings", "text",
}

// ExportCSV writes the items received in [from, to) as CSV, one row per
// item with its category in its own column, so that a spreadsheet can
// filter and pivot them. Ratings are "name=value/max" joined by "; ".
// Cells starting with = + - @ are prefixed with a quote so that no
// spreadsheet runs a customer's text as a formula.
func (d *Desk) ExportCSV(ctx context.Context, w io.Writer, from, to time.Time) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return 0, err
	}
	n := 0
	for it, err := range d.Items(ctx, from, to) {
		if err != nil {
			return n, err
		}
		var rs []string
		for _, r := range it.Ratings {
			rs = append(rs, fmt.Sprintf("%s=%d/%d", r.Name, r.Value, r.Max))
		}
		for _, a := range it.Answers {
			if a.Choice == "" && a.Text == "" {
				rs = append(rs, fmt.Sprintf("%s=%d", a.Question, a.Value))
			}
		}
		row := []string{
			it.ID, it.Received.Format(time.RFC3339), string(it.Channel), string(it.Kind),
			strconv.FormatBool(it.KindInferred), it.Category(), string(it.Categorisation.Source),
			strconv.FormatFloat(it.Categorisation.Confidence, 'f', 2, 64), it.Owner,
			strconv.FormatBool(it.Acknowledged), it.ComplaintID, it.CustomerRef,
			strings.Join(rs, "; "), it.fullText(),
		}
		for i, c := range row {
			row[i] = defuse(c)
		}
		if err := cw.Write(row); err != nil {
			return n, err
		}
		n++
	}
	cw.Flush()
	return n, cw.Error()
}

// defuse keeps a cell from being read as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
