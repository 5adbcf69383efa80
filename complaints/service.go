package complaints

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/calendar"
	"github.com/cxkit/cxkit/internal/service"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// Kind is the store kind complaints are kept under.
const Kind = "complaint"

// Config is one organisation's complaint handling rules, all of it data
// that can be loaded from a file.
type Config struct {
	// Org names the organisation; one store can hold several.
	Org string `json:"org"`
	// Charter assigns new complaints.
	Charter Charter `json:"charter"`
	// Policy governs remedies (package remedy).
	Policy remedy.Policy `json:"policy"`
	// Targets are the service levels.
	Targets Targets `json:"targets"`
	// Calendar is the business calendar; required when Targets.Business.
	// Its time zone also sets the days that trends count by.
	Calendar *calendar.Calendar `json:"calendar,omitempty"`
	// Ladder is the internal escalation ladder, first line first, e.g.
	// agent, team leader, manager, director.
	Ladder []Level `json:"ladder,omitempty"`
	// Escalation rules apply when Sweep finds a breached deadline.
	Escalation []EscalationRule `json:"escalation,omitempty"`
	// FeedbackCategory is the category of complaints handed over by a
	// feedback system before anyone triages them; "" means "uncategorised".
	FeedbackCategory string `json:"feedback_category,omitempty"`
	// FirstContact is how soon after receipt a complaint must be resolved,
	// by the first person, without escalation, reassignment or reopening,
	// to count as resolved at first contact; 0 means 24 hours.
	FirstContact time.Duration `json:"first_contact,omitempty"`
}

// Validate checks the whole configuration.
func (c *Config) Validate() error {
	if strings.TrimSpace(c.Org) == "" {
		return invalid("config.org", "is required")
	}
	if err := driverkit.CheckAttrValue("config", Kind, "org", c.Org); err != nil {
		return invalid("config.org", "%v", err)
	}
	if err := c.Charter.Validate(); err != nil {
		return err
	}
	if err := c.Policy.Validate(); err != nil {
		return err
	}
	if err := c.Targets.validate(); err != nil {
		return err
	}
	if c.Targets.Business && c.Calendar == nil {
		return invalid("config.calendar", "is required when targets are in business hours")
	}
	if c.Calendar != nil {
		if _, err := c.Calendar.Compile(); err != nil {
			return err
		}
	}
	for i, l := range c.Ladder {
		if strings.TrimSpace(l.Name) == "" {
			return invalid(fmt.Sprintf("config.ladder[%d].name", i), "is required")
		}
	}
	for i, r := range c.Escalation {
		if err := r.validate(i, c.Ladder); err != nil {
			return err
		}
	}
	if c.FirstContact < 0 {
		return invalid("config.first_contact", "must not be negative, got %v", c.FirstContact)
	}
	return nil
}

// Service runs one organisation's complaints: logging, the workflow,
// remedies, deadlines, events and analysis. It is safe for concurrent use.
type Service struct {
	cfg    Config
	coll   *store.Collection[Complaint]
	claims *store.Collection[feedbackClaim]
	set    service.Settings
	span   spanClock
	biz    *calendar.Clock // the calendar's clock, nil without a calendar
	loc    *time.Location
}

