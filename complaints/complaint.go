package complaints

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
)

// Channel is how a complaint reached the organisation.
type Channel string

// The channels. ChannelOther takes whatever a host hands over that is none
// of these (a mystery shopper's report, a staff observation).
const (
	ChannelPhone      Channel = "phone"
	ChannelEmail      Channel = "email"
	ChannelLetter     Channel = "letter"
	ChannelFaceToFace Channel = "face-to-face"
	ChannelOnlineForm Channel = "online-form"
	ChannelSurvey     Channel = "survey"
	ChannelSocial     Channel = "social"
	ChannelOther      Channel = "other"
)

// Channels() lists every channel, in a stable order.
func Channels() []Channel {
	return []Channel{ChannelPhone, ChannelEmail, ChannelLetter, ChannelFaceToFace, ChannelOnlineForm, ChannelSurvey, ChannelSocial, ChannelOther}
}

// MadeBy is who complained, the third column of the complaints log.
type MadeBy string

// The kinds of complainant.
const (
	MadeByPublic    MadeBy = "public"             // a member of the public, not a regular customer
	MadeByRegular   MadeBy = "regular-customer"   // a regular customer
	MadeByCorporate MadeBy = "corporate-customer" // a corporate customer or agency
	MadeByColleague MadeBy = "colleague"          // a colleague: an internal customer
	MadeByOther     MadeBy = "other"
)

// MadeBys() lists every kind of complainant.
func MadeBys() []MadeBy {
	return []MadeBy{MadeByPublic, MadeByRegular, MadeByCorporate, MadeByColleague, MadeByOther}
}

// TargetKind is what sort of thing a complaint is directed at, the fourth
// column of the complaints log.
type TargetKind string

// The kinds of target. TargetKindUnspecified is for complaints handed over
// before anyone has triaged them.
const (
	TargetKindStaff       TargetKind = "staff"      // a staff member
	TargetKindTeam        TargetKind = "team"       // a team or department
	TargetKindOutsourced  TargetKind = "outsourced" // an outsourced party
	TargetKindProduct     TargetKind = "product"
	TargetKindPolicy      TargetKind = "policy"
	TargetKindUnspecified TargetKind = "unspecified"
)

// TargetKinds() lists every target kind.
func TargetKinds() []TargetKind {
	return []TargetKind{TargetKindStaff, TargetKindTeam, TargetKindOutsourced, TargetKindProduct, TargetKindPolicy, TargetKindUnspecified}
}

// Target is what or whom a complaint is directed at: the kind, which the
// log analysis groups by, and a name ("Salesperson", "Distribution company").
type Target struct {
	Kind TargetKind `json:"kind"`
	Name string     `json:"name,omitempty"`
}

// String writes the target as "kind: name", the form the CSV log uses.
func (t Target) String() string {
	if t.Name == "" {
		return string(t.Kind)
	}
	return string(t.Kind) + ": " + t.Name
}

// ParseTarget reads the form String writes.
func ParseTarget(s string) (Target, error) {
	k, name, _ := strings.Cut(s, ":")
	t := Target{Kind: TargetKind(strings.TrimSpace(k)), Name: strings.TrimSpace(name)}
	return t, t.validate("directed_at")
}

func (t Target) validate(field string) error {
	if !slices.Contains(TargetKinds(), t.Kind) {
		return invalid(field+".kind", "must be one of %s, got %q", join(TargetKinds()), t.Kind)
	}
	return nil
}

// Severity is how serious a complaint is.
type Severity string

// The severities, least first.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities() lists every severity, least first.
func Severities() []Severity {
	return []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
}

// Customer is who complained. Ref points into the host CRM; Name and
// Contact are kept here only so staff can reply, and cxkit.EraseCustomer removes
// them.
type Customer struct {
	Ref     string `json:"ref,omitempty"`
	Name    string `json:"name,omitempty"`
	Contact string `json:"contact,omitempty"`
}

