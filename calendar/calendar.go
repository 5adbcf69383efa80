package calendar

import (
	"fmt"
	"time"

	"github.com/cxkit/cxkit"
)

// Calendar is an organisation's business calendar, as data: opening hours
// for each weekday, holidays, and the time zone both are in. Deadlines in
// business hours count only the time the organisation is open.
type Calendar struct {
	// TimeZone is an IANA name such as "Australia/Sydney"; "" means UTC.
	TimeZone string `json:"time_zone,omitempty"`
	// Week holds the opening hours of each day, indexed by time.Weekday
	// (Sunday first). A day with no hours is closed.
	Week [7]Hours `json:"week"`
	// Holidays are closed dates, "2006-01-02", in the calendar's zone.
	Holidays []string `json:"holidays,omitempty"`
}

// Hours are one day's opening hours, "09:00" to "17:00"; Close may be
// "24:00". Both empty means closed.
type Hours struct {
	Open  string `json:"open,omitempty"`
	Close string `json:"close,omitempty"`
}

// WeekdayHours returns a calendar open from open to close Monday to Friday
// in zone, with the given holidays: the usual office.
func WeekdayHours(zone, open, close string, holidays ...string) Calendar {
	c := Calendar{TimeZone: zone, Holidays: holidays}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Week[d] = Hours{Open: open, Close: close}
	}
	return c
}

// A Clock is a compiled Calendar that measures and adds business
// time. Build it with Calendar.Compile; it is immutable and safe for
// concurrent use.
type Clock struct {
	loc      *time.Location
	open     [7]int // minutes after midnight; open == close means closed
	close    [7]int
	holidays map[civil]bool
}

type civil struct {
	y int
	m time.Month
	d int
}

func parseHM(s string) (int, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return 0, false
	}
	if h < 0 || m < 0 || m > 59 || h > 24 || h == 24 && m != 0 {
		return 0, false
	}
	return h*60 + m, true
}

// Compile checks the calendar and returns its clock. A calendar must be
// open for some time in the week, or business deadlines would never fall.
func (c Calendar) Compile() (*Clock, error) {
	loc := time.UTC
	if c.TimeZone != "" {
		l, err := time.LoadLocation(c.TimeZone)
		if err != nil {
			return nil, invalid("calendar.time_zone", "must be an IANA time zone name, got %q", c.TimeZone)
		}
		loc = l
	}
	b := &Clock{loc: loc, holidays: map[civil]bool{}}
	anyOpen := false
	for d, h := range c.Week {
		if h.Open == "" && h.Close == "" {
			continue
		}
		field := fmt.Sprintf("calendar.week[%s]", time.Weekday(d))
		o, ok1 := parseHM(h.Open)
		cl, ok2 := parseHM(h.Close)
		if !ok1 || !ok2 {
			return nil, invalid(field, "hours must be \"HH:MM\" from 00:00 to 24:00, got %q to %q", h.Open, h.Close)
		}
		if o >= cl {
			return nil, invalid(field, "must open before it closes, got %q to %q", h.Open, h.Close)
		}
		b.open[d], b.close[d] = o, cl
		anyOpen = true
	}
	if !anyOpen {
		return nil, invalid("calendar.week", "must have opening hours on at least one day")
	}
	for _, s := range c.Holidays {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, invalid("calendar.holidays", "dates must be YYYY-MM-DD, got %q", s)
		}
		b.holidays[civil{t.Year(), t.Month(), t.Day()}] = true
	}
	return b, nil
}

// Location returns the calendar's time zone.
func (b *Clock) Location() *time.Location { return b.loc }

// window returns the opening hours of the local day that starts at
// midnight, or ok false when the day is closed. It builds the times with
// time.Date so that a daylight-saving change that day is honoured.
func (b *Clock) window(y int, m time.Month, d int) (open, close time.Time, ok bool) {
	day := time.Date(y, m, d, 0, 0, 0, 0, b.loc)
	wd := day.Weekday()
	if b.open[wd] == b.close[wd] || b.holidays[civil{y, m, d}] {
		return time.Time{}, time.Time{}, false
	}
	open = time.Date(y, m, d, b.open[wd]/60, b.open[wd]%60, 0, 0, b.loc)
	close = time.Date(y, m, d, b.close[wd]/60, b.close[wd]%60, 0, 0, b.loc)
	return open, close, true
}

// IsOpen reports whether t falls within business hours.
func (b *Clock) IsOpen(t time.Time) bool {
	l := t.In(b.loc)
	open, close, ok := b.window(l.Year(), l.Month(), l.Day())
	return ok && !t.Before(open) && t.Before(close)
}

// maxDays bounds the day-by-day walks: no business deadline is ten years
// away, and a bound keeps an odd calendar (every day a holiday) from
// spinning.
const maxDays = 3660

// Add returns the instant d of business time after t. Time outside the
// opening hours does not count, so a complaint received on Friday evening
// with an 8-hour target is due at the end of Monday's hours.
func (b *Clock) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	l := t.In(b.loc)
	y, m, day := l.Date()
	for range maxDays {
		if open, close, ok := b.window(y, m, day); ok {
			start := open
			if t.After(start) {
				start = t
			}
			if start.Before(close) {
				avail := close.Sub(start)
				if d <= avail {
					return start.Add(d)
				}
				d -= avail
			}
		}
		next := time.Date(y, m, day+1, 0, 0, 0, 0, b.loc)
		y, m, day = next.Date()
	}
	return t.Add(d) // unreachable with a compiled calendar
}

// Between returns the business time from a to b; zero if b is not after a.
func (b *Clock) Between(a, c time.Time) time.Duration {
	if !c.After(a) {
		return 0
	}
	var total time.Duration
	l := a.In(b.loc)
	y, m, day := l.Date()
	for range maxDays * 3 {
		open, close, ok := b.window(y, m, day)
		if ok {
			s, e := open, close
			if a.After(s) {
				s = a
			}
			if c.Before(e) {
				e = c
			}
			if e.After(s) {
				total += e.Sub(s)
			}
		}
		next := time.Date(y, m, day+1, 0, 0, 0, 0, b.loc)
		if !next.Before(c) {
			break
		}
		y, m, day = next.Date()
	}
	return total
}

func invalid(field, rule string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}
