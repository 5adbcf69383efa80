package complaints

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

func TestCSVRoundTrip(t *testing.T) {
	f := newFixture(t)
	seedLog(t, f, 120, 3)
	c := f.to(StatusClosed) // outcome "apology"
	_ = c
	// Awkward text survives too.
	nw := sampleNew()
	nw.Summary = "Said \"no\", then hung up;\nline two, with commas"
	nw.Category = "rude staff, again"
	nw.DirectedAt = Target{Kind: TargetKindStaff, Name: "Salesperson: Kim"}
	f.must(f.svc.Log(f.ctx, nw))

	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	var first bytes.Buffer
	if err := f.svc.Export(f.ctx, &first, from, to, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	g := newFixture(t)
	g.clock.Set(f.clock.Now())
	res, err := g.svc.Import(g.ctx, bytes.NewReader(first.Bytes()), ImportOptions{By: "importer"})
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("import: %v %+v", err, res.Errors)
	}
	if len(res.Imported) != 122 {
		t.Fatalf("imported %d, want 122", len(res.Imported))
	}
	var second bytes.Buffer
	if err := g.svc.Export(g.ctx, &second, from, to, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	// Every column but the record is the same; the record differs only by
	// the history line recording the import.
	a, b := readAll(t, first.String()), readAll(t, second.String())
	if len(a) != len(b) {
		t.Fatalf("%d rows, then %d", len(a), len(b))
	}
	for i := range a {
		last := len(a[i]) - 1
		if !slices.Equal(a[i][:last], b[i][:last]) {
			t.Errorf("row %d differs:\n%q\n%q", i, a[i][:last], b[i][:last])
		}
		if i == 0 {
			continue
		}
		var ca, cb Complaint
		if err := json.Unmarshal([]byte(a[i][last]), &ca); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(b[i][last]), &cb); err != nil {
			t.Fatal(err)
		}
		if n := len(cb.History) - 1; n != len(ca.History) || cb.History[n].Action != "imported" {
			t.Fatalf("row %d: history %d lines then %d, want one import line more", i, len(ca.History), len(cb.History))
		}
		cb.History = cb.History[:len(cb.History)-1]
		if !reflect.DeepEqual(ca, cb) {
			t.Errorf("row %d: record differs after the round trip:\n%+v\n%+v", i, ca, cb)
		}
	}
	if !strings.HasPrefix(first.String(), "id,date,complaint,made by,directed at,outcome,category,channel,severity,concerns,status,record\n") {
		t.Errorf("header %q", strings.SplitN(first.String(), "\n", 2)[0])
	}
	// Analysis of the imported log matches the original.
	for _, d := range Dimensions()[:5] {
		a, _ := f.svc.Counts(f.ctx, from, to, d)
		b, _ := g.svc.Counts(g.ctx, from, to, d)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %v vs %v", d, a, b)
		}
	}
}

// readAll parses CSV as written, without restoring defused cells.
func readAll(t testing.TB, s string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestImportReportsRowErrors(t *testing.T) {
	f := newFixture(t)
	in := strings.Join([]string{
		"Date,Complaint,Made_By,Directed At,Outcome",
		"2026-06-03,Salesperson could not provide sufficient information,public,staff: Salesperson,",
		"2026-06-06,Goods not delivered on time,corporate-customer,outsourced: Distribution company,credit note",
		"2026-06-08,Information not available in time,colleague,staff: Colleague,",
		"2026-13-40,Bad date,public,staff,",
		"2026-06-09,,public,staff,",
		"2026-06-09,Unknown complainant,,staff,",
		"2026-06-09,Unknown target,public,,",
		"2026-06-09,Too few fields,public",
		"2099-01-01,From the future,public,staff,",
	}, "\n")
	res, err := f.svc.Import(f.ctx, strings.NewReader(in), ImportOptions{By: "clerk"})
	var verr *cxkit.ValidationError
	if !errors.As(err, &verr) || !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("err = %v, want a ValidationError: rows were refused", err)
	}
	// All or nothing: the three good rows are not imported either.
	if len(res.Imported) != 0 || countAll(t, f) != 0 {
		t.Errorf("imported %d rows (store holds %d), want none", len(res.Imported), countAll(t, f))
	}
	want := []RowError{{Line: 5, Field: colDate}, {Line: 6, Field: colComplaint}, {Line: 7, Field: colMadeBy}, {Line: 8, Field: colDirectedAt}, {Line: 9, Field: "row"}, {Line: 10, Field: colDate}}
	if len(res.Errors) != len(want) {
		t.Fatalf("errors %+v", res.Errors)
	}
	for i, w := range want {
		e := res.Errors[i]
		if e.Line != w.Line || e.Field != w.Field || e.Rule == "" || !errors.Is(&e, store.ErrInvalid) {
			t.Errorf("error %d = %+v, want line %d field %s", i, e, w.Line, w.Field)
		}
	}
	// With the bad rows taken out, the rest goes in.
	good := strings.Join(strings.Split(in, "\n")[:4], "\n")
	if res, err = f.svc.Import(f.ctx, strings.NewReader(good), ImportOptions{By: "clerk"}); err != nil || len(res.Imported) != 3 {
		t.Fatalf("good rows: %v %+v", err, res)
	}
	c := f.must(f.svc.Get(f.ctx, res.Imported[1]))
	if c.Status != StatusClosed || c.Outcome != "credit note" || c.MadeBy != MadeByCorporate || c.DirectedAt.Name != "Distribution company" {
		t.Errorf("imported %+v", c)
	}
	if got := c.History[0].What; !strings.Contains(got, "line 3") {
		t.Errorf("history does not name the line: %q", got)
	}
}

