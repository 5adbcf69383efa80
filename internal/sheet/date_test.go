package sheet

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	f := DateForm{Year: 2026}
	want := time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)
	for _, v := range []string{"2026-06-03", "3 June 2026", "3 Jun 2026", "June 3, 2026", "3 June", "3 jun", "June 3", "3/6/2026", "03/06/2026", "3.6.2026", "3/6/26", "Wednesday 3 June 2026", "  3   June  "} {
		got, err := ParseDate(v, f)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v", v, got, err)
		}
	}
	if got, err := ParseDate("6/3/2026", DateForm{MonthFirst: true}); err != nil || !got.Equal(want) {
		t.Errorf("month first: %v %v", got, err)
	}
	sydney, _ := time.LoadLocation("Australia/Sydney")
	if got, err := ParseDate("3 June", DateForm{Year: 2026, Location: sydney}); err != nil || !got.Equal(time.Date(2026, 6, 3, 0, 0, 0, 0, sydney)) {
		t.Errorf("in a zone: %v %v", got, err)
	}
	for _, v := range []string{"", "soon", "32 June 2026", "3 Jume", "31 June"} {
		if _, err := ParseDate(v, f); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
	if _, err := ParseDate("3 June", DateForm{}); err == nil {
		t.Error("a date without a year accepted without DateForm.Year")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"3 June", "2026-06-03", "3/6/26", "29 Feb"} {
		f.Add(s, 2026, false)
	}
	f.Fuzz(func(t *testing.T, s string, year int, monthFirst bool) {
		got, err := ParseDate(s, DateForm{Year: year % 10000, MonthFirst: monthFirst})
		if err == nil && got.IsZero() && s != "" {
			t.Fatalf("%q gave the zero time without an error", s)
		}
	})
}
