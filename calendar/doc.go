// Package calendar measures time the way an organisation's service levels
// do: in the hours it is open. A Calendar is data (opening hours per
// weekday, holidays, a time zone) that can sit in a configuration file;
// Compile checks it and returns the Clock that adds and measures business
// time:
//
//	cal := calendar.WeekdayHours("Australia/Sydney", "09:00", "17:00", "2026-12-25")
//	clock, err := cal.Compile()
//	if err != nil {
//		return err // a *cxkit.ValidationError naming the bad field
//	}
//	due := clock.Add(received, 8*time.Hour) // one business day later
//
// Package complaints uses it for deadlines set in business hours.
package calendar
