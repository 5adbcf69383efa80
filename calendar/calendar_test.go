package calendar

import (
	"errors"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

func mustClock(t *testing.T, c Calendar) *Clock {
	t.Helper()
	b, err := c.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Monday 2 November 2026 is a Monday; Friday 25 December 2026 is a holiday.
func at(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, time.UTC) }

func TestBusinessAdd(t *testing.T) {
	b := mustClock(t, WeekdayHours("UTC", "09:00", "17:00", "2026-11-11", "2026-12-25"))
	tests := []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"within the day", at(2, 10, 0), 2 * time.Hour, at(2, 12, 0)},
		{"exactly to closing", at(2, 9, 0), 8 * time.Hour, at(2, 17, 0)},
		{"over the night", at(2, 16, 0), 2 * time.Hour, at(3, 10, 0)},
		{"before opening starts at opening", at(2, 6, 0), time.Hour, at(2, 10, 0)},
		{"after closing starts next morning", at(2, 20, 0), time.Hour, at(3, 10, 0)},
		{"friday evening to monday", at(6, 16, 0), 4 * time.Hour, at(9, 12, 0)},
		{"saturday counts from monday", at(7, 12, 0), time.Hour, at(9, 10, 0)},
		{"sunday night", at(8, 23, 0), 8 * time.Hour, at(9, 17, 0)},
		{"skips the holiday wednesday", at(10, 16, 0), 2 * time.Hour, at(12, 10, 0)},
		{"a whole week", at(2, 9, 0), 40 * time.Hour, at(6, 17, 0)},
		{"a week across the holiday", at(9, 9, 0), 40 * time.Hour, at(16, 17, 0)},
		{"christmas friday to monday", time.Date(2026, 12, 24, 16, 0, 0, 0, time.UTC), 2 * time.Hour, time.Date(2026, 12, 28, 10, 0, 0, 0, time.UTC)},
		{"zero duration", at(7, 12, 0), 0, at(7, 12, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Add(tt.from, tt.d); !got.Equal(tt.want) {
				t.Errorf("Add(%s, %v) = %s, want %s", tt.from.Format(time.RFC1123), tt.d, got.Format(time.RFC1123), tt.want.Format(time.RFC1123))
			}
			if tt.d > 0 {
				if got := b.Between(tt.from, tt.want); got != tt.d {
					t.Errorf("Between(%s, %s) = %v, want %v", tt.from, tt.want, got, tt.d)
				}
			}
		})
	}
}

func TestBusinessBetween(t *testing.T) {
	b := mustClock(t, WeekdayHours("UTC", "09:00", "17:00", "2026-11-11"))
	tests := []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"same day", at(2, 10, 0), at(2, 11, 30), 90 * time.Minute},
		{"weekend only", at(7, 9, 0), at(8, 23, 0), 0},
		{"friday to monday", at(6, 15, 0), at(9, 10, 0), 3 * time.Hour},
		{"across the holiday", at(10, 9, 0), at(12, 17, 0), 16 * time.Hour},
		{"night", at(2, 17, 0), at(3, 9, 0), 0},
		{"backwards", at(3, 9, 0), at(2, 9, 0), 0},
		{"two weeks", at(2, 0, 0), at(16, 0, 0), 9 * 8 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Between(tt.from, tt.to); got != tt.want {
				t.Errorf("Between = %v, want %v", got, tt.want)
			}
		})
	}
}

// Sydney moves its clocks forward at 02:00 on Sunday 4 October 2026; a
// calendar open on Sundays from 01:00 to 05:00 has only 3 real hours then.
func TestBusinessAcrossDaylightSaving(t *testing.T) {
	c := Calendar{TimeZone: "Australia/Sydney"}
	c.Week[time.Sunday] = Hours{"01:00", "05:00"}
	b, err := c.Compile()
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	syd := b.Location()
	from := time.Date(2026, 10, 4, 1, 0, 0, 0, syd)
	if got := b.Between(from, time.Date(2026, 10, 4, 23, 0, 0, 0, syd)); got != 3*time.Hour {
		t.Errorf("Between on the short day = %v, want 3h", got)
	}
	if got := b.Add(from, 4*time.Hour); !got.Equal(time.Date(2026, 10, 11, 2, 0, 0, 0, syd)) {
		t.Errorf("Add 4h = %s, want 02:00 the next Sunday", got)
	}
	if !b.IsOpen(time.Date(2026, 10, 4, 4, 30, 0, 0, syd)) || b.IsOpen(time.Date(2026, 10, 5, 4, 30, 0, 0, syd)) {
		t.Error("IsOpen wrong")
	}
}

func TestCalendarValidation(t *testing.T) {
	tests := []struct {
		name  string
		cal   Calendar
		field string
	}{
		{"closed all week", Calendar{}, "calendar.week"},
		{"bad zone", Calendar{TimeZone: "Mars/Olympus", Week: WeekdayHours("", "09:00", "17:00").Week}, "calendar.time_zone"},
		{"bad hour", WeekdayHours("", "9am", "17:00"), "calendar.week[Monday]"},
		{"closes before opening", WeekdayHours("", "17:00", "09:00"), "calendar.week[Monday]"},
		{"past midnight", WeekdayHours("", "09:00", "24:30"), "calendar.week[Monday]"},
		{"bad holiday", WeekdayHours("", "09:00", "17:00", "25/12/2026"), "calendar.holidays"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.cal.Compile()
			var fe *cxkit.ValidationError
			if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, store.ErrInvalid) {
				t.Errorf("err = %v, want field %s", err, tt.field)
			}
		})
	}
	if _, err := WeekdayHours("", "00:00", "24:00").Compile(); err != nil {
		t.Errorf("round-the-clock weekdays: %v", err)
	}
}
