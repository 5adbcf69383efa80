package complaints

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/cxkit/cxkit/internal/sheet"
)

// The columns of the CSV log. The first four are those of the classic
// complaints log kept by hand (date, complaint, made by, directed at);
// then the outcome and the fields the analysis groups by; then the
// complaint's ID and the whole record, so that Import restores exactly what
// was exported.
const (
	colID         = "id"
	colDate       = "date"
	colComplaint  = "complaint"
	colMadeBy     = "made by"
	colDirectedAt = "directed at"
	colOutcome    = "outcome"
	colCategory   = "category"
	colChannel    = "channel"
	colSeverity   = "severity"
	colConcerns   = "concerns"
	colStatus     = "status"
	colRef        = "customer ref"
	colName       = "customer name"
	colContact    = "customer contact"
	colRecord     = "record"
)

// ExportOptions say what an export holds beyond the log itself.
type ExportOptions struct {
	// Personal adds the customer's reference, name and contact, for a
	// migration or a backup. Without it the file holds no customer
	// details, so it can go to whoever analyses the log; an import of it
	// restores everything else.
	Personal bool
}

// Export writes the complaints received from from until to as CSV, one row
// per complaint in the order they were logged: id, date (RFC 3339 in the
// calendar's time zone), complaint, made by, directed at ("kind: name"),
// outcome, category, channel, severity, concerns, status, the customer's
// details when opts.Personal, and a last column holding the whole record
// (state, remedy, deadlines, timestamps, history) for Import.
//
// Every cell goes through one writer that defuses spreadsheet formulas: a
// cell starting with =, +, -, @, a tab, a carriage return or a quote is
// written with a leading quote, which Import removes again.
func (s *Service) Export(ctx context.Context, w io.Writer, from, to time.Time, opts ExportOptions) error {
	if err := checkPeriod(from, to); err != nil {
		return err
	}
	cw := sheet.NewWriter(w)
	header := []string{colID, colDate, colComplaint, colMadeBy, colDirectedAt, colOutcome, colCategory, colChannel, colSeverity, colConcerns, colStatus}
	if opts.Personal {
		header = append(header, colRef, colName, colContact)
	}
	header = append(header, colRecord)
	if err := cw.Write(header); err != nil {
		return err
	}
	for c, err := range s.Received(ctx, from, to) {
		if err != nil {
			return err
		}
		row := []string{c.ID, c.Received.In(s.loc).Format(time.RFC3339Nano), c.Summary, string(c.MadeBy), c.DirectedAt.String(), c.Outcome,
			c.Category, string(c.Channel), string(c.Severity), c.Concerns, string(c.Status)}
		if opts.Personal {
			row = append(row, c.Customer.Ref, c.Customer.Name, c.Customer.Contact)
		} else {
			c.Customer = Customer{}
		}
		rec, err := json.Marshal(&c)
		if err != nil {
			return err
		}
		if err := cw.Write(append(row, string(rec))); err != nil {
			return err
		}
	}
	return cw.Flush()
}
