package strategy

import "github.com/cxkit/cxkit"

// The events the Service delivers to the handlers given with
// WithEventHandler, after the change is stored. Subject is the strategy's
// ID; From and To are stages for stage changes.
const (
	EventCreated cxkit.EventType = "strategy.created"
	EventRevised cxkit.EventType = "strategy.revised"
	// EventApproved, EventCompleted, EventAbandoned and EventReopened
	// (approved back to draft) are the stage changes.
	EventApproved  cxkit.EventType = "strategy.approved"
	EventCompleted cxkit.EventType = "strategy.completed"
	EventAbandoned cxkit.EventType = "strategy.abandoned"
	EventReopened  cxkit.EventType = "strategy.reopened"
	// EventCheckedIn: a target was checked in. Attrs: target, value, unit,
	// confidence.
	EventCheckedIn cxkit.EventType = "strategy.checked_in"
	// EventOffTrack: after a check-in the strategy reads off track. Note
	// says how far behind; Attrs: target.
	EventOffTrack cxkit.EventType = "strategy.off_track"
	// EventInput: staff commented on, supported or objected to the
	// strategy. Attrs: kind.
	EventInput cxkit.EventType = "strategy.input"
)

// EventTypes returns every event type the Service emits.
func EventTypes() []cxkit.EventType {
	return []cxkit.EventType{EventCreated, EventRevised, EventApproved, EventCompleted, EventAbandoned, EventReopened,
		EventCheckedIn, EventOffTrack, EventInput}
}

func stageEvent(from, to Stage) cxkit.EventType {
	switch to {
	case StageApproved:
		return EventApproved
	case StageCompleted:
		return EventCompleted
	case StageAbandoned:
		return EventAbandoned
	}
	return EventReopened
}
