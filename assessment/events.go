package assessment

import (
	"context"

	"github.com/cxkit/cxkit"
)

// The events the Service delivers to the handlers given with
// WithEventHandler, after the change is stored. Subject is the ID of the
// assessment, action or audit; Attrs carry the details listed with each.
const (
	// EventCreated: an assessment was set up. Attrs: team, catalogue.
	EventCreated cxkit.EventType = "assessment.created"
	// EventRated: a participant submitted or changed ratings. By is the
	// participant; Note says what changed.
	EventRated cxkit.EventType = "assessment.rated"
	// EventPicksChosen: the team chose its "do well" or "do better" list of
	// a factor. Attrs: factor, kind.
	EventPicksChosen cxkit.EventType = "assessment.picks_chosen"
	// EventClosed: an assessment or an audit was closed. Attrs: record
	// ("assessment" or "audit").
	EventClosed cxkit.EventType = "assessment.closed"
	// EventActionAdded: an action was agreed. Attrs: owner, due
	// (store.TimeKey), and assessment or audit.
	EventActionAdded cxkit.EventType = "assessment.action_added"
	// EventActionMoved: an action changed status; From and To are the
	// statuses.
	EventActionMoved cxkit.EventType = "assessment.action_moved"
	// EventAuditStarted: a service audit was started. Attrs: scope.
	EventAuditStarted cxkit.EventType = "assessment.audit_started"
	// EventAuditFinding: an audit recorded a finding. Attrs: area, finding.
	EventAuditFinding cxkit.EventType = "assessment.audit_finding"
)

// EventTypes returns every event type the Service emits.
func EventTypes() []cxkit.EventType {
	return []cxkit.EventType{EventCreated, EventRated, EventPicksChosen, EventClosed,
		EventActionAdded, EventActionMoved, EventAuditStarted, EventAuditFinding}
}

// emit delivers one event; the change it reports is already stored.
func (s *Service) emit(ctx context.Context, e cxkit.Event) { s.set.Emit(ctx, e) }
