package complaints

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/sheet"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
	"github.com/oklog/ulid/v2"
)

// The bounds of one import, so that a damaged or hostile file cannot
// exhaust memory: every row is read and checked before anything is
// written, so the whole file is held at once.
const (
	// ImportMaxCell is the longest cell, in bytes (the record column of a
	// complaint with a long history is the largest).
	ImportMaxCell = 256 << 10
	// ImportMaxRow is the longest row, in bytes.
	ImportMaxRow = 1 << 20
	// ImportMaxRows is the most rows one import takes; split bigger logs.
	ImportMaxRows = 200_000
)

// importBatch is how many complaints go in one atomic store batch.
const importBatch = 500

// ImportOptions say who imports and how to read dates that a log kept by
// hand writes without a year or a time zone.
type ImportOptions struct {
	// By is who imports; required.
	By string
	// Year completes dates written without one ("3 June"); required when
	// the file has such dates.
	Year int
	// Location is the time zone of dates written without a time; nil
	// means the calendar's zone, UTC without a calendar.
	Location *time.Location
	// MonthFirst reads numeric dates as month/day/year (03/06/2026 is
	// 6 March); by default they are day/month/year (3 June).
	MonthFirst bool
}

// ImportResult says what an import did.
type ImportResult struct {
	// Imported are the IDs of the complaints written, in row order.
	Imported []string
	// Skipped are the IDs of rows already in the store, from an earlier
	// import of the same rows: importing a file twice writes them once.
	Skipped []string
	// Errors are the rows refused. When there are any, nothing was
	// written.
	Errors []RowError
}

// RowError is one row that was refused: the line it starts on (for
// ImportMany, the position in the slice, from 1), the column or field,
// and the rule it broke. It wraps store.ErrInvalid.
type RowError struct {
	Line  int
	Field string
	Rule  string
}

// Error implements error.
func (e *RowError) Error() string { return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Rule) }

// Unwrap lets errors.Is see store.ErrInvalid.
func (e *RowError) Unwrap() error { return store.ErrInvalid }

// Import reads a complaints log as CSV and logs every row, all or nothing:
// every row is read and checked first, and if any is refused nothing is
// written and the result lists each refused row by line and column (the
// error is a *cxkit.ValidationError). A malformed file (a stray quote, a
// row or cell beyond the bounds ImportMaxCell, ImportMaxRow and
// ImportMaxRows) is refused whole in the same way.
//
// It reads what Export writes, and the log a person keeps by hand. Headers
// are matched ignoring case, spaces and underscores, and the wordings of a
// hand-kept log are understood: "Date", "Complaint", "Complaint made by",
// "Complaint directed at", "Outcome". Dates may be RFC 3339 times or dates
// such as 2026-06-03, 3 June 2026, June 3, 2026, 3/6/2026 or just 3 June
// (with ImportOptions.Year). "Made by" and "directed at" may be the
// values this package writes or a person's words ("Member of public",
// "Corporate agency", "Distribution company (an outsourced service)"),
// read by keywords; the words are kept as the target's name.
//
// Importing is idempotent: a row's complaint ID is the file's id column
// or, for a hand-kept log, derived from the row's date, text, complainant
// and target (and its position among identical rows), so importing the
// same file again skips the rows already in (ImportResult.Skipped).
//
// A row with Export's record column is restored exactly: state, remedy,
// deadlines, timestamps and history, plus one history line recording the
// import. A hand-kept row is logged as received, or as closed when it has
// an outcome; it keeps its historical date for the analysis, but its
// deadlines run from the import (Complaint.Imported), because nobody could
// act on it before: Sweep does not find an old open row breached the
// moment it arrives. Missing optional columns default to category
// Config.FeedbackCategory, channel other, severity medium.
//
// Complaints are written in atomic batches of a few hundred, each emitting
// EventLogged. A failure part-way (the process stopped, the disk filled)
// leaves whole batches written; importing the same file again writes the
// rest.
func (s *Service) Import(ctx context.Context, r io.Reader, opts ImportOptions) (ImportResult, error) {
	var res ImportResult
	if strings.TrimSpace(opts.By) == "" {
		return res, invalid("import.by", "is required: who imports")
	}
	if opts.Year < 0 || opts.Year > 9999 {
		return res, invalid("import.year", "must be a year from 1 to 9999, got %d", opts.Year)
	}
	loc := opts.Location
	if loc == nil {
		loc = s.loc
	}
	sr := sheet.NewReader(r, sheet.Limits{MaxCell: ImportMaxCell, MaxRow: ImportMaxRow, MaxRows: ImportMaxRows + 1})
	header, err := sr.Read()
	if err == io.EOF {
		return res, invalid("import.header", "the file is empty; want a header row with date, complaint, made by, directed at")
	}
	if err != nil {
		return res, invalid("import.header", "%v", err)
	}
	col, err := readHeader(header)
	if err != nil {
		return res, err
	}
	now := s.stamp()
	seen := map[string]int{}
	var cs []Complaint
	var lines []int
	for {
		rec, err := sr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// sheet.Reader.Line is only defined after a good row; a parse
			// error carries its own line.
			line := 0
			if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
				line = pe.StartLine
			}
			res.Errors = append(res.Errors, RowError{Line: line, Field: "csv", Rule: err.Error()})
			return refused(res)
		}
		line := sr.Line()
		c, rerr := s.importRow(rec, col, line, opts, loc, now)
		if rerr != nil {
			res.Errors = append(res.Errors, *rerr)
			continue
		}
		if c.ID == "" {
			c.ID = s.naturalID(&c, seen)
		} else if err := driverkit.CheckID("import", Kind, c.ID); err != nil {
			res.Errors = append(res.Errors, RowError{Line: line, Field: colID, Rule: "must be a valid ID: " + err.Error()})
			continue
		}
		if i := slices.IndexFunc(cs, func(o Complaint) bool { return o.ID == c.ID }); i >= 0 {
			res.Errors = append(res.Errors, RowError{Line: line, Field: colID, Rule: fmt.Sprintf("repeats the row on line %d", lines[i])})
			continue
		}
		cs = append(cs, c)
		lines = append(lines, line)
	}
	if len(res.Errors) > 0 {
		return refused(res)
	}
	return s.write(ctx, cs, opts.By, true)
}

