package cxkit

import (
	"context"
	"time"
)

// An EventType names what happened, prefixed by the kind of record:
// "complaint.logged", "feedback.routed", "strategy.approved". Each package
// lists the types it emits as constants.
type EventType string

// An Event is a notification to the host program that something happened
// to a record (to e-mail a customer, page a manager, refresh a dashboard).
// It is not the audit trail: that is the record's history of HistoryEntry
// values, which is always written; events are what the host subscribes to.
// Every package delivers the same envelope, to the EventHandlers given by
// its WithEventHandler option, after the change is stored.
type Event struct {
	// ID identifies this event; it sorts by time. A consumer that may see
	// an event twice can use it to notice.
	ID string `json:"id"`
	// Type says what happened.
	Type EventType `json:"type"`
	// Subject is the ID of the record the event is about.
	Subject string `json:"subject"`
	// At is when it happened, by the service's clock.
	At time.Time `json:"at"`
	// By is who or what made it happen.
	By string `json:"by,omitempty"`
	// From and To are the states before and after, for a change of state.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Note is a short explanation in words.
	Note string `json:"note,omitempty"`
	// Attrs holds the details particular to the type, as each package's
	// doc for that type lists them (the deadline that was missed, the new
	// owner).
	Attrs map[string]string `json:"attrs,omitempty"`
}

// An EventHandler receives events. HandleEvent runs in the goroutine that
// made the change, after it is stored; an error is logged by the service
// and does not undo the change, so hand slow work to a queue.
type EventHandler interface {
	HandleEvent(ctx context.Context, e Event) error
}

// EventHandlerFunc adapts a function to EventHandler.
type EventHandlerFunc func(ctx context.Context, e Event) error

// HandleEvent calls f.
func (f EventHandlerFunc) HandleEvent(ctx context.Context, e Event) error { return f(ctx, e) }
