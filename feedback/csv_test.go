package feedback

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/internal/sheet"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/survey"
)

// handSheet is a feedback log kept by hand, in the seed's manner: day and
// month only, a "made by" column, headers as people type them.
const handSheet = `Date,Feedback,Made by,Channel,Category
3 June,Salesperson could not say when the menu changes,g201,phone,
6 June,"The towels were not changed, again",g202,Email,
8 June,Could you add a vegetarian breakfast?,,face to face,food
`

func TestImportHandKeptSheet(t *testing.T) {
	f := newFixture(t)
	f.clock.set(time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC))
	ctx := context.Background()
	syd, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	// Without the year, "3 June" is a problem, and nothing is stored.
	rep, err := f.desk.ImportCSV(ctx, strings.NewReader(handSheet), ImportOptions{By: "coordinator"})
	if !errors.Is(err, ErrImportRows) || len(rep.Problems) != 3 || !strings.Contains(rep.Problems[0].Err.Error(), "no year") || rep.Problems[0].Line != 2 {
		t.Fatalf("no year: %+v %v", rep, err)
	}
	if n := f.count(t, RecordItem); n != 0 {
		t.Fatalf("a refused import stored %d items", n)
	}
	opts := ImportOptions{By: "coordinator", Year: 2026, Location: syd}
	rep, err = f.desk.ImportCSV(ctx, strings.NewReader(handSheet), opts)
	if err != nil || rep.Created != 3 || rep.Present != 0 || len(rep.Problems) != 0 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	var items []Item
	for it, err := range f.desk.Items(ctx, ItemFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	first := items[0]
	if want := time.Date(2026, 6, 3, 0, 0, 0, 0, syd); !first.Received.Equal(want) || first.Channel != ChannelPhone || first.CustomerRef != "g201" {
		t.Errorf("first row: %+v", first)
	}
	if first.Category() != "food" || first.Categorisation.Source != SourceRule || !strings.Contains(first.History[0].What, "spreadsheet") {
		t.Errorf("first row went through intake as %+v, history %q", first.Categorisation, first.History[0].What)
	}
	if items[1].Channel != ChannelEmail || items[1].Category() != "housekeeping" {
		t.Errorf("second row: %+v", items[1])
	}
	if third := items[2]; third.Channel != ChannelFaceToFace || third.Categorisation.Source != SourcePerson || third.Owner != "chef" {
		t.Errorf("third row (category given): %+v", third)
	}
	// Importing the same sheet again stores nothing twice.
	rep, err = f.desk.ImportCSV(ctx, strings.NewReader(handSheet), opts)
	if err != nil || rep.Created != 0 || rep.Present != 3 {
		t.Fatalf("re-import: %+v %v", rep, err)
	}
	if n := f.count(t, RecordItem); n != 3 {
		t.Errorf("%d items after re-import, want 3", n)
	}
}

func TestImportRefusesBadFilesWhole(t *testing.T) {
	f := newFixture(t)
	f.clock.set(time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC))
	ctx := context.Background()
	tests := []struct {
		name string
		file string
		opts ImportOptions
		want error
	}{
		// A malformed quote half-way stopped the old import silently.
		{"bad quote", "Date,Feedback\n2026-06-01,fine\n2026-06-02,\"broken \"quote\" here\n2026-06-03,after\n", ImportOptions{}, nil},
		{"bad row", "Date,Feedback,Channel\n2026-06-01,fine,email\n2026-06-02,second,pigeon\n", ImportOptions{}, ErrImportRows},
		{"no text column", "Date,Rating\n2026-06-01,4\n", ImportOptions{}, store.ErrInvalid},
		{"huge cell", "Date,Feedback\n2026-06-01,ok\n2026-06-02," + strings.Repeat("x", 5000) + "\n", ImportOptions{MaxCell: 1000}, sheet.ErrTooLarge},
		{"too many rows", "Date,Feedback\n2026-06-01,a\n2026-06-02,b\n2026-06-03,c\n", ImportOptions{MaxRows: 3}, sheet.ErrTooLarge},
		{"future", "Date,Feedback\n2027-06-01,from the future\n", ImportOptions{}, ErrImportRows},
	}
	for _, tt := range tests {
		_, err := f.desk.ImportCSV(ctx, strings.NewReader(tt.file), tt.opts)
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: %v, want an error wrapping %v", tt.name, err, tt.want)
		}
		if n := f.count(t, RecordItem); n != 0 {
			t.Fatalf("%s: stored %d items", tt.name, n)
		}
	}
	// With Partial, the good rows go in and the bad one is reported.
	rep, err := f.desk.ImportCSV(ctx, strings.NewReader(tests[1].file), ImportOptions{Partial: true})
	if err != nil || rep.Created != 1 || len(rep.Problems) != 1 || rep.Problems[0].Line != 3 {
		t.Errorf("partial: %+v %v", rep, err)
	}
}

