package complaints

import "github.com/cxkit/cxkit"

// The events a Service delivers to the handlers given by WithEventHandler,
// after the change is stored. Event.Subject is the complaint's ID; From and
// To are its states for a change of state. Attrs hold, where they apply:
// "step" (the workflow step), "deadline" (acknowledge, resolve, follow-up,
// referral), "due" (the deadline, store.TimeKey form), "level" and
// "level_name" (escalation), "remedy" (as the log's outcome column shows
// it) and "remedy_state", "owner" (who should act now), "offer" (the steps
// open to a dissatisfied customer, comma separated), "outcome" and
// "replaced" (an outcome recorded before, when a new one replaces it),
// "method" and "paid" (a refund's payment).
//
// Events are not the audit trail: a complaint's History always records the
// change, and an event lost to a crash between the write and the delivery
// is not sent again.
const (
	EventLogged       cxkit.EventType = "complaint.logged"       // received and logged (or imported, or handed over)
	EventTransition   cxkit.EventType = "complaint.transition"   // a workflow step was taken
	EventRemedy       cxkit.EventType = "complaint.remedy"       // remedy_state says if it awaits approval
	EventApproved     cxkit.EventType = "complaint.approved"     // a pending remedy was approved
	EventRejected     cxkit.EventType = "complaint.rejected"     // a pending remedy was rejected
	EventRefundPaid   cxkit.EventType = "complaint.refund-paid"  // how and when the money went back
	EventAtRisk       cxkit.EventType = "complaint.at-risk"      // a deadline passed its warning point
	EventBreach       cxkit.EventType = "complaint.breach"       // a deadline passed without the step being done
	EventEscalated    cxkit.EventType = "complaint.escalated"    // escalated internally, by a person or by rule
	EventReassigned   cxkit.EventType = "complaint.reassigned"   // responsibility moved
	EventOutcome      cxkit.EventType = "complaint.outcome"      // an outcome was recorded (solution, outside body, closing)
	EventErased       cxkit.EventType = "complaint.erased"       // a customer's personal data was erased
	EventDissatisfied cxkit.EventType = "complaint.dissatisfied" // follow-up found the customer unhappy: offer escalation
)

func event(t cxkit.EventType, c *Complaint, by, note string, attrs ...string) cxkit.Event {
	e := cxkit.Event{Type: t, Subject: c.ID, By: by, Note: note}
	if len(attrs) > 0 {
		e.Attrs = make(map[string]string, len(attrs)/2)
		for i := 0; i+1 < len(attrs); i += 2 {
			e.Attrs[attrs[i]] = attrs[i+1]
		}
	}
	return e
}
