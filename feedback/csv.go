package feedback

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/sheet"
	"github.com/cxkit/cxkit/store"
	"github.com/oklog/ulid/v2"
)

// csvHeader is the column order of ExportCSV, which ImportCSV reads back.
var csvHeader = []string{
	"id", "received", "channel", "kind", "kind_inferred", "category", "category_source",
	"confidence", "owner", "acknowledged", "complaint_id", "customer", "ratings", "text",
	"contact_name", "contact_email", "contact_phone", "kind_confidence", "kind_review",
	"rule", "phrase", "suggested", "form", "answers", "history",
}

// ExportCSV writes the items received in [from, to) as CSV, one row per
// item with its category in its own column, so that a spreadsheet can
// filter and pivot them. Ratings are "name=value/max" (with the lowest
// value as "name=value/min..max" when it is not 0) joined by "; ". Cells a
// spreadsheet would run as a formula are defused (internal/sheet). Form
// answers and the history are in their last columns as JSON, so that
// ImportCSV restores the items exactly.
func (s *Service) ExportCSV(ctx context.Context, w io.Writer, from, to time.Time) (int, error) {
	sw := sheet.NewWriter(w)
	if err := sw.Write(csvHeader); err != nil {
		return 0, err
	}
	n := 0
	for it, err := range s.Items(ctx, ItemFilter{From: from, To: to}) {
		if err != nil {
			return n, err
		}
		var rs []string
		for _, r := range it.Ratings {
			if r.Min == 0 {
				rs = append(rs, fmt.Sprintf("%s=%d/%d", r.Name, r.Value, r.Max))
			} else {
				rs = append(rs, fmt.Sprintf("%s=%d/%d..%d", r.Name, r.Value, r.Min, r.Max))
			}
		}
		for _, a := range it.Answers {
			if a.Choice == "" && a.Text == "" {
				rs = append(rs, fmt.Sprintf("%s=%d", a.Question, a.Value))
			}
		}
		form, answers := "", ""
		if it.Form != "" {
			form = formRecordID(it.Form, it.FormVersion)
			b, _ := json.Marshal(it.Answers)
			answers = string(b)
		}
		hist, _ := json.Marshal(it.History)
		row := []string{
			it.ID, it.Received.Format(time.RFC3339Nano), string(it.Channel), string(it.Kind),
			strconv.FormatBool(it.KindInferred), it.Category(), string(it.Categorisation.Source),
			strconv.FormatFloat(it.Categorisation.Confidence, 'f', -1, 64), it.Owner,
			strconv.FormatBool(it.Acknowledged), it.ComplaintID, it.CustomerRef,
			strings.Join(rs, "; "), it.Text, it.Contact.Name, it.Contact.Email, it.Contact.Phone,
			strconv.FormatFloat(it.KindConfidence, 'f', -1, 64), strconv.FormatBool(it.KindReview),
			it.Categorisation.Rule, it.Categorisation.Phrase, it.Categorisation.Suggested,
			form, answers, string(hist),
		}
		if err := sw.Write(row); err != nil {
			return n, err
		}
		n++
	}
	return n, sw.Flush()
}

// ImportOptions say how to read a spreadsheet that ImportCSV takes in.
type ImportOptions struct {
	// By is who imports, for the items' history.
	By string
	// Year is the year of dates written without one ("3 June"); such a
	// date without Year is a row problem.
	Year int
	// Location is where the sheet's dates and times were written; default
	// UTC.
	Location *time.Location
	// MonthFirst reads 06/03/2026 as June 3 (a US sheet); by default it is
	// 6 March.
	MonthFirst bool
	// Channel is the channel of rows that name none; default ChannelOther.
	Channel Channel
	// Partial stores the good rows even when some have problems, and
	// lists the problems in the report, which the caller must then act
	// on. By default an import is all or nothing.
	Partial bool
	// MaxCell, MaxRow and MaxRows bound the file (bytes in a cell, bytes
	// in a row, rows), so that a hostile or broken file cannot make the
	// import allocate without limit; zeros take the defaults: cells of 64
	// KiB, rows of 1 MiB, 1,000,000 rows.
	MaxCell, MaxRow, MaxRows int
}

// An ImportReport says what an import did.
type ImportReport struct {
	// Created is how many items were stored.
	Created int
	// Present is how many rows were already in the store (same ID, or for
	// a hand-kept sheet the same date, text, channel and customer) and so
	// were not stored twice.
	Present int
	// Problems lists the rows that were not imported and why. Without
	// ImportOptions.Partial any problem means nothing was stored.
	Problems []RowProblem
}

// A RowProblem is a row ImportCSV could not take, by its line in the file.
type RowProblem struct {
	Line int
	Err  error
}

// ErrImportRows is wrapped by ImportCSV's error when rows had problems and
// nothing was stored; the report lists them.
var ErrImportRows = errors.New("feedback: some rows could not be imported, so none were")