// refused is the result of an import with refused rows: nothing written.
func refused(res ImportResult) (ImportResult, error) {
	res.Imported, res.Skipped = nil, nil
	return res, &cxkit.ValidationError{Field: "import", Rule: fmt.Sprintf("%d row(s) refused, first %s; nothing was imported", len(res.Errors), res.Errors[0].Error())}
}

// ImportMany is the bulk path for migrations: it stores complaints taken
// from another system, each in whatever state it reached (closed, with
// its remedy and history), under the same checks as Import's record rows
// and all or nothing in the same way: every complaint is checked first,
// and if any is refused (ImportResult.Errors, by position from 1) nothing
// is written. Each keeps its ID if it has one (an existing ID is skipped,
// so a rerun is idempotent) or gets one derived from its content, gets
// the service's organisation, and gets a history line recording the
// import by by. They are written in atomic batches of a few hundred;
// unlike Import, no events are emitted, because a migration is not news
// to tell customers about.
func (s *Service) ImportMany(ctx context.Context, cs []Complaint, by string) (ImportResult, error) {
	var res ImportResult
	if strings.TrimSpace(by) == "" {
		return res, invalid("import.by", "is required: who imports")
	}
	if len(cs) > ImportMaxRows {
		return res, invalid("import", "at most %d complaints at once, got %d", ImportMaxRows, len(cs))
	}
	now := s.stamp()
	seen := map[string]int{}
	out := make([]Complaint, 0, len(cs))
	ids := map[string]int{}
	for i, c := range cs {
		c.History = slices.Clone(c.History)
		if err := s.checkRecord(&c, now); err != nil {
			res.Errors = append(res.Errors, rowError(i+1, err))
			continue
		}
		if c.ID == "" {
			c.ID = s.naturalID(&c, seen)
		} else if err := driverkit.CheckID("import", Kind, c.ID); err != nil {
			res.Errors = append(res.Errors, RowError{Line: i + 1, Field: "id", Rule: err.Error()})
			continue
		}
		if j, dup := ids[c.ID]; dup {
			res.Errors = append(res.Errors, RowError{Line: i + 1, Field: "id", Rule: fmt.Sprintf("repeats complaint %d", j)})
			continue
		}
		ids[c.ID] = i + 1
		c.History = append(c.History, cxkit.HistoryEntry{At: now, By: by, Action: "imported", From: string(c.Status), To: string(c.Status),
			What: "imported in bulk from another system by " + by})
		out = append(out, c)
	}
	if len(res.Errors) > 0 {
		return refused(res)
	}
	return s.write(ctx, out, by, false)
}

