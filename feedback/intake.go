package feedback

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/survey"
)

// Intake validates a new piece of feedback, infers its kind if not given,
// sorts it into a category, passes it to its owner and stores it. Invalid
// input fails with a *cxkit.ValidationError and stores nothing.
func (s *Service) Intake(ctx context.Context, in Intake) (Item, error) {
	cc, model := s.state()
	forms := formCache{}
	it, err := s.prepare(ctx, cc, model, in, s.now(), forms)
	if err != nil {
		return Item{}, err
	}
	it, err = s.items.Create(ctx, it)
	if err != nil {
		return Item{}, err
	}
	s.emit(ctx, intakeEvents(it, in.By)...)
	return it, nil
}

// formCache keeps the form versions one intake or batch has read.
type formCache map[string]survey.Form

// prepare checks in and builds the item Intake stores: kind, category,
// owner and history.
func (s *Service) prepare(ctx context.Context, cc *compiled, model Classifier, in Intake, now time.Time, forms formCache) (Item, error) {
	if err := in.validate(now); err != nil {
		return Item{}, err
	}
	if in.Form != "" {
		key := formRecordID(in.Form, in.FormVersion)
		f, ok := forms[key]
		if !ok {
			var err error
			f, err = s.Form(ctx, in.Form, in.FormVersion)
			if err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return Item{}, invalidf("item.form", "must be a published form version, got %s version %d", in.Form, in.FormVersion)
				}
				return Item{}, err
			}
			forms[key] = f
		}
		if err := f.CheckAnswers("item.answers", in.Answers); err != nil {
			return Item{}, err
		}
	}
	it := Item{
		Received: in.Received.UTC(), Channel: in.Channel, CustomerRef: in.CustomerRef, Contact: in.Contact,
		Text: in.Text, Ratings: in.Ratings, Form: in.Form, FormVersion: in.FormVersion, Answers: in.Answers,
		Kind: in.Kind,
	}
	it.History = append(it.History, cxkit.HistoryEntry{At: now, By: in.By, Action: "received", What: fmt.Sprintf("received by %s", in.Channel)})
	text := it.fullText()
	if it.Kind == "" {
		it.Kind, it.KindConfidence = InferKind(text)
		it.KindInferred = true
		it.KindReview = it.KindConfidence < cc.cfg.KindThreshold
		what := fmt.Sprintf("kind inferred: %s (confidence %.2f)", it.Kind, it.KindConfidence)
		if it.KindReview {
			what += ", below the threshold: waiting for a person to check it"
		}
		it.History = append(it.History, cxkit.HistoryEntry{At: now, Action: "kind_inferred", What: what, To: string(it.Kind)})
	}
	it.Categorisation = categorise(ctx, cc, model, text)
	action := "categorised"
	if it.Categorisation.Source == SourceNone {
		action = "queued"
	}
	it.History = append(it.History, cxkit.HistoryEntry{At: now, Action: action, What: "categorised: " + it.Categorisation.describe(), To: it.Category()})
	it.Owner = cc.owner(it.Category(), it.Kind)
	it.History = append(it.History, cxkit.HistoryEntry{At: now, Action: "routed", What: "passed to " + it.Owner, To: it.Owner})
	return it, nil
}

// Get returns the item with the given ID.
func (s *Service) Get(ctx context.Context, id string) (Item, error) { return s.items.Get(ctx, id) }

// An ItemFilter selects items for Items. Zero fields select everything;
// From and To bound the time received, [From, To).
type ItemFilter struct {
	From, To time.Time
	Channel  Channel
	Kind     Kind
	Category string
	Source   Source
	Owner    string
	Customer string
	Form     string
	// Unacknowledged keeps only the items their owner has not yet
	// acknowledged.
	Unacknowledged bool
}

