package feedback

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"

	"github.com/cxkit/cxkit/store"
)

// Record kinds the package stores.
const (
	KindItemRecord        = "feedback-item"
	KindFormRecord        = "feedback-form"
	KindResponseRecord    = "feedback-response"
	KindObservationRecord = "feedback-observation"
)

// mutateAttempts is how often a read-modify-write retries when another
// writer got there first.
const mutateAttempts = 8

// A Desk is where feedback is handled: it takes items in, sorts them,
// passes them on, keeps forms and survey responses, and summarises. It is
// safe for concurrent use.
type Desk struct {
	items        *store.Collection[Item]
	forms        *store.Collection[Form]
	responses    *store.Collection[Response]
	observations *store.Collection[Observation]
	now          func() time.Time
	handoff      ComplaintTaker

	mu     sync.RWMutex
	cat    *Categoriser
	routes *RoutingTable
}

// An Option configures a Desk.
type Option func(*deskConfig)

type deskConfig struct {
	now     func() time.Time
	handoff ComplaintTaker
	colls   []store.CollectionOption
}

// WithClock makes the desk read the time from now, for every rule that
// depends on it and for the stored timestamps.
func WithClock(now func() time.Time) Option {
	return func(c *deskConfig) { c.now = now }
}

// WithHandOff gives the desk the complaints process to hand complaint-kind
// items to (see HandOff).
func WithHandOff(t ComplaintTaker) Option {
	return func(c *deskConfig) { c.handoff = t }
}

// WithCollectionOptions passes options to the desk's store collections (for
// example reproducible IDs in tests).
func WithCollectionOptions(opts ...store.CollectionOption) Option {
	return func(c *deskConfig) { c.colls = append(c.colls, opts...) }
}

// NewDesk returns a desk storing into d, sorting with cat and passing items
// on by routes. Both are required; routes should have been built from
// cat's categories.
func NewDesk(d store.Driver, cat *Categoriser, routes *RoutingTable, opts ...Option) (*Desk, error) {
	if d == nil {
		return nil, invalidf("desk.driver", "must not be nil")
	}
	if cat == nil {
		return nil, invalidf("desk.categoriser", "must not be nil")
	}
	if routes == nil {
		return nil, invalidf("desk.routes", "must not be nil")
	}
	cfg := deskConfig{now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	copts := append([]store.CollectionOption{store.WithClock(cfg.now)}, cfg.colls...)
	return &Desk{
		items:        store.NewCollection(d, KindItemRecord, itemIndex, copts...),
		forms:        store.NewCollection(d, KindFormRecord, formIndex, copts...),
		responses:    store.NewCollection(d, KindResponseRecord, responseIndex, copts...),
		observations: store.NewCollection(d, KindObservationRecord, observationIndex, copts...),
		now:          cfg.now,
		handoff:      cfg.handoff,
		cat:          cat,
		routes:       routes,
	}, nil
}

// Categoriser returns the categoriser in use.
func (d *Desk) Categoriser() *Categoriser {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.cat
}

// SetCategoriser replaces the categoriser, after a retraining or a change of
// rules; items already stored keep their categories.
func (d *Desk) SetCategoriser(cat *Categoriser) error {
	if cat == nil {
		return invalidf("desk.categoriser", "must not be nil")
	}
	d.mu.Lock()
	d.cat = cat
	d.mu.Unlock()
	return nil
}

// SetRoutes replaces the routing table for items from now on.
func (d *Desk) SetRoutes(t *RoutingTable) error {
	if t == nil {
		return invalidf("desk.routes", "must not be nil")
	}
	d.mu.Lock()
	d.routes = t
	d.mu.Unlock()
	return nil
}

func (d *Desk) config() (*Categoriser, *RoutingTable) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.cat, d.routes
}

