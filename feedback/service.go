package feedback

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/classify"
	"github.com/cxkit/cxkit/internal/service"
	"github.com/cxkit/cxkit/store"
)

// Sentinel errors; test for them with errors.Is.
var (
	// ErrUnknownCategory: a rule, route or correction named a category the
	// organisation has not defined. It comes wrapped in a
	// *cxkit.ValidationError.
	ErrUnknownCategory = errors.New("feedback: unknown category")
	// ErrNoHandOff: a complaint-kind item was to be handed to the complaints
	// process but no WithComplaintHandOff was given.
	ErrNoHandOff = errors.New("feedback: no complaints hand-off configured")
)

// RecordItem is the record kind of feedback items in the store, for a host
// that counts or backs up records by kind.
const (
	RecordItem = "feedback-item"
	// recordForm, recordResponse and recordObservation are the kinds of
	// form versions, survey responses and secondary measures.
	recordForm        = "feedback-form"
	recordResponse    = "feedback-response"
	recordObservation = "feedback-observation"
)

// A Classifier suggests a category for a text. classify.Model is one; a
// host can plug in its own (an embedding service, a language model) with
// WithClassifier. A Classifier that also has a Categories() []string
// method is checked against the organisation's categories by New.
type Classifier interface {
	Classify(ctx context.Context, text string) (classify.Prediction, error)
}

// A Service is where feedback is handled: it takes items in, sorts them,
// passes them on, keeps forms, survey responses and secondary measures,
// and summarises. It is safe for concurrent use.
type Service struct {
	items        *store.Collection[Item]
	forms        *store.Collection[formRecord]
	responses    *store.Collection[Response]
	observations *store.Collection[Observation]
	set          service.Settings
	handoff      ComplaintTaker

	respMu sync.Mutex // serialises one-response-per-wave checks
	mu     sync.RWMutex
	cfg    *compiled
	model  Classifier
}

// An Option configures how a Service runs in a program.
type Option func(*options)

type options struct {
	service.Settings
	classifier Classifier
	handoff    ComplaintTaker
}

// WithClock makes the service read the time from now, for every rule that
// depends on it and for every stored timestamp.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.Now = now }
}

// WithLogger sends the service's logs (failed event deliveries) to l
// instead of slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.Logger = l }
}

// WithRetryAttempts sets how often a read-modify-write is tried when
// another writer got there first (default store.DefaultRetryAttempts).
func WithRetryAttempts(n int) Option {
	return func(o *options) { o.RetryAttempts = n }
}

// WithEntropy makes record IDs draw their random part from r, for
// reproducible IDs in tests.
func WithEntropy(r io.Reader) Option {
	return func(o *options) { o.Entropy = r }
}

// WithEventHandler adds h to the handlers that receive the service's
// events after each change is stored; it may be given several times.
func WithEventHandler(h cxkit.EventHandler) Option {
	return func(o *options) { o.Handlers = append(o.Handlers, h) }
}

// WithClassifier makes the service categorise with c whatever no rule
// decides. Without it, only the rules categorise and the rest waits for a
// person.
func WithClassifier(c Classifier) Option {
	return func(o *options) { o.classifier = c }
}

// WithComplaintHandOff gives the service the complaints process to hand
// complaint-kind items to (see HandOff).
func WithComplaintHandOff(t ComplaintTaker) Option {
	return func(o *options) { o.handoff = t }
}

// New returns a service storing into d and following cfg. A nil driver or
// a configuration that breaks a rule fails with a *cxkit.ValidationError,
// as does a classifier that predicts a category cfg does not have.
func New(d store.Driver, cfg Config, opts ...Option) (*Service, error) {
	if d == nil {
		return nil, invalidf("driver", "must not be nil")
	}
	cc, err := compile(cfg)
	if err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	o.Defaults()
	if err := checkClassifier(cc, o.classifier); err != nil {
		return nil, err
	}
	copts := o.CollectionOptions()
	return &Service{
		items:        store.NewCollection(d, RecordItem, itemIndex, copts...),
		forms:        store.NewCollection(d, recordForm, formIndex, copts...),
		responses:    store.NewCollection(d, recordResponse, responseIndex, copts...),
		observations: store.NewCollection(d, recordObservation, observationIndex, copts...),
		set:          o.Settings,
		handoff:      o.handoff,
		cfg:          cc,
		model:        o.classifier,
	}, nil
}

// checkClassifier refuses a classifier that can predict a category the
// organisation does not have, when it can say which it predicts.
func checkClassifier(cc *compiled, c Classifier) error {
	lc, ok := c.(interface{ Categories() []string })
	if !ok {
		return nil
	}
	for _, cat := range lc.Categories() {
		if !cc.known[cat] {
			return invalidCause(ErrUnknownCategory, "classifier", "predicts %q, which is not one of the organisation's categories", cat)
		}
	}
	return nil
}

// Config returns the configuration in use, with defaults filled in.
func (s *Service) Config() Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg.cfg
}

// Classifier returns the classifier in use, or nil.
func (s *Service) Classifier() Classifier {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.model
}

// SetClassifier replaces the classifier, after a retraining; nil leaves
// categorising to the rules. Items already stored keep their categories.
func (s *Service) SetClassifier(c Classifier) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := checkClassifier(s.cfg, c); err != nil {
		return err
	}
	s.model = c
	return nil
}

// Reconfigure replaces the configuration for items from now on (a new
// category, another owner). Items already stored keep their categories
// and owners. A configuration that breaks a rule changes nothing.
func (s *Service) Reconfigure(cfg Config) error {
	cc, err := compile(cfg)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := checkClassifier(cc, s.model); err != nil {
		return err
	}
	s.cfg = cc
	return nil
}

func (s *Service) state() (*compiled, Classifier) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg, s.model
}

func (s *Service) now() time.Time { return s.set.Now().UTC() }