// Assignment says who receives, investigates and resolves a complaint,
// as the service charter decides; each is a person, team or department.
type Assignment struct {
	Receiver     string `json:"receiver,omitempty"`
	Investigator string `json:"investigator,omitempty"`
	Resolver     string `json:"resolver,omitempty"`
}

// Referral is the complaint's passage to an outside body.
type Referral struct {
	Body      string    `json:"body"`      // "Telecommunications Ombudsman"
	BodyKind  BodyKind  `json:"body_kind"` // ombudsman, regulator, industry body
	Reference string    `json:"reference,omitempty"`
	Date      time.Time `json:"date"`
	Outcome   string    `json:"outcome,omitempty"`
	OutcomeAt time.Time `json:"outcome_at,omitzero"`
	// Due is when the outside body said it would decide, if it did: the
	// "referral" deadline, reported and swept like the others.
	Due time.Time `json:"due,omitzero"`
}

// BodyKind is the sort of outside body a complaint is referred to.
type BodyKind string

// The outside bodies.
const (
	BodyKindOmbudsman BodyKind = "ombudsman"
	BodyKindRegulator BodyKind = "regulator"
	BodyKindIndustry  BodyKind = "industry-body"
	BodyKindOther     BodyKind = "other"
)

// Complaint is one complaint and everything that happened to it.
type Complaint struct {
	store.Meta
	Org         string    `json:"org"`
	Received    time.Time `json:"received"`
	Channel     Channel   `json:"channel"`
	Customer    Customer  `json:"customer"`
	Summary     string    `json:"summary"`  // what was complained about, in the customer's terms
	Category    string    `json:"category"` // the organisation's own category
	MadeBy      MadeBy    `json:"made_by"`
	DirectedAt  Target    `json:"directed_at"`
	Severity    Severity  `json:"severity"`
	Concerns    string    `json:"concerns,omitempty"` // the product or order it is about
	Attachments []string  `json:"attachments,omitempty"`
	FeedbackID  string    `json:"feedback_id,omitempty"` // set when handed over by a feedback system

	Status      Status         `json:"status"`
	Resume      Status         `json:"resume,omitempty"` // while escalated: the state work resumes from
	Assigned    Assignment     `json:"assigned"`
	Owner       string         `json:"owner,omitempty"` // who declared to resolve it
	Level       int            `json:"level"`           // internal escalation level, 0 = first line
	Remedy      *remedy.Remedy `json:"remedy,omitempty"`
	NotifiedHow string         `json:"notified_how,omitempty"`
	Satisfied   *bool          `json:"satisfied,omitempty"`
	Referral    *Referral      `json:"referral,omitempty"`
	Outcome     string         `json:"outcome,omitempty"`
	Reopened    int            `json:"reopened,omitempty"`
	Reassigned  int            `json:"reassigned,omitempty"`
	// Closure says why a complaint was closed early (withdrawn, duplicate,
	// not a complaint); DuplicateOf names the complaint kept instead.
	Closure     Closure `json:"closure,omitempty"`
	DuplicateOf string  `json:"duplicate_of,omitempty"`
	// Unreachable: the follow-up could not reach the customer.
	Unreachable bool `json:"unreachable,omitempty"`
	// WaitingSince is when the complaint started waiting on the customer
	// (zero when it is not); Paused is the time spent waiting so far,
	// measured as the targets are, by which the resolution deadline moves.
	WaitingSince time.Time     `json:"waiting_since,omitzero"`
	Paused       time.Duration `json:"paused,omitempty"`

	Acknowledged time.Time `json:"acknowledged,omitzero"`
	Resolved     time.Time `json:"resolved,omitzero"` // when the customer was notified of the solution
	FollowedUp   time.Time `json:"followed_up,omitzero"`
	Closed       time.Time `json:"closed,omitzero"`

	// Imported is when the complaint came in through Import (zero for
	// complaints logged live). An imported complaint's deadlines run from
	// the import, not from its historical receipt: the organisation could
	// not act on it before it knew of it.
	Imported time.Time `json:"imported,omitzero"`
	// Restarted is when the last Reopen restarted the resolution (and
	// follow-up) clock; zero if never reopened.
	Restarted time.Time `json:"restarted,omitzero"`

	Due      Deadlines         `json:"due"`
	Breached map[Deadline]bool `json:"breached,omitempty"` // deadline name -> breach already reported, this round
	Warned   map[Deadline]bool `json:"warned,omitempty"`   // deadline name -> at-risk already reported, this round
	// PastBreaches names the deadlines breached or met late before the
	// complaint was last reopened ("resolve", "follow-up"). A reopening
	// restarts those clocks but never forgets that they were missed: the
	// breach statistics count them.
	PastBreaches []Deadline `json:"past_breaches,omitempty"`

	// History is the audit trail, oldest first: Action is a Step, or
	// "logged", "imported", "reassigned", "remedy-approved", "erased"...;
	// From and To are Status values.
	History []cxkit.HistoryEntry `json:"history"`
}

