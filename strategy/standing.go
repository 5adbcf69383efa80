package strategy

import (
	"fmt"
	"time"
)

// A Standing says whether progress keeps pace with the calendar: a health
// reading, not a stage of the strategy's life.
type Standing string

// The standings.
const (
	StandingOnTrack  Standing = "on track"
	StandingAtRisk   Standing = "at risk"
	StandingOffTrack Standing = "off track"
	// StandingTooEarly: not one full measurement window has passed since
	// the start, so no reading can say anything yet.
	StandingTooEarly Standing = "too early to tell"
)

// Standings returns the standings, best first.
func Standings() []Standing {
	return []Standing{StandingOnTrack, StandingAtRisk, StandingOffTrack, StandingTooEarly}
}

// Thresholds decide a standing from the lag: the share of the timeline
// that has elapsed minus the progress made. A lag up to OnTrack is on
// track, up to AtRisk at risk, beyond that off track. Measuring the lag
// rather than a ratio keeps the first weeks of a strategy from reading as
// off track just because nothing has moved yet.
type Thresholds struct {
	OnTrack float64 `json:"on_track"`
	AtRisk  float64 `json:"at_risk"`
}

// DefaultThresholds allows progress to trail the calendar by 10 points
// before a strategy is at risk and by 25 before it is off track; a Config
// with zero Thresholds uses them.
func DefaultThresholds() Thresholds { return Thresholds{OnTrack: 0.10, AtRisk: 0.25} }

// Validate checks 0 <= OnTrack <= AtRisk <= 1.
func (th Thresholds) Validate() error {
	if !(th.OnTrack >= 0 && th.OnTrack <= 1) { // written so NaN fails too
		return invalidf("config.thresholds.on_track", "must be between 0 and 1, got %g", th.OnTrack)
	}
	if !(th.AtRisk >= th.OnTrack && th.AtRisk <= 1) {
		return invalidf("config.thresholds.at_risk", "must be between on_track (%g) and 1, got %g", th.OnTrack, th.AtRisk)
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

// StandingOf compares progress with the elapsed share of the timeline.
func (th Thresholds) StandingOf(progress, elapsed float64) Standing {
	switch lag := elapsed - progress; {
	case lag <= th.OnTrack:
		return StandingOnTrack
	case lag <= th.AtRisk:
		return StandingAtRisk
	}
	return StandingOffTrack
}

// A Report is where a strategy or one of its targets stands at a moment.
type Report struct {
	At       time.Time
	Progress float64
	Elapsed  float64
	Standing Standing
	// Ready is when the first reading counts, for a report too early to
	// tell.
	Ready time.Time
}

// String returns the report in words: "on track: 40% done, 24% of the
// time gone", or "too early to tell: the first full measurement window
// ends on 2027-02-01".
func (r Report) String() string {
	if r.Standing == StandingTooEarly && r.Ready.IsZero() {
		return fmt.Sprintf("%s: no targets yet", r.Standing)
	}
	if r.Standing == StandingTooEarly {
		return fmt.Sprintf("%s: the first full measurement window ends on %s", r.Standing, day(r.Ready))
	}
	return fmt.Sprintf("%s: %.0f%% done, %.0f%% of the time gone", r.Standing, 100*r.Progress, 100*r.Elapsed)
}

// TargetReportAt reports one target at now, from its check-ins dated no
// later than now and no earlier than one full measurement window after the
// start (see Target.ValueAt), against its own deadline. Before that window
// has passed it is too early to tell.
func (s *Strategy) TargetReportAt(t *Target, now time.Time, th Thresholds) Report {
	ready := t.ReadyAt(s.Start)
	if s.Start.IsZero() || now.Before(ready) {
		return Report{At: now, Standing: StandingTooEarly, Ready: ready}
	}
	v, _ := t.ValueAt(s.Start, now)
	p, e := t.ProgressAt(v), Elapsed(s.Start, t.deadline(s), now)
	return Report{At: now, Progress: p, Elapsed: e, Standing: th.StandingOf(p, e), Ready: ready}
}

// ReportAt reports the strategy at now: the weighted progress of the
// targets a reading can speak for yet (see TargetReportAt), against the
// strategy's timeline. Check-ins dated after now are not counted. When no
// target has had a full measurement window yet, it is too early to tell.
func (s *Strategy) ReportAt(now time.Time, th Thresholds) Report {
	var sum, weights float64
	ready := time.Time{}
	for i := range s.Targets {
		t := &s.Targets[i]
		r := s.TargetReportAt(t, now, th)
		if r.Standing == StandingTooEarly {
			if ready.IsZero() || r.Ready.Before(ready) {
				ready = r.Ready
			}
			continue
		}
		sum += t.Weight * r.Progress
		weights += t.Weight
	}
	if weights == 0 {
		return Report{At: now, Standing: StandingTooEarly, Ready: ready}
	}
	p, e := sum/weights, Elapsed(s.Start, s.Deadline, now)
	return Report{At: now, Progress: p, Elapsed: e, Standing: th.StandingOf(p, e)}
}
