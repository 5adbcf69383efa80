package complaints

import (
	"context"
	"fmt"
	"time"
)

// EventType says what happened.
type EventType string

// The events a Service emits.
const (
	EventLogged       EventType = "logged"       // a complaint was received and logged
	EventTransition   EventType = "transition"   // a workflow step was taken
	EventRemedy       EventType = "remedy"       // a remedy was decided (Remedy.State says if it awaits approval)
	EventApproved     EventType = "approved"     // a pending remedy was approved
	EventRejected     EventType = "rejected"     // a pending remedy was rejected
	EventBreach       EventType = "breach"       // a deadline passed without the step being done
	EventEscalated    EventType = "escalated"    // escalated internally, by a person or by rule
	EventReassigned   EventType = "reassigned"   // responsibility moved
	EventErased       EventType = "erased"       // a customer's personal data was erased
	EventDissatisfied EventType = "dissatisfied" // follow-up found the customer unhappy: offer escalation
)

// Event is a typed notice of a change, for the host CRM (to email the
// customer, page a manager, update a dashboard). It is delivered after the
// change is stored.
type Event struct {
	Type        EventType
	ComplaintID string
	At          time.Time
	By          string
	Step        Step   // for transitions
	From, To    Status // for transitions
	Remedy      *Remedy
	Deadline    string // for breaches
	Level       int    // for escalations
	LevelName   string
	// Offer lists the steps open to a dissatisfied customer.
	Offer []Step
	Note  string
}

// Observer receives events. Events are delivered synchronously, in the
// goroutine that made the change, after the change is stored, to each
// observer in the order they were registered. An error or panic from an
// observer is reported to the Service's error handler (WithErrorHandler)
// as a *DeliveryError, the remaining observers still get the event, and
// the stored change stands either way: the step that caused the event
// returns success.
//
// There is no outbox: an event is delivered once, and one lost to a crash
// between the write and the delivery is not redelivered. A host that must
// not miss one (to email the customer, say) can reconcile from the
// complaints' histories, which always record the change. A slow observer
// slows the step that triggered it; hand long work to a queue.
type Observer interface {
	Observe(ctx context.Context, e Event) error
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(ctx context.Context, e Event) error

// Observe calls f.
func (f ObserverFunc) Observe(ctx context.Context, e Event) error { return f(ctx, e) }

// DeliveryError reports an observer that failed to take an event.
type DeliveryError struct {
	Event Event
	Err   error
}

// Error implements error.
func (e *DeliveryError) Error() string {
	return fmt.Sprintf("complaints: observer failed on %s event for %s: %v", e.Event.Type, e.Event.ComplaintID, e.Err)
}

// Unwrap returns the observer's error.
func (e *DeliveryError) Unwrap() error { return e.Err }

// emit delivers events to every observer, in order. It runs after the
// write, so nothing an observer does can undo or lose the change.
func (s *Service) emit(ctx context.Context, events ...Event) {
	s.mu.RLock()
	obs := append([]Observer(nil), s.observers...)
	s.mu.RUnlock()
	for _, e := range events {
		for _, o := range obs {
			if err := deliver(ctx, o, e); err != nil {
				s.onError(&DeliveryError{Event: e, Err: err})
			}
		}
	}
}

func deliver(ctx context.Context, o Observer, e Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("observer panicked: %v", r)
		}
	}()
	return o.Observe(ctx, e)
}

// Observe registers o to receive every later event.
func (s *Service) Observe(o Observer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observers = append(s.observers, o)
}