// importBatch is how many items one atomic write of an import holds.
const importBatch = 1000

// ImportCSV reads feedback from a CSV file: either a file ExportCSV wrote,
// which is restored item for item (category, owner, acknowledgement,
// complaint link and history), or a sheet kept by hand, whose rows go
// through the same intake as new feedback (the kind inferred, categorised
// by the organisation's rules and classifier, routed). A hand-kept sheet
// needs a date column ("Date", "Received") and a text column ("Feedback",
// "Comment", "Comments", "Text", "Complaint"); it may have "Channel",
// "Customer" (or "Made by", "From"), "Category", "Kind", "Name", "Email"
// and "Phone" columns, in any order and any case. Dates may be written
// 2026-06-03, 3 June 2026, 3 Jun, June 3, 2026 or 3/6/2026, with
// ImportOptions giving the year and the time zone.
//
// Importing is idempotent: a row already imported (the same ID, or the
// same date, text, channel and customer) is counted as Present and not
// stored again. It is all or nothing unless ImportOptions.Partial: any
// row's problem (reported with its line) stores nothing. A file that
// breaks the limits or is not well-formed CSV stores nothing either. The
// items are written in atomic batches of a thousand, so on a driver
// without batches (none of cxkit's) it fails with errors.ErrUnsupported.
func (s *Service) ImportCSV(ctx context.Context, r io.Reader, opts ImportOptions) (ImportReport, error) {
	var rep ImportReport
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Channel == "" {
		opts.Channel = ChannelOther
	}
	if !opts.Channel.Valid() {
		return rep, invalidf("import.channel", "must be one of %s, got %q", joinChannels(), opts.Channel)
	}
	if opts.Year < 0 || opts.Year > 9999 {
		return rep, invalidf("import.year", "must be a year from 1 to 9999, got %d", opts.Year)
	}
	sr := sheet.NewReader(r, sheet.Limits{MaxCell: opts.MaxCell, MaxRow: opts.MaxRow, MaxRows: opts.MaxRows})
	header, err := sr.Read()
	if err == io.EOF {
		return rep, invalidf("import", "the file is empty: it needs a header row")
	}
	if err != nil {
		return rep, fmt.Errorf("feedback: reading the header: %w", err)
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	_, hasID := cols["id"]
	_, hasHist := cols["history"]
	exported := hasID && hasHist
	var hand handColumns
	if !exported {
		if hand, err = findHandColumns(cols); err != nil {
			return rep, err
		}
	}
	cc, model := s.state()
	now := s.now()
	forms := formCache{}
	var items []Item
	seen := map[string]bool{}
	for {
		row, err := sr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ImportReport{}, fmt.Errorf("feedback: reading the file (nothing imported): %w", err)
		}
		line := sr.Line()
		if blankRow(row) {
			continue
		}
		var it Item
		if exported {
			it, err = s.restoreRow(ctx, cc, cols, row)
		} else {
			it, err = s.handRow(ctx, cc, model, hand, row, opts, now, forms)
		}
		if err != nil {
			rep.Problems = append(rep.Problems, RowProblem{Line: line, Err: err})
			continue
		}
		if seen[it.ID] {
			rep.Present++
			continue
		}
		seen[it.ID] = true
		switch _, err := s.items.Get(ctx, it.ID); {
		case err == nil:
			rep.Present++
			continue
		case !errors.Is(err, store.ErrNotFound):
			return ImportReport{}, err
		}
		items = append(items, it)
	}
	if len(rep.Problems) > 0 && !opts.Partial {
		first := rep.Problems[0]
		return rep, fmt.Errorf("%w: %d rows, the first at line %d: %v", ErrImportRows, len(rep.Problems), first.Line, first.Err)
	}
	for len(items) > 0 {
		n := min(importBatch, len(items))
		stored, err := s.items.CreateMany(ctx, items[:n])
		if err != nil {
			return rep, fmt.Errorf("feedback: storing imported items (%d stored before this batch): %w", rep.Created, err)
		}
		rep.Created += n
		for _, it := range stored {
			s.emit(ctx, intakeEvents(it, opts.By)...)
		}
		items = items[n:]
	}
	return rep, nil
}