func rowError(line int, err error) RowError {
	var ve *cxkit.ValidationError
	if errors.As(err, &ve) {
		return RowError{Line: line, Field: ve.Field, Rule: ve.Rule}
	}
	return RowError{Line: line, Field: "row", Rule: err.Error()}
}

// write stores cs, skipping those already stored, in atomic batches.
func (s *Service) write(ctx context.Context, cs []Complaint, by string, announce bool) (ImportResult, error) {
	var res ImportResult
	fresh := make([]Complaint, 0, len(cs))
	for _, c := range cs {
		old, err := s.coll.Get(ctx, c.ID)
		switch {
		case err == nil && old.Org == s.cfg.Org:
			res.Skipped = append(res.Skipped, c.ID)
		case err == nil:
			return ImportResult{}, invalid("import.id", "%s is taken by another organisation's complaint; nothing was imported", c.ID)
		case errors.Is(err, store.ErrNotFound):
			fresh = append(fresh, c)
		default:
			return ImportResult{}, err
		}
	}
	for len(fresh) > 0 {
		n := min(importBatch, len(fresh))
		stored, err := s.coll.CreateMany(ctx, fresh[:n])
		if err != nil {
			return res, fmt.Errorf("complaints: import stopped after %d complaints (run it again to finish): %w", len(res.Imported), err)
		}
		for _, c := range stored {
			res.Imported = append(res.Imported, c.ID)
			if announce {
				e := event(EventLogged, &c, by, "imported")
				e.To = string(c.Status)
				s.emit(ctx, e)
			}
		}
		fresh = fresh[n:]
	}
	return res, nil
}

// naturalID derives a complaint's ID from what it says, so that importing
// the same rows twice finds them: a ULID whose time is the receipt (IDs
// still sort in the order complaints were received) and whose random part
// is a hash of the organisation, the row's content and how many identical
// rows came before it in this import.
func (s *Service) naturalID(c *Complaint, seen map[string]int) string {
	key := strings.Join([]string{s.cfg.Org, c.Received.UTC().Format(time.RFC3339Nano), c.Summary, string(c.MadeBy), c.DirectedAt.String()}, "\x00")
	n := seen[key]
	seen[key] = n + 1
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", key, n))
	return ulid.MustNew(ulid.Timestamp(c.Received), bytes.NewReader(sum[:])).String()
}

// header names: what a hand-kept log may call each column.
var headerNames = map[string]string{
	"id": colID, "complaint id": colID, "reference": colID,
	"date": colDate, "date received": colDate, "received": colDate,
	"complaint": colComplaint, "summary": colComplaint, "complaint details": colComplaint, "details": colComplaint,
	"made by": colMadeBy, "complaint made by": colMadeBy, "complainant": colMadeBy, "who complained": colMadeBy,
	"directed at": colDirectedAt, "complaint directed at": colDirectedAt, "about whom": colDirectedAt,
	"outcome": colOutcome, "result": colOutcome, "resolution": colOutcome,
	"category": colCategory, "channel": colChannel, "severity": colSeverity,
	"concerns": colConcerns, "product": colConcerns, "order": colConcerns,
	"status": colStatus, "customer ref": colRef, "customer name": colName, "customer contact": colContact,
	"record": colRecord,
}

func readHeader(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		k = strings.Join(strings.Fields(strings.ReplaceAll(k, "_", " ")), " ")
		name, ok := headerNames[k]
		if !ok {
			return nil, invalid("import.header", "column %d %q is not a column of the complaints log (date, complaint, made by, directed at, outcome, category, channel, severity, concerns, status, id, customer ref, customer name, customer contact, record)", i+1, h)
		}
		if _, dup := col[name]; dup {
			return nil, invalid("import.header", "column %q appears twice", name)
		}
		col[name] = i
	}
	for _, need := range []string{colDate, colComplaint, colMadeBy, colDirectedAt} {
		if _, ok := col[need]; !ok {
			return nil, invalid("import.header", "column %q is required", need)
		}
	}
	return col, nil
}