// Open reports whether the complaint is still being worked on.
func (c *Complaint) Open() bool { return c.Status != StatusClosed }

// Intake is what a caller gives to log a complaint.
type Intake struct {
	Received    time.Time // zero: now
	Channel     Channel
	Customer    Customer
	Summary     string
	Category    string
	MadeBy      MadeBy
	DirectedAt  Target
	Severity    Severity
	Concerns    string
	Attachments []string
	By          string // who logged it
}

func (n *Intake) validate() error {
	if !slices.Contains(Channels(), n.Channel) {
		return invalid("complaint.channel", "must be one of %s, got %q", join(Channels()), n.Channel)
	}
	texts := []struct{ field, v string }{{"summary", n.Summary}, {"category", n.Category}, {"concerns", n.Concerns}, {"by", n.By},
		{"customer.ref", n.Customer.Ref}, {"customer.name", n.Customer.Name}, {"customer.contact", n.Customer.Contact}, {"directed_at.name", n.DirectedAt.Name}}
	for _, t := range texts {
		if !utf8.ValidString(t.v) || strings.IndexByte(t.v, 0) >= 0 {
			return invalid("complaint."+t.field, "must be valid UTF-8 without NUL bytes")
		}
	}
	if len(n.Category) > store.MaxAttrValueLen {
		return invalid("complaint.category", "must be at most %d bytes, got %d", store.MaxAttrValueLen, len(n.Category))
	}
	if len(n.Customer.Ref) > store.MaxAttrValueLen {
		return invalid("complaint.customer.ref", "must be at most %d bytes, got %d", store.MaxAttrValueLen, len(n.Customer.Ref))
	}
	if !n.Received.IsZero() && n.Received.Before(time.Unix(0, 0)) {
		return invalid("complaint.received", "must be after 1970, got %s", n.Received.Format(time.DateOnly))
	}
	if strings.TrimSpace(n.Summary) == "" {
		return invalid("complaint.summary", "is required")
	}
	if strings.TrimSpace(n.Category) == "" {
		return invalid("complaint.category", "is required")
	}
	if !slices.Contains(MadeBys(), n.MadeBy) {
		return invalid("complaint.made_by", "must be one of %s, got %q", join(MadeBys()), n.MadeBy)
	}
	if err := n.DirectedAt.validate("complaint.directed_at"); err != nil {
		return err
	}
	if !slices.Contains(Severities(), n.Severity) {
		return invalid("complaint.severity", "must be one of %s, got %q", join(Severities()), n.Severity)
	}
	if strings.TrimSpace(n.By) == "" {
		return invalid("complaint.by", "is required: who logged it")
	}
	for i, a := range n.Attachments {
		if strings.TrimSpace(a) == "" {
			return invalid("complaint.attachments", "entry %d is empty", i)
		}
	}
	return nil
}

func join[S ~string](vs []S) string {
	ss := make([]string, len(vs))
	for i, v := range vs {
		ss[i] = string(v)
	}
	return strings.Join(ss, ", ")
}