func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// restoreRow rebuilds an item from a row of ExportCSV.
func (s *Service) restoreRow(ctx context.Context, cc *compiled, cols map[string]int, row []string) (Item, error) {
	get := func(c string) string {
		if i, ok := cols[c]; ok && i < len(row) {
			return row[i]
		}
		return ""
	}
	var it Item
	it.ID = get("id")
	if it.ID == "" || len(it.ID) > 128 || strings.ContainsFunc(it.ID, func(r rune) bool { return r <= ' ' || r == 0x7f }) || !utf8.ValidString(it.ID) {
		return Item{}, invalidf("id", "must be an item ID (1 to 128 characters, no spaces), got %q", it.ID)
	}
	rec, err := time.Parse(time.RFC3339Nano, get("received"))
	if err != nil {
		return Item{}, invalidf("received", "must be a time like 2026-06-03T09:30:00Z, got %q", get("received"))
	}
	in := Intake{Received: rec, Channel: Channel(get("channel")), CustomerRef: get("customer"), Text: get("text"), Kind: Kind(get("kind")),
		Contact: Contact{Name: get("contact_name"), Email: get("contact_email"), Phone: get("contact_phone")}}
	if in.Ratings, err = parseRatings(get("ratings")); err != nil {
		return Item{}, err
	}
	if f := get("form"); f != "" {
		name, v, ok := strings.Cut(f, "@")
		ver, err := strconv.Atoi(v)
		if !ok || err != nil {
			return Item{}, invalidf("form", "must be name@version, got %q", f)
		}
		in.Form, in.FormVersion = name, ver
		if err := json.Unmarshal([]byte(get("answers")), &in.Answers); err != nil {
			return Item{}, invalidf("answers", "must be the JSON list ExportCSV writes: %v", err)
		}
	}
	if in.Kind == "" {
		return Item{}, invalidf("kind", "must be set in an exported file")
	}
	if err := in.validate(s.now()); err != nil {
		return Item{}, err
	}
	if in.Form != "" {
		f, err := s.Form(ctx, in.Form, in.FormVersion)
		if err != nil {
			return Item{}, invalidf("form", "must be a published form version, got %s", get("form"))
		}
		if err := f.CheckAnswers("answers", in.Answers); err != nil {
			return Item{}, err
		}
	}
	it.Received, it.Channel, it.CustomerRef, it.Contact, it.Text, it.Ratings = in.Received.UTC(), in.Channel, in.CustomerRef, in.Contact, in.Text, in.Ratings
	it.Form, it.FormVersion, it.Answers, it.Kind = in.Form, in.FormVersion, in.Answers, in.Kind
	it.KindInferred = get("kind_inferred") == "true"
	it.KindReview = get("kind_review") == "true"
	if kc := get("kind_confidence"); kc != "" {
		if it.KindConfidence, err = strconv.ParseFloat(kc, 64); err != nil || it.KindConfidence < 0 || it.KindConfidence > 1 {
			return Item{}, invalidf("kind_confidence", "must be a number from 0 to 1, got %q", kc)
		}
	}
	cat := get("category")
	if !cc.known[cat] && cat != Uncategorised {
		return Item{}, invalidCause(ErrUnknownCategory, "category", "must be one of the organisation's categories, got %q", cat)
	}
	src := Source(get("category_source"))
	if !src.valid() {
		return Item{}, invalidf("category_source", "must be one of rule, model, person, none, got %q", src)
	}
	conf, err := strconv.ParseFloat(get("confidence"), 64)
	if err != nil || conf < 0 || conf > 1 {
		return Item{}, invalidf("confidence", "must be a number from 0 to 1, got %q", get("confidence"))
	}
	it.Categorisation = Categorisation{Category: cat, Source: src, Confidence: conf, Rule: get("rule"), Phrase: get("phrase"), Suggested: get("suggested")}
	it.Owner = get("owner")
	if strings.TrimSpace(it.Owner) == "" {
		return Item{}, invalidf("owner", "must not be blank")
	}
	it.Acknowledged = get("acknowledged") == "true"
	it.ComplaintID = get("complaint_id")
	if err := json.Unmarshal([]byte(get("history")), &it.History); err != nil {
		return Item{}, invalidf("history", "must be the JSON list ExportCSV writes: %v", err)
	}
	for _, h := range it.History {
		switch h.Action {
		case "acknowledged":
			it.AcknowledgedBy, it.AcknowledgedAt = h.By, h.At
		case "handed_over":
			it.HandedOverAt = h.At
		case "erased":
			it.Erased = true
		}
	}
	return it, nil
}

func (src Source) valid() bool {
	for _, v := range Sources() {
		if v == src {
			return true
		}
	}
	return false
}

// parseRatings reads the ratings cell of ExportCSV. Entries without a
// scale are form answers, restored from the answers column instead.
func parseRatings(cell string) ([]Rating, error) {
	var out []Rating
	for _, part := range strings.Split(cell, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, rest, ok := strings.Cut(part, "=")
		v, scale, scaled := strings.Cut(rest, "/")
		if !ok {
			return nil, invalidf("ratings", "must be name=value/max entries, got %q", part)
		}
		if !scaled {
			continue
		}
		r := Rating{Name: name}
		var err1, err2, err3 error
		r.Value, err1 = strconv.Atoi(v)
		if lo, hi, ok := strings.Cut(scale, ".."); ok {
			r.Min, err2 = strconv.Atoi(lo)
			r.Max, err3 = strconv.Atoi(hi)
		} else {
			r.Max, err2 = strconv.Atoi(scale)
		}
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, invalidf("ratings", "must be name=value/max entries, got %q", part)
		}
		out = append(out, r)
	}
	return out, nil
}