func (s *Service) importRow(rec []string, col map[string]int, line int, opts ImportOptions, loc *time.Location, now time.Time) (Complaint, *RowError) {
	raw := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	get := func(name string) string { return strings.TrimSpace(raw(name)) }
	fail := func(field, rule string, args ...any) (Complaint, *RowError) {
		return Complaint{}, &RowError{Line: line, Field: field, Rule: fmt.Sprintf(rule, args...)}
	}
	if len(rec) != len(col) {
		return fail("row", "has %d fields, the header has %d", len(rec), len(col))
	}
	for name, i := range col {
		if !utf8.ValidString(rec[i]) || strings.IndexByte(rec[i], 0) >= 0 {
			return fail(name, "must be valid UTF-8 without NUL bytes")
		}
	}
	if rec := raw(colRecord); rec != "" {
		return s.restoreRow(rec, raw, line, opts.By, now)
	}
	ds := get(colDate)
	received, err := parseLogDate(ds, opts, loc)
	if err != nil {
		return fail(colDate, "%v", err)
	}
	n := Intake{Received: received, Channel: ChannelOther, Category: s.cfg.FeedbackCategory, Severity: SeverityMedium, By: opts.By,
		Summary: get(colComplaint), MadeBy: readMadeBy(get(colMadeBy)), DirectedAt: readTarget(get(colDirectedAt)), Concerns: get(colConcerns),
		Customer: Customer{Ref: get(colRef), Name: get(colName), Contact: get(colContact)}}
	if v := get(colCategory); v != "" {
		n.Category = v
	}
	if v := get(colChannel); v != "" {
		n.Channel = Channel(v)
	}
	if v := get(colSeverity); v != "" {
		n.Severity = Severity(v)
	}
	c, err := s.build(n)
	if err != nil {
		r := rowError(line, err)
		r.Field = columnOf(r.Field)
		return Complaint{}, &r
	}
	c.ID = get(colID)
	c.Imported = now
	s.dueTimes(&c)
	c.History[0].Action = "imported"
	c.History[0].What = fmt.Sprintf("imported from CSV line %d by %s; deadlines run from the import; %s", line, opts.By, c.History[0].What)
	if out := get(colOutcome); out != "" {
		c.Status, c.Outcome, c.Closed = StatusClosed, out, now
		c.History = append(c.History, cxkit.HistoryEntry{At: now, By: opts.By, Action: "imported", From: string(StatusReceived), To: string(StatusClosed), What: "closed with outcome from the log: " + out})
	}
	return c, nil
}

// restoreRow reads a row Export wrote with its record column.
func (s *Service) restoreRow(raw string, cell func(string) string, line int, by string, now time.Time) (Complaint, *RowError) {
	get := func(name string) string { return strings.TrimSpace(cell(name)) }
	var c Complaint
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Complaint{}, &RowError{Line: line, Field: colRecord, Rule: "is not a complaint record: " + err.Error()}
	}
	// The visible columns are what a person may have edited: a record
	// that disagrees with them is refused rather than silently preferred.
	for _, chk := range []struct{ name, want string }{{colComplaint, c.Summary}, {colStatus, string(c.Status)}, {colOutcome, c.Outcome}, {colCategory, c.Category}} {
		if v := get(chk.name); v != "" && v != strings.TrimSpace(chk.want) {
			return Complaint{}, &RowError{Line: line, Field: chk.name, Rule: fmt.Sprintf("says %q but the record column says %q: edit one, or delete the record column", v, chk.want)}
		}
	}
	if ref, name, contact := cell(colRef), cell(colName), cell(colContact); ref != "" || name != "" || contact != "" {
		c.Customer = Customer{Ref: ref, Name: name, Contact: contact}
	}
	c.ID = get(colID)
	if err := s.checkRecord(&c, now); err != nil {
		r := rowError(line, err)
		return Complaint{}, &r
	}
	c.History = append(c.History, cxkit.HistoryEntry{At: now, By: by, Action: "imported", From: string(c.Status), To: string(c.Status),
		What: fmt.Sprintf("restored from CSV line %d by %s", line, by)})
	return c, nil
}