// New returns the service for the organisation cfg describes, storing its
// complaints in d. A nil driver or a configuration that breaks a rule is a
// *cxkit.ValidationError naming the field.
func New(d store.Driver, cfg Config, opts ...Option) (*Service, error) {
	if d == nil {
		return nil, invalid("driver", "is required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var o options
	for _, f := range opts {
		f(&o)
	}
	o.Defaults()
	s := &Service{cfg: cfg, set: o.Settings, span: wallClock{}, loc: time.UTC}
	if cfg.Calendar != nil {
		bc, _ := cfg.Calendar.Compile()
		s.loc, s.biz = bc.Location(), bc
		if cfg.Targets.Business {
			s.span = bc
		}
	}
	if s.cfg.FeedbackCategory == "" {
		s.cfg.FeedbackCategory = "uncategorised"
	}
	if s.cfg.FirstContact == 0 {
		s.cfg.FirstContact = 24 * time.Hour
	}
	copts := o.CollectionOptions()
	s.coll = store.NewCollection(d, Kind, s.index, copts...)
	s.claims = store.NewCollection[feedbackClaim](d, claimKind, nil, copts...)
	return s, nil
}

func (s *Service) now() time.Time { return s.set.Now() }

func (s *Service) emit(ctx context.Context, events ...cxkit.Event) { s.set.Emit(ctx, events...) }

// spanClock measures durations for deadlines: in calendar time or in
// business time (a *calendar.Clock).
type spanClock interface {
	Add(t time.Time, d time.Duration) time.Time
	Between(a, b time.Time) time.Duration
}

type wallClock struct{}

func (wallClock) Add(t time.Time, d time.Duration) time.Time { return t.Add(d) }
func (wallClock) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	return b.Sub(a)
}

// Config returns the service's configuration.
func (s *Service) Config() Config { return s.cfg }

// Attribute names, the columns lists and counts filter and group on. No
// name or contact detail is ever an attribute, so erasure only has to
// rewrite bodies; the customer reference is, and erasure replaces it.
const (
	attrOrg        = "org"
	attrReceived   = "received" // store.TimeKey
	attrDay        = "day"      // local date, 2006-01-02
	attrMonth      = "month"    // local month, 2006-01
	attrCategory   = "category"
	attrMadeBy     = "made_by"
	attrDirectedAt = "directed_at"
	attrChannel    = "channel"
	attrSeverity   = "severity"
	attrStatus     = "status"
	attrOpen       = "open"          // "true" or "false"
	attrCustomer   = "customer"      // the customer reference (absent if none)
	attrEscalated  = "escalated"     // "true" if ever escalated internally
	attrExternal   = "external"      // "true" if referred to an outside body
	attrFirst      = "first_contact" // "true"/"false" once resolved
	attrFeedback   = "feedback"      // the feedback ID of a handed-over item
	attrProduct    = "product"       // the product it is directed at, if any
	attrTarget     = "target"        // "kind: name" of what it is directed at
)

func (s *Service) index(c *Complaint) map[string]string {
	local := c.Received.In(s.loc)
	m := map[string]string{
		attrOrg:        c.Org,
		attrReceived:   store.TimeKey(c.Received),
		attrDay:        local.Format(time.DateOnly),
		attrMonth:      local.Format("2006-01"),
		attrCategory:   truncate(c.Category),
		attrMadeBy:     string(c.MadeBy),
		attrDirectedAt: string(c.DirectedAt.Kind),
		attrChannel:    string(c.Channel),
		attrSeverity:   string(c.Severity),
		attrStatus:     string(c.Status),
		attrOpen:       flag(c.Open()),
		attrEscalated:  flag(c.Level > 0),
		attrExternal:   flag(c.Referral != nil),
	}
	if c.Customer.Ref != "" {
		m[attrCustomer] = truncate(c.Customer.Ref)
	}
	if !c.Resolved.IsZero() {
		m[attrFirst] = flag(s.firstContact(c))
	}
	if c.FeedbackID != "" {
		m[attrFeedback] = truncate(c.FeedbackID)
	}
	if c.DirectedAt.Kind == TargetKindProduct && c.DirectedAt.Name != "" {
		m[attrProduct] = truncate(c.DirectedAt.Name)
	}
	m[attrTarget] = truncate(c.DirectedAt.String())
	return m
}

// truncate keeps an attribute within the store's limit on a rune boundary;
// only pathological categories or references are that long.
func truncate(v string) string {
	if len(v) <= store.MaxAttrValueLen {
		return v
	}
	v = v[:store.MaxAttrValueLen]
	for len(v) > 0 && !utf8ValidEnd(v) {
		v = v[:len(v)-1]
	}
	return v
}

func utf8ValidEnd(v string) bool { return strings.ToValidUTF8(v, "\uFFFD") == v }

func flag(b bool) string { return strconv.FormatBool(b) }

func (s *Service) firstContact(c *Complaint) bool {
	return !c.Resolved.IsZero() && c.Resolved.Sub(c.Received) <= s.cfg.FirstContact &&
		c.Level == 0 && c.Reassigned == 0 && c.Reopened == 0 && c.Referral == nil
}

// stamp is the service clock, in UTC to the microsecond like the store.
func (s *Service) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Log receives and logs a new complaint: it validates it, assigns it by
// the charter, sets its deadlines, stores it and emits EventLogged.
func (s *Service) Log(ctx context.Context, n Intake) (Complaint, error) {
	c, err := s.build(n)
	if err != nil {
		return Complaint{}, err
	}
	c, err = s.coll.Create(ctx, c)
	if err != nil {
		return Complaint{}, err
	}
	e := event(EventLogged, &c, n.By, "")
	e.To = string(StatusReceived)
	s.emit(ctx, e)
	return c, nil
}

// build turns n into a complaint ready to store, without storing it.
func (s *Service) build(n Intake) (Complaint, error) {
	now := s.stamp()
	if n.Received.IsZero() {
		n.Received = now
	}
	if err := n.validate(); err != nil {
		return Complaint{}, err
	}
	if n.Received.After(now.Add(time.Minute)) {
		return Complaint{}, invalid("complaint.received", "must not be in the future, got %s", n.Received.Format(time.RFC3339))
	}
	c := Complaint{
		Org:         s.cfg.Org,
		Received:    n.Received.UTC().Truncate(time.Microsecond),
		Channel:     n.Channel,
		Customer:    n.Customer,
		Summary:     n.Summary,
		Category:    n.Category,
		MadeBy:      n.MadeBy,
		DirectedAt:  n.DirectedAt,
		Severity:    n.Severity,
		Concerns:    n.Concerns,
		Attachments: slices.Clone(n.Attachments),
		Status:      StatusReceived,
	}
	c.Assigned = s.cfg.Charter.Assign(c.Category, c.DirectedAt.Kind, c.Severity)
	s.dueTimes(&c)
	what := fmt.Sprintf("logged by %s via %s; assigned by charter to %s", n.By, n.Channel, describe(c.Assigned))
	c.History = []cxkit.HistoryEntry{{At: now, By: n.By, Action: "logged", To: string(StatusReceived), What: what}}
	return c, nil
}

func describe(a Assignment) string {
	return fmt.Sprintf("receiver %q, investigator %q, resolver %q", a.Receiver, a.Investigator, a.Resolver)
}

// Get returns one complaint of the service's organisation.
func (s *Service) Get(ctx context.Context, id string) (Complaint, error) {
	c, err := s.coll.Get(ctx, id)
	if err != nil {
		return Complaint{}, err
	}
	if c.Org != s.cfg.Org {
		return Complaint{}, driverkit.Errorf("get", Kind, id, store.ErrNotFound, "no complaint %s in %s", id, s.cfg.Org)
	}
	return c, nil
}

// Received iterates over the complaints received in [from, to), in the
// order they were logged.
func (s *Service) Received(ctx context.Context, from, to time.Time) iter.Seq2[Complaint, error] {
	return s.coll.All(ctx, store.Query{Filters: s.period(from, to), Limit: store.MaxLimit})
}

func (s *Service) period(from, to time.Time) []store.Filter {
	return append([]store.Filter{store.Where(attrOrg, s.cfg.Org)}, store.Between(attrReceived, store.TimeKey(from), store.TimeKey(to))...)
}

// LogMany logs several complaints in one atomic batch (all or none), for
// bulk loads. It needs a driver that can batch (store.Batcher); otherwise
// it returns an error wrapping errors.ErrUnsupported and logs nothing. No
// events are emitted for bulk loads.
func (s *Service) LogMany(ctx context.Context, ns []Intake) ([]Complaint, error) {
	cs := make([]Complaint, len(ns))
	for i, n := range ns {
		c, err := s.build(n)
		if err != nil {
			return nil, fmt.Errorf("complaint %d: %w", i, err)
		}
		cs[i] = c
	}
	return s.coll.CreateMany(ctx, cs)
}
