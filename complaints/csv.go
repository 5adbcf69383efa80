package complaints

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

// The columns of the CSV log: the four of the classic complaints log
// (date, complaint, made by, directed at), the outcome, then the fields
// the analysis groups by. Import requires the first four and accepts the
// others in any order.
const (
	ColDate       = "date"
	ColComplaint  = "complaint"
	ColMadeBy     = "made by"
	ColDirectedAt = "directed at"
	ColOutcome    = "outcome"
	ColCategory   = "category"
	ColChannel    = "channel"
	ColSeverity   = "severity"
)

// Columns() is the header Export writes.
func Columns() []string {
	return []string{ColDate, ColComplaint, ColMadeBy, ColDirectedAt, ColOutcome, ColCategory, ColChannel, ColSeverity}
}

// Export writes the complaints received in [from, to) as CSV, one row per
// complaint in the order they were logged. Dates are RFC 3339 in the
// calendar's time zone; "directed at" is "kind: name". No personal data
// (customer name, contact or reference) is written.
func (s *Service) Export(ctx context.Context, w io.Writer, from, to time.Time) error {
	if err := checkPeriod(from, to); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns()); err != nil {
		return err
	}
	for c, err := range s.Received(ctx, from, to) {
		if err != nil {
			return err
		}
		row := []string{c.Received.In(s.loc).Format(time.RFC3339Nano), c.Summary, string(c.MadeBy), c.DirectedAt.String(), c.Outcome,
			c.Category, string(c.Channel), string(c.Severity)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// RowError is one CSV row that was not imported: the line it starts on,
// the column, and the rule it broke. It wraps ErrInvalid.
type RowError struct {
	Line  int
	Field string
	Rule  string
}

// Error implements error.
func (e *RowError) Error() string { return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Rule) }

// Unwrap lets errors.Is see ErrInvalid.
func (e *RowError) Unwrap() error { return store.ErrInvalid }

// ImportResult says what Import did: the IDs of the complaints it logged,
// in row order, and the rows it refused.
type ImportResult struct {
	Imported []string
	Errors   []RowError
}

// Import reads a CSV log (as Export writes it, or the four-column log
// kept by hand) and logs each valid row as a complaint, by the person
// named by. A row with an outcome is logged as closed with that outcome;
// one without is logged as received, to be worked. Every imported
// complaint keeps its historical date (the analysis counts it there) and
// is marked with Complaint.Imported; its deadlines run from the import,
// not from that date, because nobody could act on it before the import:
// so Sweep does not report an old open row as breached (nor escalate it)
// the moment it arrives, and the breach rate does not count the gap
// between the old log and this one. Missing optional
// columns default to category Config.FeedbackCategory, channel "other",
// severity "medium". "directed at" is "kind: name" (or just the kind).
//
// Each row is imported whole or not at all: a bad row becomes a RowError
// naming its line and field and the other rows still go in. A header that
// lacks a required column, or a malformed CSV file, stops the import (the
// rows before the malformed point stay imported and are reported).
func (s *Service) Import(ctx context.Context, r io.Reader, by string) (ImportResult, error) {
	var res ImportResult
	if strings.TrimSpace(by) == "" {
		return res, invalid("import.by", "is required")
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return res, invalid("import.header", "the file is empty; want a header row with %s", strings.Join(Columns()[:4], ", "))
	}
	if err != nil {
		return res, invalid("import.header", "%v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		h = strings.ReplaceAll(h, "_", " ")
		if !slices.Contains(Columns(), h) {
			return res, invalid("import.header", "column %d %q is not one of %s", i+1, header[i], strings.Join(Columns(), ", "))
		}
		if _, dup := col[h]; dup {
			return res, invalid("import.header", "column %q appears twice", h)
		}
		col[h] = i
	}
	for _, need := range Columns()[:4] {
		if _, ok := col[need]; !ok {
			return res, invalid("import.header", "column %q is required", need)
		}
	}
	now := s.stamp()
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			res.Errors = append(res.Errors, RowError{Line: line, Field: "csv", Rule: err.Error()})
			return res, nil
		}
		line, _ := cr.FieldPos(0)
		c, rerr := s.importRow(rec, col, line, by, now)
		if rerr != nil {
			res.Errors = append(res.Errors, *rerr)
			continue
		}
		c, err = s.coll.Create(ctx, c)
		if err != nil {
			if errors.Is(err, store.ErrInvalid) {
				res.Errors = append(res.Errors, RowError{Line: line, Field: "row", Rule: err.Error()})
				continue
			}
			return res, err
		}
		res.Imported = append(res.Imported, c.ID)
		e := event(EventLogged, &c, by, fmt.Sprintf("imported from CSV line %d", line))
		e.To = string(c.Status)
		s.emit(ctx, e)
	}
	return res, nil
}

