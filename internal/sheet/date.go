package sheet

import (
	"fmt"
	"strings"
	"time"
)

// DateForm says how to read the dates of a sheet kept by hand: the year
// of dates written without one ("3 June"), the time zone of dates written
// without a time, and whether 03/06/2026 is the 6th of March (month first,
// as in the United States) or the 3rd of June.
type DateForm struct {
	Year       int
	Location   *time.Location // nil: UTC
	MonthFirst bool
}

// Date forms people type into spreadsheets; Go's layouts read one- or
// two-digit days and months and month names in any case.
var (
	datesWithYear = []string{"2006-01-02 15:04", "2006-01-02", "2 January 2006", "2 Jan 2006", "January 2 2006", "Jan 2 2006",
		"January 2, 2006", "Jan 2, 2006", "Monday 2 January 2006", "Mon 2 Jan 2006"}
	datesWithoutYear = []string{"2 January", "2 Jan", "January 2", "Jan 2", "Monday 2 January", "Mon 2 Jan"}
)

// ParseDate reads a date or time as a sheet kept by hand may hold it: an
// RFC 3339 time, or a date in f's time zone, with or without a year, with
// numbers split by slashes, dashes or dots. A date without a year needs
// f.Year; a day that does not exist in its year (31 June) is an error.
func ParseDate(s string, f DateForm) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	loc := f.Location
	if loc == nil {
		loc = time.UTC
	}
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ".", "/")), " ")
	if s == "" {
		return time.Time{}, fmt.Errorf("is required")
	}
	numeric := []string{"2/1/2006", "2/1/06", "2-1-2006"}
	short := []string{"2/1", "2-1"}
	if f.MonthFirst {
		numeric = []string{"1/2/2006", "1/2/06", "1-2-2006"}
		short = []string{"1/2", "1-2"}
	}
	for _, l := range append(datesWithYear, numeric...) {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	for _, l := range append(datesWithoutYear, short...) {
		t, err := time.ParseInLocation(l, s, loc)
		if err != nil {
			continue
		}
		if f.Year == 0 {
			return time.Time{}, fmt.Errorf("%q has no year: give the year in the import options", s)
		}
		d := time.Date(f.Year, t.Month(), t.Day(), 0, 0, 0, 0, loc)
		if d.Month() != t.Month() {
			return time.Time{}, fmt.Errorf("%q is not a date in %d", s, f.Year)
		}
		return d, nil
	}
	return time.Time{}, fmt.Errorf("must be a date such as 2026-06-03, 3 June 2026, 3/6/2026 or 3 June (with the year given), or an RFC 3339 time, got %q", s)
}