// handColumns are the columns of a hand-kept sheet, -1 when absent.
type handColumns struct {
	date, text, channel, customer, category, kind, name, email, phone int
}

func findHandColumns(cols map[string]int) (handColumns, error) {
	find := func(names ...string) int {
		for _, n := range names {
			if i, ok := cols[n]; ok {
				return i
			}
		}
		return -1
	}
	h := handColumns{
		date:     find("date", "received", "date received"),
		text:     find("feedback", "comment", "comments", "text", "complaint", "what they said"),
		channel:  find("channel", "how received", "received by", "source"),
		customer: find("customer", "customer ref", "made by", "complaint made by", "from"),
		category: find("category", "about"),
		kind:     find("kind", "type"),
		name:     find("name", "customer name"),
		email:    find("email", "e-mail", "email address"),
		phone:    find("phone", "telephone", "phone number"),
	}
	if h.date < 0 {
		return h, invalidf("import.header", "must have a date column (Date or Received)")
	}
	if h.text < 0 {
		return h, invalidf("import.header", "must have a text column (Feedback, Comment, Comments, Text or Complaint)")
	}
	return h, nil
}

// handRow takes a row of a hand-kept sheet through the intake.
func (s *Service) handRow(ctx context.Context, cc *compiled, model Classifier, h handColumns, row []string, opts ImportOptions, now time.Time, forms formCache) (Item, error) {
	get := func(i int) string {
		if i >= 0 && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	when, err := parseSheetDate(get(h.date), opts)
	if err != nil {
		return Item{}, err
	}
	in := Intake{Received: when, Channel: opts.Channel, CustomerRef: get(h.customer), Text: get(h.text), By: opts.By,
		Contact: Contact{Name: get(h.name), Email: get(h.email), Phone: get(h.phone)}}
	if c := get(h.channel); c != "" {
		in.Channel = Channel(strings.ReplaceAll(strings.ToLower(c), " ", "-"))
		if !in.Channel.Valid() {
			return Item{}, invalidf("channel", "must be one of %s, got %q", joinChannels(), c)
		}
	}
	if k := get(h.kind); k != "" {
		in.Kind = Kind(strings.ToLower(k))
	}
	it, err := s.prepare(ctx, cc, model, in, now, forms)
	if err != nil {
		return Item{}, err
	}
	if c := get(h.category); c != "" {
		cat, ok := "", false
		for known := range cc.known {
			if strings.EqualFold(known, c) {
				cat, ok = known, true
			}
		}
		if !ok {
			return Item{}, invalidCause(ErrUnknownCategory, "category", "must be one of the organisation's categories, got %q", c)
		}
		// The sheet's keeper chose the category: a person's decision.
		it.Categorisation = Categorisation{Category: cat, Source: SourcePerson, Confidence: 1}
		it.History = append(it.History, cxkit.HistoryEntry{At: now, By: opts.By, Action: "recategorised", What: "category " + cat + " as written in the imported sheet", To: cat})
		if owner := cc.owner(cat, it.Kind); owner != it.Owner {
			it.History = append(it.History, cxkit.HistoryEntry{At: now, By: opts.By, Action: "routed", What: "passed to " + owner, From: it.Owner, To: owner})
			it.Owner = owner
		}
	}
	it.History[0].What += " (imported from a spreadsheet)"
	it.ID = naturalID(it)
	return it, nil
}

// naturalID gives a hand-kept row the same ID each time it is imported: a
// ULID whose time is the feedback's and whose random part is a hash of
// what the row says, so a second import finds it present and items still
// list in the order they arrived.
func naturalID(it Item) string {
	h := sha256.Sum256([]byte(strings.Join([]string{it.Received.Format(time.RFC3339Nano), string(it.Channel), it.CustomerRef, it.Text}, "\x00")))
	id, err := ulid.New(ulid.Timestamp(it.Received), bytes.NewReader(h[:]))
	if err != nil {
		// Only a time beyond the year 10889 fails, which validation refuses.
		panic(err)
	}
	return id.String()
}

// parseSheetDate reads the date forms people type into spreadsheets (see
// sheet.ParseDate).
func parseSheetDate(v string, opts ImportOptions) (time.Time, error) {
	t, err := sheet.ParseDate(v, sheet.DateForm{Year: opts.Year, Location: opts.Location, MonthFirst: opts.MonthFirst})
	if err != nil {
		return time.Time{}, invalidf("date", "%v", err)
	}
	return t, nil
}