func (s *Service) importRow(rec []string, col map[string]int, line int, by string, now time.Time) (Complaint, *RowError) {
	get := func(name string) (string, bool) {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return "", false
		}
		return strings.TrimSpace(rec[i]), true
	}
	fail := func(field, rule string, args ...any) (Complaint, *RowError) {
		return Complaint{}, &RowError{Line: line, Field: field, Rule: fmt.Sprintf(rule, args...)}
	}
	if len(rec) != len(col) {
		return fail("row", "has %d fields, the header has %d", len(rec), len(col))
	}
	for i, v := range rec {
		if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			return fail(fieldName(col, i), "must be valid UTF-8 without NUL bytes")
		}
	}
	ds, _ := get(ColDate)
	received, err := parseDate(ds, s.loc)
	if err != nil {
		return fail(ColDate, "must be a date (2006-01-02) or an RFC 3339 time, got %q", ds)
	}
	n := Intake{Received: received, Channel: ChannelOther, Category: s.cfg.FeedbackCategory, Severity: SeverityMedium, By: by}
	n.Summary, _ = get(ColComplaint)
	mb, _ := get(ColMadeBy)
	n.MadeBy = MadeBy(mb)
	dt, _ := get(ColDirectedAt)
	if n.DirectedAt, err = ParseTarget(dt); err != nil {
		return fail(ColDirectedAt, "kind must be one of %s, got %q", join(TargetKinds()), dt)
	}
	if v, ok := get(ColCategory); ok && v != "" {
		n.Category = v
	}
	if v, ok := get(ColChannel); ok && v != "" {
		n.Channel = Channel(v)
	}
	if v, ok := get(ColSeverity); ok && v != "" {
		n.Severity = Severity(v)
	}
	c, err := s.build(n)
	if err != nil {
		var fe *cxkit.ValidationError
		if errors.As(err, &fe) {
			return fail(columnOf(fe.Field), "%s", fe.Rule)
		}
		return fail("row", "%v", err)
	}
	c.Imported = now
	s.dueTimes(&c)
	c.History[0].Action = "imported"
	c.History[0].What = fmt.Sprintf("imported from CSV line %d by %s; deadlines run from the import; %s", line, by, c.History[0].What)
	if out, _ := get(ColOutcome); out != "" {
		c.Status, c.Outcome, c.Closed = StatusClosed, out, now
		c.History = append(c.History, cxkit.HistoryEntry{At: now, By: by, Action: "imported", From: string(StatusReceived), To: string(StatusClosed), What: "closed with outcome from the log: " + out})
	}
	return c, nil
}

func fieldName(col map[string]int, i int) string {
	for k, v := range col {
		if v == i {
			return k
		}
	}
	return "row"
}

// columnOf maps a validation field to the CSV column it came from.
func columnOf(field string) string {
	switch {
	case strings.HasPrefix(field, "complaint.summary"):
		return ColComplaint
	case strings.HasPrefix(field, "complaint.made_by"):
		return ColMadeBy
	case strings.HasPrefix(field, "complaint.directed_at"):
		return ColDirectedAt
	case strings.HasPrefix(field, "complaint.category"):
		return ColCategory
	case strings.HasPrefix(field, "complaint.channel"):
		return ColChannel
	case strings.HasPrefix(field, "complaint.severity"):
		return ColSeverity
	case strings.HasPrefix(field, "complaint.received"):
		return ColDate
	}
	return field
}

func parseDate(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation(time.DateOnly, s, loc)
}