func TestImportRejectsBadHeaders(t *testing.T) {
	f := newFixture(t)
	for _, in := range []string{"", "date,complaint,made by\n", "date,complaint,made by,directed at,colour\n", "date,date,complaint,made by,directed at\n", "\"date,complaint\n"} {
		res, err := f.svc.Import(f.ctx, strings.NewReader(in), ImportOptions{By: "clerk"})
		if !errors.Is(err, store.ErrInvalid) || len(res.Imported) != 0 {
			t.Errorf("header %q: %v", in, err)
		}
	}
	n, _ := measure(f.ctx, f.svc, MetricCount, time.Time{}.Add(time.Hour), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if n != 0 {
		t.Errorf("bad headers imported %v complaints", n)
	}
}

// FuzzImportCSV feeds arbitrary bytes to Import: it must never panic, every
// row is either imported or reported with a line and field, and the store
// holds exactly the imported complaints, each valid.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("date,complaint,made by,directed at,outcome\n2026-06-03,Late,public,staff: Sam,\n"))
	f.Add([]byte("date,complaint,made by,directed at\n2026-06-03,\"quoted, text\",colleague,team\n2026-13-40,x,public,staff\n"))
	f.Add([]byte("\ufeffDate,Complaint,Made By,Directed At,Severity,Channel,Category\n2026-06-03T10:00:00Z,x,public,product: K2,high,email,faulty\n"))
	f.Add([]byte("date,complaint,made by,directed at\n\"unterminated,x,y,z\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fx := newFixture(t)
		fx.clock.Set(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
		res, err := fx.svc.Import(fx.ctx, bytes.NewReader(data), ImportOptions{By: "fuzzer", Year: 2026})
		if err != nil && !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if err != nil && len(res.Imported) != 0 {
			t.Fatalf("refused import wrote %d complaints", len(res.Imported))
		}
		for _, e := range res.Errors {
			if e.Field == "" || e.Rule == "" || (e.Line <= 1 && e.Field != "csv") {
				t.Fatalf("row error without line or field: %+v", e)
			}
		}
		gs, cerr := fx.svc.coll.Count(fx.ctx, nil)
		if cerr != nil {
			t.Fatal(cerr)
		}
		if gs[0].Count != int64(len(res.Imported)) {
			t.Fatalf("store holds %d, imported %d", gs[0].Count, len(res.Imported))
		}
		for _, id := range res.Imported {
			c, err := fx.svc.Get(fx.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			n := Intake{Channel: c.Channel, Summary: c.Summary, Category: c.Category, MadeBy: c.MadeBy, DirectedAt: c.DirectedAt, Severity: c.Severity, By: "x"}
			if err := n.validate(); err != nil {
				t.Fatalf("imported an invalid complaint: %v", err)
			}
		}
	})
}

// TestImportedHistoryIsNotBreachedOnArrival: an open row from an old log
// gets its deadlines from the import, so the first Sweep neither reports
// it breached nor escalates it; its own deadlines still fall later.
func TestImportedHistoryIsNotBreachedOnArrival(t *testing.T) {
	f := newFixture(t)
	f.clock.Set(at(9, 10, 0)) // Monday 9 November, 10:00
	in := "date,complaint,made by,directed at,outcome\n" +
		"2026-06-03,Open for months,public,staff: Salesperson,\n" +
		"2026-06-04,Long settled,public,staff: Salesperson,credit note\n"
	res, err := f.svc.Import(f.ctx, strings.NewReader(in), ImportOptions{By: "clerk"})
	if err != nil || len(res.Errors) != 0 || len(res.Imported) != 2 {
		t.Fatalf("import: %v %+v", err, res)
	}
	open := f.must(f.svc.Get(f.ctx, res.Imported[0]))
	if !open.Imported.Equal(at(9, 10, 0)) || open.Received.Year() != 2026 || open.Received.Month() != time.June {
		t.Errorf("imported %s, received %s: want the import time and the historical date", open.Imported, open.Received)
	}
	if want := at(9, 14, 0); !open.Due.Acknowledge.Equal(want) {
		t.Errorf("acknowledge due %s, want %s (4 business hours from the import)", open.Due.Acknowledge, want)
	}
	if rep, err := f.svc.Sweep(f.ctx); err != nil || rep.Breaches != 0 || rep.Escalated != 0 {
		t.Errorf("sweep at import: %+v, %v; want no breaches", rep, err)
	}
	if sum, err := f.svc.Summarise(f.ctx, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)); err != nil || sum.Total != 2 || sum.Breaches != 0 {
		t.Errorf("summary of June: total %d, breaches %d, %v; want 2 and 0", sum.Total, sum.Breaches, err)
	}
	f.clock.Set(at(9, 15, 0))
	if rep, err := f.svc.Sweep(f.ctx); err != nil || rep.Breaches != 1 {
		t.Errorf("sweep after the acknowledgement deadline: %+v, %v; want one breach", rep, err)
	}
}

func countAll(t testing.TB, f *fixture) int64 {
	t.Helper()
	gs, err := f.svc.coll.Count(f.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return gs[0].Count
}