// checkRecord validates a whole complaint taken from outside (an export,
// another system) as Log validates a new one, plus its state.
func (s *Service) checkRecord(c *Complaint, now time.Time) error {
	if c.Org != "" && c.Org != s.cfg.Org {
		return invalid("complaint.org", "belongs to %q, not %q", c.Org, s.cfg.Org)
	}
	c.Org = s.cfg.Org
	c.Meta = store.Meta{ID: c.ID}
	n := Intake{Received: c.Received, Channel: c.Channel, Customer: c.Customer, Summary: c.Summary, Category: c.Category, MadeBy: c.MadeBy,
		DirectedAt: c.DirectedAt, Severity: c.Severity, Concerns: c.Concerns, Attachments: c.Attachments, By: "import"}
	if c.Received.IsZero() {
		return invalid("complaint.received", "is required")
	}
	if err := n.validate(); err != nil {
		return err
	}
	if c.Received.After(now.Add(time.Minute)) {
		return invalid("complaint.received", "must not be in the future, got %s", c.Received.Format(time.RFC3339))
	}
	if !slices.Contains(Statuses(), c.Status) {
		return invalid("complaint.status", "must be one of %s, got %q", join(Statuses()), c.Status)
	}
	if c.Resume != "" && (!slices.Contains(Statuses(), c.Resume) || (c.Status != StatusEscalated && c.Status != StatusWaiting)) {
		return invalid("complaint.resume", "must be empty unless escalated or waiting on the customer, and a state, got %q", c.Resume)
	}
	if c.Level < 0 || (c.Level > 0 && c.Level >= len(s.cfg.Ladder)) {
		return invalid("complaint.level", "must be a level of the escalation ladder (0 to %d), got %d", max(len(s.cfg.Ladder)-1, 0), c.Level)
	}
	if r := c.Remedy; r != nil {
		if !slices.Contains(remedy.Kinds(), r.Kind) {
			return invalid("complaint.remedy.kind", "must be one of %s, got %q", join(remedy.Kinds()), r.Kind)
		}
		if !slices.Contains([]remedy.State{remedy.StateApproved, remedy.StatePending, remedy.StateRejected}, r.State) {
			return invalid("complaint.remedy.state", "must be approved, pending or rejected, got %q", r.State)
		}
		if r.Amount.IsNegative() || (!r.Amount.IsZero() && r.Amount.Currency != s.cfg.Policy.Currency) {
			return invalid("complaint.remedy.amount", "must be a positive amount in %s, got %v", s.cfg.Policy.Currency, r.Amount)
		}
	}
	for i, h := range c.History {
		if h.At.IsZero() || strings.TrimSpace(h.Action) == "" {
			return invalid(fmt.Sprintf("complaint.history[%d]", i), "needs a time and an action")
		}
	}
	if c.Status == StatusClosed && c.Closed.IsZero() {
		c.Closed = now
	}
	return nil
}

// columnOf maps a validation field to the CSV column it came from.
func columnOf(field string) string {
	for prefix, col := range map[string]string{
		"complaint.summary": colComplaint, "complaint.made_by": colMadeBy, "complaint.directed_at": colDirectedAt,
		"complaint.category": colCategory, "complaint.channel": colChannel, "complaint.severity": colSeverity,
		"complaint.received": colDate, "complaint.concerns": colConcerns, "complaint.customer": colRef,
	} {
		if strings.HasPrefix(field, prefix) {
			return col
		}
	}
	return field
}

// readMadeBy reads who complained, as this package writes it or in a
// person's words, by keywords; what it cannot place is "other".
func readMadeBy(s string) MadeBy {
	if slices.Contains(MadeBys(), MadeBy(s)) {
		return MadeBy(s)
	}
	l := strings.ToLower(s)
	switch {
	case s == "":
		return ""
	case strings.Contains(l, "public"):
		return MadeByPublic
	case strings.Contains(l, "corporate"), strings.Contains(l, "agency"), strings.Contains(l, "business"), strings.Contains(l, "company"):
		return MadeByCorporate
	case strings.Contains(l, "colleague"), strings.Contains(l, "staff"), strings.Contains(l, "internal"), strings.Contains(l, "employee"):
		return MadeByColleague
	case strings.Contains(l, "regular"), strings.Contains(l, "customer"):
		return MadeByRegular
	}
	return MadeByOther
}

// readTarget reads whom a complaint is directed at: "kind: name" as
// String writes it, or a person's words, whose kind is found by keywords
// and which are kept, without a bracketed remark, as the name.
func readTarget(s string) Target {
	if t, err := ParseTarget(s); err == nil {
		return t
	}
	if s == "" {
		return Target{Kind: "?"} // refused by validation, naming the column
	}
	name, _, _ := strings.Cut(s, "(")
	name = strings.TrimSpace(name)
	l := strings.ToLower(s)
	has := func(words ...string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(l, w) })
	}
	kind := TargetKindUnspecified
	switch {
	case has("outsourc", "contractor", "supplier", "courier", "third party"):
		kind = TargetKindOutsourced
	case has("product", "goods", "item"):
		kind = TargetKindProduct
	case has("policy", "procedure", "rule"):
		kind = TargetKindPolicy
	case has("team", "department", "dept", "branch"):
		kind = TargetKindTeam
	case has("staff", "salesperson", "colleague", "employee", "manager", "agent", "assistant", "clerk", "driver"):
		kind = TargetKindStaff
	}
	return Target{Kind: kind, Name: name}
}
