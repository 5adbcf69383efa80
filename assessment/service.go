package assessment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/service"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// Record kinds the Service stores. They carry the package name so they
// cannot collide with another package's kinds in a shared store.
const (
	KindAssessment = "assessment"
	KindSheet      = "assessment.sheet"
	KindAction     = "assessment.action"
	KindAudit      = "assessment.audit"
	KindCatalogue  = "assessment.catalogue"
)

// Service runs assessments, actions and audits over a store.Driver. It is
// safe for concurrent use if the driver is.
type Service struct {
	set         service.Settings
	cfg         Config
	driver      store.Driver
	assessments *store.Collection[Assessment]
	sheets      *store.Collection[sheetRecord]
	actions     *store.Collection[Action]
	audits      *store.Collection[Audit]
	catalogues  *store.Collection[catalogueRecord]

	mu    sync.RWMutex
	known map[string]*Catalogue // built-ins, Config.Catalogues and ones read from the store
}

// Config is what the organisation decides about its assessments and
// audits: the catalogues of its own it rates against, beside the built-in
// ones, and how often its service audit is due.
type Config struct {
	// Catalogues are made available without storing them (for example
	// ones the program loads from its own files at start). They must be
	// valid.
	Catalogues []*Catalogue `json:"catalogues,omitempty"`
	// AuditEveryMonths is how many months after an audit's period ends the
	// next one is due (see Service.AuditsDue); 0 means audits run on no
	// schedule.
	AuditEveryMonths int `json:"audit_every_months,omitempty"`
}

// Validate checks the catalogues and the audit schedule. Errors are
// *cxkit.ValidationError values with paths under "config.".
func (c Config) Validate() error {
	for i, cat := range c.Catalogues {
		f := fmt.Sprintf("config.catalogues[%d]", i)
		if cat == nil {
			return invalidf(f, "must not be nil")
		}
		if err := cat.Validate(); err != nil {
			var ve *cxkit.ValidationError
			if errors.As(err, &ve) {
				return &cxkit.ValidationError{Field: f + strings.TrimPrefix(ve.Field, "catalogue"), Rule: ve.Rule, Err: ve.Err}
			}
			return err
		}
	}
	if c.AuditEveryMonths < 0 {
		return invalidf("config.audit_every_months", "must not be negative, got %d", c.AuditEveryMonths)
	}
	return nil
}

// An Option sets how the program runs the Service (clock, logger, retries,
// IDs, event handlers), as opposed to what the organisation decides, which
// is in Config.
type Option func(*options)

type options struct {
	service.Settings
}

// WithClock makes the service read the time from now instead of time.Now,
// in every layer down to the store, so every time rule can be tested.
func WithClock(now func() time.Time) Option { return func(o *options) { o.Now = now } }

// WithLogger sends the service's logs (failed event deliveries) to l
// instead of slog.Default().
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.Logger = l } }

// WithRetryAttempts sets how often a read-modify-write is tried when
// another writer got there first (store.DefaultRetryAttempts by default).
func WithRetryAttempts(n int) Option { return func(o *options) { o.RetryAttempts = n } }

// WithEntropy makes record IDs draw their random part from r, for
// reproducible IDs in tests.
func WithEntropy(r io.Reader) Option { return func(o *options) { o.Entropy = r } }

// WithEventHandler delivers the service's events to h after each change is
// stored; it may be given several times.
func WithEventHandler(h cxkit.EventHandler) Option {
	return func(o *options) { o.Handlers = append(o.Handlers, h) }
}

