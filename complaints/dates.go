package complaints

import (
	"time"

	"github.com/cxkit/cxkit/internal/sheet"
)

// parseLogDate reads a date or time as a log kept by hand may hold it (see
// sheet.ParseDate), in loc.
func parseLogDate(s string, opts ImportOptions, loc *time.Location) (time.Time, error) {
	return sheet.ParseDate(s, sheet.DateForm{Year: opts.Year, Location: loc, MonthFirst: opts.MonthFirst})
}