// Intake validates a new piece of feedback, infers its kind if not given,
// sorts it into a category, passes it to its owner and stores it. Invalid
// input fails with an error wrapping ErrInvalid and stores nothing.
func (d *Desk) Intake(ctx context.Context, in Intake) (Item, error) {
	now := d.now()
	if err := in.validate(now); err != nil {
		return Item{}, err
	}
	if in.Form != "" {
		f, err := d.Form(ctx, in.Form, in.FormVersion)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return Item{}, invalidf("item.form", "must be a published form version, got %s version %d", in.Form, in.FormVersion)
			}
			return Item{}, err
		}
		if err := checkAnswers("item.answers", f, in.Answers); err != nil {
			return Item{}, err
		}
	}
	cat, routes := d.config()
	it := Item{
		Received: in.Received.UTC(), Channel: in.Channel, CustomerRef: in.CustomerRef,
		Text: in.Text, Ratings: in.Ratings, Form: in.Form, FormVersion: in.FormVersion, Answers: in.Answers,
		Kind: in.Kind,
	}
	it.History = append(it.History, Event{At: now, Who: in.By, What: fmt.Sprintf("received by %s", in.Channel)})
	if it.Kind == "" {
		it.Kind, it.KindConfidence = InferKind(it.fullText())
		it.KindInferred = true
		it.History = append(it.History, Event{At: now, What: fmt.Sprintf("kind inferred: %s (confidence %.2f)", it.Kind, it.KindConfidence)})
	}
	it.Categorisation = cat.Categorise(it.fullText())
	it.History = append(it.History, Event{At: now, What: "categorised: " + describeCategorisation(it.Categorisation)})
	it.Owner = routes.Owner(it.Category(), it.Kind)
	it.History = append(it.History, Event{At: now, What: "passed to " + it.Owner})
	return d.items.Create(ctx, it)
}

func describeCategorisation(c Categorisation) string {
	switch c.Source {
	case SourceRule:
		return fmt.Sprintf("%s by rule %s (matched %q)", c.Category, c.Rule, c.Phrase)
	case SourceModel:
		return fmt.Sprintf("%s by the classifier (confidence %.2f)", c.Category, c.Confidence)
	case SourcePerson:
		return c.Category + " by a person"
	}
	if c.Suggested != "" {
		return fmt.Sprintf("%s: the classifier's best guess was %s at confidence %.2f, below the threshold", c.Category, c.Suggested, c.Confidence)
	}
	return c.Category + ": no rule matched and there is no classifier"
}

// Get returns the item with the given ID.
func (d *Desk) Get(ctx context.Context, id string) (Item, error) { return d.items.Get(ctx, id) }

// Items iterates over the items received in [from, to), oldest ID first,
// with extra filters on the item attributes (received, channel, kind,
// category, source, owner, ack "yes"/"no", customer, form).
func (d *Desk) Items(ctx context.Context, from, to time.Time, filters ...store.Filter) iter.Seq2[Item, error] {
	fs := append(store.Between("received", store.TimeKey(from), store.TimeKey(to)), filters...)
	return d.items.All(ctx, store.Query{Filters: fs, Limit: store.MaxLimit})
}

// Uncategorised iterates over the queue of items waiting for a person to
// categorise them.
func (d *Desk) Uncategorised(ctx context.Context) iter.Seq2[Item, error] {
	return d.items.All(ctx, store.Query{Filters: []store.Filter{store.Where("category", Uncategorised)}, Limit: store.MaxLimit})
}

// Recategorise sets an item's category by hand: from the uncategorised
// queue, or correcting the classifier. The item is passed to the owner of
// its new category (and needs acknowledging again if the owner changed),
// and becomes a training example for the next Retrain.
func (d *Desk) Recategorise(ctx context.Context, id, category, who, why string) (Item, error) {
	cat, routes := d.config()
	if !cat.Known(category) {
		return Item{}, invalidCause(ErrUnknownCategory, "category", "must be one of the organisation's categories, got %q", category)
	}
	if who == "" {
		return Item{}, invalidf("who", "must name the person correcting the category")
	}
	now := d.now()
	return d.items.Mutate(ctx, id, func(it *Item) error {
		old := it.Category()
		it.Categorisation = Categorisation{Category: category, Source: SourcePerson, Confidence: 1}
		it.History = append(it.History, Event{At: now, Who: who, What: fmt.Sprintf("category changed from %s to %s", old, category), Why: why})
		if owner := routes.Owner(category, it.Kind); owner != it.Owner {
			it.Owner = owner
			it.Acknowledged, it.AcknowledgedBy, it.AcknowledgedAt = false, "", time.Time{}
			it.History = append(it.History, Event{At: now, Who: who, What: "passed to " + owner})
		}
		return nil
	})
}