func (f ItemFilter) filters() []store.Filter {
	var fs []store.Filter
	if !f.From.IsZero() || !f.To.IsZero() {
		to := f.To
		if to.IsZero() {
			to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		fs = append(fs, store.Between("received", store.TimeKey(f.From), store.TimeKey(to))...)
	}
	for _, kv := range [][2]string{{"channel", string(f.Channel)}, {"kind", string(f.Kind)}, {"category", f.Category},
		{"source", string(f.Source)}, {"owner", f.Owner}, {"customer", f.Customer}, {"form", f.Form}} {
		if kv[1] != "" {
			fs = append(fs, store.Where(kv[0], kv[1]))
		}
	}
	if f.Unacknowledged {
		fs = append(fs, store.Where("ack", "false"))
	}
	return fs
}

// Items iterates over the items f selects, oldest first.
func (s *Service) Items(ctx context.Context, f ItemFilter) iter.Seq2[Item, error] {
	return s.items.All(ctx, store.Query{Filters: f.filters(), Limit: store.MaxLimit})
}

// Uncategorised iterates over the queue of items waiting for a person to
// categorise them.
func (s *Service) Uncategorised(ctx context.Context) iter.Seq2[Item, error] {
	return s.Items(ctx, ItemFilter{Category: Uncategorised})
}

// KindQueue iterates over the items whose inferred kind was below
// Config.KindThreshold and that no person has checked yet.
func (s *Service) KindQueue(ctx context.Context) iter.Seq2[Item, error] {
	return s.items.All(ctx, store.Query{Filters: []store.Filter{store.Where("kind_review", "true")}, Limit: store.MaxLimit})
}

// Recategorise sets an item's category by hand: from the uncategorised
// queue, or correcting the classifier. The item is passed to the owner of
// its new category (and needs acknowledging again if the owner changed),
// and becomes a training example for the next Retrain.
func (s *Service) Recategorise(ctx context.Context, id, category, by, why string) (Item, error) {
	cc, _ := s.state()
	if !cc.known[category] {
		return Item{}, invalidCause(ErrUnknownCategory, "category", "must be one of the organisation's categories, got %q", category)
	}
	if by == "" {
		return Item{}, invalidf("by", "must name the person correcting the category")
	}
	now := s.now()
	var old, oldOwner string
	it, err := s.items.Mutate(ctx, id, func(it *Item) error {
		old, oldOwner = it.Category(), it.Owner
		it.Categorisation = Categorisation{Category: category, Source: SourcePerson, Confidence: 1}
		it.History = append(it.History, cxkit.HistoryEntry{At: now, By: by, Action: "recategorised", What: fmt.Sprintf("category changed from %s to %s", old, category), Why: why, From: old, To: category})
		s.reroute(it, cc, now, by)
		return nil
	})
	if err != nil {
		return Item{}, err
	}
	ev := []cxkit.Event{{Type: EventRecategorised, Subject: id, By: by, From: old, To: category, Note: why}}
	if it.Owner != oldOwner {
		ev = append(ev, cxkit.Event{Type: EventRouted, Subject: id, By: by, From: oldOwner, To: it.Owner, Attrs: map[string]string{"category": category}})
	}
	s.emit(ctx, ev...)
	return it, nil
}

// reroute passes an item to the owner its category and kind now call for;
// a new owner has to acknowledge it afresh.
func (s *Service) reroute(it *Item, cc *compiled, now time.Time, by string) {
	if owner := cc.owner(it.Category(), it.Kind); owner != it.Owner {
		it.History = append(it.History, cxkit.HistoryEntry{At: now, By: by, Action: "routed", What: "passed to " + owner, From: it.Owner, To: owner})
		it.Owner = owner
		it.Acknowledged, it.AcknowledgedBy, it.AcknowledgedAt = false, "", time.Time{}
	}
}

// CorrectKind records a person's decision on an item's kind: a correction
// of the inferred kind, or a confirmation (the same kind), which takes the
// item off the kind review queue either way. The change is recorded in
// the history with the reason, and the item is passed on again if its
// route depends on the kind.
func (s *Service) CorrectKind(ctx context.Context, id string, kind Kind, by, why string) (Item, error) {
	if !kind.Valid() {
		return Item{}, invalidf("kind", "must be one of %s, got %q", joinKinds(), kind)
	}
	if by == "" {
		return Item{}, invalidf("by", "must name the person deciding the kind")
	}
	cc, _ := s.state()
	now := s.now()
	var old Kind
	var oldOwner string
	it, err := s.items.Mutate(ctx, id, func(it *Item) error {
		old, oldOwner = it.Kind, it.Owner
		what := fmt.Sprintf("kind changed from %s to %s", old, kind)
		if old == kind {
			what = fmt.Sprintf("kind %s confirmed", kind)
		}
		it.Kind, it.KindInferred, it.KindReview = kind, false, false
		it.History = append(it.History, cxkit.HistoryEntry{At: now, By: by, Action: "kind_corrected", What: what, Why: why, From: string(old), To: string(kind)})
		s.reroute(it, cc, now, by)
		return nil
	})
	if err != nil {
		return Item{}, err
	}
	ev := []cxkit.Event{{Type: EventKindCorrected, Subject: id, By: by, From: string(old), To: string(kind), Note: why}}
	if it.Owner != oldOwner {
		ev = append(ev, cxkit.Event{Type: EventRouted, Subject: id, By: by, From: oldOwner, To: it.Owner, Attrs: map[string]string{"category": it.Category()}})
	}
	s.emit(ctx, ev...)
	return it, nil
}

// Acknowledge records that the item's owner (or someone for them) has
// taken note of it. Acknowledging twice is harmless and keeps the first.
func (s *Service) Acknowledge(ctx context.Context, id, by string) (Item, error) {
	if by == "" {
		return Item{}, invalidf("by", "must name who acknowledged the item")
	}
	now := s.now()
	first := false
	it, err := s.items.Mutate(ctx, id, func(it *Item) error {
		if it.Acknowledged {
			first = false
			return nil
		}
		first = true
		it.Acknowledged, it.AcknowledgedBy, it.AcknowledgedAt = true, by, now
		it.History = append(it.History, cxkit.HistoryEntry{At: now, By: by, Action: "acknowledged", What: "acknowledged by " + by})
		return nil
	})
	if err == nil && first {
		s.emit(ctx, cxkit.Event{Type: EventAcknowledged, Subject: id, By: by})
	}
	return it, err
}

// CorrectedExamples returns the items a person categorised, as training
// examples, so a classifier can learn from the corrections.
func (s *Service) CorrectedExamples(ctx context.Context) ([]classify.Example, error) {
	var out []classify.Example
	for it, err := range s.Items(ctx, ItemFilter{Source: SourcePerson}) {
		if err != nil {
			return nil, err
		}
		out = append(out, classify.Example{Text: it.fullText(), Category: it.Category()})
	}
	return out, nil
}

// Retrain trains a new classify.Model on base plus every correction people
// made (a corrected text overrides the same text in base), installs it as
// the service's classifier and returns it. Items already stored keep their
// categories; a failed training changes nothing.
func (s *Service) Retrain(ctx context.Context, base []classify.Example, opts classify.TrainOptions) (*classify.Model, error) {
	corr, err := s.CorrectedExamples(ctx)
	if err != nil {
		return nil, err
	}
	overridden := map[string]bool{}
	for _, e := range corr {
		overridden[e.Text] = true
	}
	all := make([]classify.Example, 0, len(base)+len(corr))
	for _, e := range base {
		if !overridden[e.Text] {
			all = append(all, e)
		}
	}
	all = append(all, corr...)
	m, err := classify.Train(all, opts)
	if err != nil {
		return nil, err
	}
	if err := s.SetClassifier(m); err != nil {
		return nil, err
	}
	return m, nil
}

func formatConfidence(c float64) string { return strconv.FormatFloat(c, 'f', 2, 64) }
