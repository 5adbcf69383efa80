package calendar_test

import (
	"fmt"
	"time"

	"github.com/cxkit/cxkit/calendar"
)

// A complaint received late on Friday with an eight-business-hour target
// falls due at the end of Monday's hours.
func ExampleClock_Add() {
	clock, err := calendar.WeekdayHours("UTC", "09:00", "17:00").Compile()
	if err != nil {
		fmt.Println(err)
		return
	}
	friday := time.Date(2026, 11, 6, 18, 30, 0, 0, time.UTC)
	fmt.Println(clock.Add(friday, 8*time.Hour).Format("Mon 2 Jan 15:04"))
	// Output: Mon 9 Nov 17:00
}

// Between counts only the open hours: a weekend costs nothing.
func ExampleClock_Between() {
	clock, _ := calendar.WeekdayHours("UTC", "09:00", "17:00").Compile()
	fri := time.Date(2026, 11, 6, 16, 0, 0, 0, time.UTC)
	mon := time.Date(2026, 11, 9, 10, 0, 0, 0, time.UTC)
	fmt.Println(clock.Between(fri, mon))
	// Output: 2h0m0s
}

// A calendar with a mistake says which field is wrong.
func ExampleCalendar_Compile() {
	_, err := calendar.WeekdayHours("UTC", "9am", "17:00").Compile()
	fmt.Println(err)
	// Output: calendar.week[Monday]: hours must be "HH:MM" from 00:00 to 24:00, got "9am" to "17:00"
}
