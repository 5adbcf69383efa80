package complaints

import (
	"fmt"
	"strings"
	"time"
)

// Date forms a log kept by hand may use. Go's layouts read one- or
// two-digit days and months and month names in any case.
var (
	datesWithYear = []string{"2006-01-02", "2 January 2006", "2 Jan 2006", "January 2 2006", "Jan 2 2006", "January 2, 2006", "Jan 2, 2006",
		"Monday 2 January 2006", "Mon 2 Jan 2006"}
	datesWithoutYear = []string{"2 January", "2 Jan", "January 2", "Jan 2", "Monday 2 January", "Mon 2 Jan"}
)

// parseLogDate reads a date or time as a log may hold it: an RFC 3339
// time, or a date in loc, with or without a year.
func parseLogDate(s string, opts ImportOptions, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ".", "/")), " ")
	if s == "" {
		return time.Time{}, fmt.Errorf("is required")
	}
	numeric := []string{"2/1/2006", "2-1-2006"}
	short := []string{"2/1", "2-1"}
	if opts.MonthFirst {
		numeric = []string{"1/2/2006", "1-2-2006"}
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
		if opts.Year == 0 {
			return time.Time{}, fmt.Errorf("%q has no year: give the year in the import options", s)
		}
		d := time.Date(opts.Year, t.Month(), t.Day(), 0, 0, 0, 0, loc)
		if d.Month() != t.Month() {
			return time.Time{}, fmt.Errorf("%q is not a date in %d", s, opts.Year)
		}
		return d, nil
	}
	return time.Time{}, fmt.Errorf("must be a date such as 2026-06-03, 3 June 2026, 3/6/2026 or 3 June (with the year given), or an RFC 3339 time, got %q", s)
}