// Export then import into an empty store gives back the same items:
// category, owner, acknowledgement, complaint link, contact, answers and
// history.
func TestExportImportRoundTrip(t *testing.T) {
	src := newFixture(t)
	ctx := context.Background()
	publishStayForm(t, src.desk)
	at := src.clock.now().Add(-48 * time.Hour)
	a, _ := src.desk.Intake(ctx, Intake{Received: at, Channel: ChannelEmail, CustomerRef: "g1", Text: "=the breakfast eggs were cold", Kind: KindComplaint,
		Ratings: []Rating{{Name: "stay", Value: 2, Min: 1, Max: 5}, {Name: "food", Value: 0, Min: 0, Max: 4}}})
	b, _ := src.desk.Intake(ctx, Intake{Received: at.Add(time.Hour), Channel: ChannelOnlineForm, Contact: Contact{Name: "Dana", Email: "d@example.org"},
		Form: "guest-stay", FormVersion: 1, Answers: []survey.Answer{{Question: "overall", Value: 5}, {Question: "purpose", Choice: "leisure"}, {Question: "comments", Text: "lovely, thanks"}}})
	c, _ := src.desk.Intake(ctx, Intake{Received: at.Add(2 * time.Hour), Channel: ChannelLetter, Text: "xyzzy plugh"})
	if _, err := src.desk.Acknowledge(ctx, a.ID, "chef"); err != nil {
		t.Fatal(err)
	}
	if _, err := src.desk.HandOff(ctx, a.ID, "duty manager"); err != nil {
		t.Fatal(err)
	}
	if _, err := src.desk.Recategorise(ctx, c.ID, "front-desk", "anna", "a letter to reception"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if n, err := src.desk.ExportCSV(ctx, &buf, at, src.clock.now()); err != nil || n != 3 {
		t.Fatalf("export %d %v", n, err)
	}
	dst := newFixture(t)
	publishStayForm(t, dst.desk)
	exported := buf.String()
	rep, err := dst.desk.ImportCSV(ctx, strings.NewReader(exported), ImportOptions{By: "migration"})
	if err != nil || rep.Created != 3 {
		t.Fatalf("import %+v %v", rep, err)
	}
	for _, id := range []string{a.ID, b.ID, c.ID} {
		want, _ := src.desk.Get(ctx, id)
		got, err := dst.desk.Get(ctx, id)
		if err != nil {
			t.Fatalf("%s not imported: %v", id, err)
		}
		want.Meta, got.Meta = store.Meta{}, store.Meta{}
		if w, g := fmtItem(want), fmtItem(got); w != g {
			t.Errorf("round trip of %s:\nwant %s\n got %s", id, w, g)
		}
	}
	if rep, err := dst.desk.ImportCSV(ctx, strings.NewReader(exported), ImportOptions{}); err != nil || rep.Present != 3 || rep.Created != 0 {
		t.Errorf("re-import %+v %v", rep, err)
	}
}

// fmtItem prints an item with its times in UTC, for comparing.
func fmtItem(it Item) string {
	h := slices.Clone(it.History)
	for i := range h {
		h[i].At = h[i].At.UTC()
	}
	it.History = h
	it.Received = it.Received.UTC()
	it.AcknowledgedAt = it.AcknowledgedAt.UTC()
	it.HandedOverAt = it.HandedOverAt.UTC()
	return fmt.Sprintf("%+v", it)
}

func TestSheetDates(t *testing.T) {
	opts := ImportOptions{Year: 2026, Location: time.UTC}
	want := time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)
	for _, v := range []string{"2026-06-03", "3 June 2026", "3 Jun 2026", "June 3, 2026", "3 June", "3 Jun", "June 3", "3/6/2026", "03/06/2026", "Wednesday 3 June 2026"} {
		got, err := parseSheetDate(v, opts)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v", v, got, err)
		}
	}
	us := opts
	us.MonthFirst = true
	if got, err := parseSheetDate("6/3/2026", us); err != nil || !got.Equal(want) {
		t.Errorf("US date: %v %v", got, err)
	}
	for _, v := range []string{"", "soon", "32 June 2026", "3 Jume"} {
		if _, err := parseSheetDate(v, opts); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%q accepted: %v", v, err)
		}
	}
}

// FuzzImportCSV feeds arbitrary files to the import: it must never panic,
// and a file it refuses must store nothing.
func FuzzImportCSV(f *testing.F) {
	f.Add(handSheet)
	f.Add("Date,Feedback\n2026-06-01,\"unterminated\n")
	f.Add("id,received,history\nx,y,z\n")
	f.Add("Date,Comment\n1/1,\xff\n")
	f.Fuzz(func(t *testing.T, file string) {
		fx := newFixture(t)
		ctx := context.Background()
		rep, err := fx.desk.ImportCSV(ctx, strings.NewReader(file), ImportOptions{Year: 2026})
		n := fx.count(t, RecordItem)
		if err != nil && n != 0 {
			t.Fatalf("refused import (%v) stored %d items", err, n)
		}
		if err == nil && int64(rep.Created) != n {
			t.Fatalf("report says %d created, store has %d", rep.Created, n)
		}
	})
}