// New returns a Service storing into d, with the built-in catalogues and
// those of cfg. A nil driver or an invalid cfg is a *cxkit.ValidationError.
func New(d store.Driver, cfg Config, opts ...Option) (*Service, error) {
	if d == nil {
		return nil, invalidf("driver", "must not be nil")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	o.Defaults()
	builtin, err := Builtin()
	if err != nil {
		return nil, err
	}
	s := &Service{set: o.Settings, cfg: cfg, driver: d, known: map[string]*Catalogue{}}
	for _, c := range append(builtin, cfg.Catalogues...) {
		s.known[c.Key()] = c
	}
	co := o.CollectionOptions()
	s.assessments = store.NewCollection(d, KindAssessment, indexAssessment, co...)
	s.sheets = store.NewCollection(d, KindSheet, indexSheet, co...)
	s.actions = store.NewCollection(d, KindAction, indexAction, co...)
	s.audits = store.NewCollection(d, KindAudit, indexAudit, co...)
	s.catalogues = store.NewCollection[catalogueRecord](d, KindCatalogue, nil, co...)
	return s, nil
}

func (s *Service) now() time.Time { return s.set.Now() }

func (s *Service) stamp() time.Time { return s.now().UTC() }

// catalogueRecord stores a user's catalogue so assessments made against it
// stay readable after a restart.
type catalogueRecord struct {
	store.Meta
	Catalogue Catalogue `json:"catalogue"`
	Scale     Scale     `json:"scale"`
}

// AddCatalogue validates c (with any extra scales it rates on) and stores
// it, so assessments can use it from then on. A catalogue is identified by
// ID and version: storing a different catalogue under a key that exists
// fails with an error wrapping store.ErrAlreadyExists; publish a new
// version instead.
func (s *Service) AddCatalogue(ctx context.Context, c *Catalogue, extra ...Scale) error {
	scale, err := c.validate(append(BuiltinScales(), extra...))
	if err != nil {
		return err
	}
	if _, err := s.Catalogue(ctx, c.ID, c.Version); err == nil {
		return fmt.Errorf("assessment: catalogue %s: %w", c.Key(), store.ErrAlreadyExists)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if _, err := s.catalogues.Create(ctx, catalogueRecord{Meta: store.Meta{ID: c.Key()}, Catalogue: *c, Scale: scale}); err != nil {
		return err
	}
	s.mu.Lock()
	s.known[c.Key()] = c
	s.mu.Unlock()
	return nil
}

// Catalogue returns the catalogue with the given ID and version: a built-in
// one, one given to New, or one stored with AddCatalogue. The result is
// shared; do not change it.
func (s *Service) Catalogue(ctx context.Context, id, version string) (*Catalogue, error) {
	key := id + "@" + version
	s.mu.RLock()
	c, ok := s.known[key]
	s.mu.RUnlock()
	if ok {
		return c, nil
	}
	if driverkit.CheckID("get", KindCatalogue, key) != nil {
		return nil, fmt.Errorf("assessment: catalogue %s: %w", key, store.ErrNotFound)
	}
	rec, err := s.catalogues.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("assessment: catalogue %s: %w", key, err)
	}
	c = &rec.Catalogue
	s.mu.Lock()
	s.known[key] = c
	s.mu.Unlock()
	return c, nil
}

// catalogueScale returns the catalogue and the scale it names.
func (s *Service) catalogueScale(ctx context.Context, id, version string) (*Catalogue, Scale, error) {
	c, err := s.Catalogue(ctx, id, version)
	if err != nil {
		return nil, Scale{}, err
	}
	if sc, ok := findScale(BuiltinScales(), c.Scale); ok {
		return c, sc, nil
	}
	rec, err := s.catalogues.Get(ctx, c.Key())
	if err != nil {
		return nil, Scale{}, &cxkit.ValidationError{Field: "catalogue.scale", Rule: fmt.Sprintf("must be a known scale, got %q", c.Scale), Err: ErrUnknownScale}
	}
	return c, rec.Scale, nil
}

func indexAssessment(a *Assessment) map[string]string {
	return map[string]string{
		"team": a.Team, "catalogue": a.Catalogue, "status": string(a.Status),
		"from": store.TimeKey(a.Period.From),
	}
}

func indexSheet(r *sheetRecord) map[string]string {
	return map[string]string{"assessment": r.Assessment, "participant": r.Participant}
}

func indexAction(a *Action) map[string]string {
	m := map[string]string{"owner": a.Owner, "status": string(a.Status), "due": store.TimeKey(a.Due)}
	for k, v := range map[string]string{"assessment": a.Assessment, "audit": a.Audit, "factor": a.Factor, "statement": a.Statement} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

func indexAudit(a *Audit) map[string]string {
	return map[string]string{"scope": a.Scope, "status": string(a.Status), "catalogue": a.Catalogue}
}

// sheetRecord is one participant's sheet as stored. Its ID is derived
// from the assessment and the participant, so two first ratings racing
// each other meet on one record instead of making two.
type sheetRecord struct {
	store.Meta
	Assessment  string   `json:"assessment"`
	Participant string   `json:"participant"`
	Ratings     []Rating `json:"ratings"`
	// History records every Rate call that changed the sheet.
	History []cxkit.HistoryEntry `json:"history,omitempty"`
}

func sheetID(assessment, participant string) string {
	h := sha256.Sum256([]byte(participant))
	return assessment + "." + hex.EncodeToString(h[:10])
}

// collect drains an iterator into a slice, stopping at the first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Catalogues returns the catalogues the Service knows, built-in, given to
// New or stored with AddCatalogue, sorted by ID and version. The results are
// shared; do not change them.
func (s *Service) Catalogues(ctx context.Context) ([]*Catalogue, error) {
	for rec, err := range s.catalogues.All(ctx, store.Query{}) {
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		if _, ok := s.known[rec.ID]; !ok {
			c := rec.Catalogue
			s.known[rec.ID] = &c
		}
		s.mu.Unlock()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*Catalogue, 0, len(s.known))
	for _, c := range s.known {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Catalogue) int { return strings.Compare(a.Key(), b.Key()) })
	return out, nil
}
