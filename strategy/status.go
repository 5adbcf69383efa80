package strategy

import (
	"fmt"
	"time"
)

// A Status says whether progress keeps pace with the calendar.
type Status string

// The statuses.
const (
	OnTrack  Status = "on track"
	AtRisk   Status = "at risk"
	OffTrack Status = "off track"
)

// Thresholds decide a status from the lag: the share of the timeline that
// has elapsed minus the progress made. A lag up to OnTrack is on track, up
// to AtRisk at risk, beyond that off track. Measuring the lag rather than a
// ratio keeps the first days of a strategy from reading as off track just
// because nothing has moved yet.
type Thresholds struct {
	OnTrack float64 `json:"on_track"`
	AtRisk  float64 `json:"at_risk"`
}

// DefaultThresholds allow progress to trail the calendar by 10 points before
// a strategy is at risk and by 25 before it is off track.
var DefaultThresholds = Thresholds{OnTrack: 0.10, AtRisk: 0.25}

// Validate checks 0 <= OnTrack <= AtRisk <= 1.
func (th Thresholds) Validate() error {
	if !(th.OnTrack >= 0 && th.OnTrack <= 1) { // written so NaN fails too
		return invalidf("thresholds.on_track", "must be between 0 and 1, got %g", th.OnTrack)
	}
	if !(th.AtRisk >= th.OnTrack && th.AtRisk <= 1) {
		return invalidf("thresholds.at_risk", "must be between on_track (%g) and 1, got %g", th.OnTrack, th.AtRisk)
	}
	return nil
}

// Elapsed is the share of [start, deadline] that has passed at now, clamped
// to [0, 1]. It is 0 when either date is missing.
func Elapsed(start, deadline, now time.Time) float64 {
	if start.IsZero() || deadline.IsZero() || !deadline.After(start) {
		return 0
	}
	return clamp01(float64(now.Sub(start)) / float64(deadline.Sub(start)))
}

// StatusOf compares progress with the elapsed share of the timeline.
func (th Thresholds) StatusOf(progress, elapsed float64) Status {
	switch lag := elapsed - progress; {
	case lag <= th.OnTrack:
		return OnTrack
	case lag <= th.AtRisk:
		return AtRisk
	}
	return OffTrack
}

// A Report is where a strategy or one of its targets stands at a moment.
type Report struct {
	At       time.Time
	Progress float64
	Elapsed  float64
	Status   Status
}

// String returns the report as "on track: 40% done, 24% of the time gone".
func (r Report) String() string {
	return fmt.Sprintf("%s: %.0f%% done, %.0f%% of the time gone", r.Status, 100*r.Progress, 100*r.Elapsed)
}

// StatusAt reports the strategy's weighted progress against its timeline at
// now.
func (s *Strategy) StatusAt(now time.Time, th Thresholds) Report {
	p, e := s.Progress(), Elapsed(s.Start, s.Deadline, now)
	return Report{At: now, Progress: p, Elapsed: e, Status: th.StatusOf(p, e)}
}

// TargetStatusAt reports one target's progress against the strategy's
// timeline at now.
func (s *Strategy) TargetStatusAt(t *Target, now time.Time, th Thresholds) Report {
	p, e := t.Progress(), Elapsed(s.Start, s.Deadline, now)
	return Report{At: now, Progress: p, Elapsed: e, Status: th.StatusOf(p, e)}
}