// Acknowledge records that the item's owner (or someone for them) has
// taken note of it. Acknowledging twice is harmless and keeps the first.
func (d *Desk) Acknowledge(ctx context.Context, id, who string) (Item, error) {
	if who == "" {
		return Item{}, invalidf("who", "must name who acknowledged the item")
	}
	now := d.now()
	return d.items.Mutate(ctx, id, func(it *Item) error {
		if it.Acknowledged {
			return nil
		}
		it.Acknowledged, it.AcknowledgedBy, it.AcknowledgedAt = true, who, now
		it.History = append(it.History, Event{At: now, Who: who, What: "acknowledged by " + who})
		return nil
	})
}

// EraseCustomer removes a customer reference from every item and survey
// response that carries it, for a customer who asked to be forgotten, and
// returns how many records changed. The free text is kept: erasing what a
// customer wrote about a meal would lose the feedback, so callers who
// store names in the text must redact it themselves.
func (d *Desk) EraseCustomer(ctx context.Context, ref, who string) (int, error) {
	if ref == "" {
		return 0, invalidf("customer", "must not be empty")
	}
	now := d.now()
	n := 0
	var ids []string
	for it, err := range d.items.All(ctx, store.Query{Filters: []store.Filter{store.Where("customer", ref)}, Limit: store.MaxLimit}) {
		if err != nil {
			return n, err
		}
		ids = append(ids, it.ID)
	}
	for _, id := range ids {
		_, err := d.items.Mutate(ctx, id, func(it *Item) error {
			it.CustomerRef, it.Erased = "", true
			it.History = append(it.History, Event{At: now, Who: who, What: "customer reference erased"})
			return nil
		})
		if err != nil {
			return n, err
		}
		n++
	}
	ids = ids[:0]
	for r, err := range d.responses.All(ctx, store.Query{Filters: []store.Filter{store.Where("respondent", ref)}, Limit: store.MaxLimit}) {
		if err != nil {
			return n, err
		}
		ids = append(ids, r.ID)
	}
	for _, id := range ids {
		if _, err := d.responses.Mutate(ctx, id, func(r *Response) error {
			r.Respondent = ""
			return nil
		}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// CorrectedExamples returns the items a person categorised, as training
// examples, so a classifier can learn from the corrections.
func (d *Desk) CorrectedExamples(ctx context.Context) ([]Example, error) {
	var out []Example
	for it, err := range d.items.All(ctx, store.Query{Filters: []store.Filter{store.Where("source", string(SourcePerson))}, Limit: store.MaxLimit}) {
		if err != nil {
			return nil, err
		}
		out = append(out, Example{Text: it.fullText(), Category: it.Category()})
	}
	return out, nil
}

// Retrain trains a new classifier on base plus every correction people made
// (a corrected text overrides the same text in base), installs it in the
// desk's categoriser and returns it. Items already stored keep their
// categories.
func (d *Desk) Retrain(ctx context.Context, base []Example, opts TrainOptions) (*Classifier, error) {
	corr, err := d.CorrectedExamples(ctx)
	if err != nil {
		return nil, err
	}
	overridden := map[string]bool{}
	for _, e := range corr {
		overridden[e.Text] = true
	}
	all := make([]Example, 0, len(base)+len(corr))
	for _, e := range base {
		if !overridden[e.Text] {
			all = append(all, e)
		}
	}
	all = append(all, corr...)
	m, err := Train(all, opts)
	if err != nil {
		return nil, err
	}
	cat, _ := d.config()
	next, err := cat.WithModel(m)
	if err != nil {
		return nil, err
	}
	if err := d.SetCategoriser(next); err != nil {
		return nil, err
	}
	return m, nil
}
