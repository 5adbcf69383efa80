package feedback

import (
	"context"

	"github.com/cxkit/cxkit"
)

// The events a Service emits, after the change is stored, to the handlers
// given with WithEventHandler. Subject is the item's ID (the response's or
// observation's for the last three); Attrs carry what each line says.
const (
	// EventReceived: an item was taken in. Attrs: channel, kind.
	EventReceived cxkit.EventType = "feedback.received"
	// EventCategorised: an item's category was decided by a rule or the
	// classifier. Attrs: category, source, confidence.
	EventCategorised cxkit.EventType = "feedback.categorised"
	// EventQueued: an item waits for a person. Attrs: queue
	// ("category" or "kind").
	EventQueued cxkit.EventType = "feedback.queued"
	// EventRouted: an item was passed to an owner (To). Attrs: category.
	EventRouted cxkit.EventType = "feedback.routed"
	// EventRecategorised: a person set the category (From, To).
	EventRecategorised cxkit.EventType = "feedback.recategorised"
	// EventKindCorrected: a person confirmed or corrected the kind (From,
	// To).
	EventKindCorrected cxkit.EventType = "feedback.kind_corrected"
	// EventAcknowledged: the owner took note of an item.
	EventAcknowledged cxkit.EventType = "feedback.acknowledged"
	// EventHandedOver: a complaint-kind item became a complaint. Attrs:
	// complaint_id.
	EventHandedOver cxkit.EventType = "feedback.handed_over"
	// EventErased: a customer's identifiers were taken out of an item.
	EventErased cxkit.EventType = "feedback.erased"
	// EventResponseRecorded: a survey response was stored or replaced.
	// Attrs: survey, wave, replaced ("true"/"false").
	EventResponseRecorded cxkit.EventType = "feedback.response_recorded"
	// EventObservationChanged: a secondary measure's observation was
	// recorded, corrected or removed. Attrs: measure, change.
	EventObservationChanged cxkit.EventType = "feedback.observation_changed"
)

// EventTypes returns every event type the package emits.
func EventTypes() []cxkit.EventType {
	return []cxkit.EventType{EventReceived, EventCategorised, EventQueued, EventRouted, EventRecategorised,
		EventKindCorrected, EventAcknowledged, EventHandedOver, EventErased, EventResponseRecorded, EventObservationChanged}
}

func (s *Service) emit(ctx context.Context, events ...cxkit.Event) { s.set.Emit(ctx, events...) }

// intakeEvents are the events of a new item, from its history.
func intakeEvents(it Item, by string) []cxkit.Event {
	ev := []cxkit.Event{{Type: EventReceived, Subject: it.ID, At: it.Created, By: by,
		Attrs: map[string]string{"channel": string(it.Channel), "kind": string(it.Kind)}}}
	c := it.Categorisation
	if c.Source == SourceRule || c.Source == SourceModel {
		ev = append(ev, cxkit.Event{Type: EventCategorised, Subject: it.ID, At: it.Created, To: c.Category, Note: c.describe(),
			Attrs: map[string]string{"category": c.Category, "source": string(c.Source), "confidence": formatConfidence(c.Confidence)}})
	} else {
		ev = append(ev, cxkit.Event{Type: EventQueued, Subject: it.ID, At: it.Created, Note: c.describe(), Attrs: map[string]string{"queue": "category"}})
	}
	if it.KindReview {
		ev = append(ev, cxkit.Event{Type: EventQueued, Subject: it.ID, At: it.Created, Note: "the kind needs a person's check", Attrs: map[string]string{"queue": "kind"}})
	}
	ev = append(ev, cxkit.Event{Type: EventRouted, Subject: it.ID, At: it.Created, To: it.Owner, Attrs: map[string]string{"category": it.Category()}})
	return ev
}
