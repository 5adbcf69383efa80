package feedback

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/survey"
)

// MaxTextLen is the most bytes an item's free text may hold (16 KiB, a
// long letter); a customer reference and each contact field may hold 200.
const MaxTextLen = 16 << 10

const (
	maxCustomerRefLen = 200
	maxContactLen     = 200
)

// A Rating is a score a customer gave outside any form ("4 out of 5 for the
// room"), with its scale.
type Rating struct {
	Name  string `json:"name"`
	Value int    `json:"value"`
	Min   int    `json:"min"`
	Max   int    `json:"max"`
}

// A Contact is what a customer wrote in the name and contact fields of a
// form (an online feedback form asks for them). Erasure removes it.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// IsZero reports whether no field is filled in.
func (c Contact) IsZero() bool { return c == Contact{} }

// An Item is one piece of feedback, from any channel, with what was decided
// about it: its kind, its category, who it was passed to and whether they
// acknowledged it.
type Item struct {
	store.Meta
	Received time.Time `json:"received"`
	Channel  Channel   `json:"channel"`
	// CustomerRef identifies the customer in the caller's systems; empty
	// for anonymous feedback and after erasure.
	CustomerRef string `json:"customer,omitempty"`
	// Contact is what the customer gave in a form's name and contact
	// fields; empty after erasure.
	Contact Contact `json:"contact,omitzero"`
	// Erased is set once a customer's identifiers were taken out.
	Erased  bool     `json:"erased,omitempty"`
	Text    string   `json:"text,omitempty"`
	Ratings []Rating `json:"ratings,omitempty"`
	// Form and FormVersion name the form the item was written on, if any;
	// Answers are validated against that version.
	Form        string          `json:"form,omitempty"`
	FormVersion int             `json:"form_version,omitempty"`
	Answers     []survey.Answer `json:"answers,omitempty"`

	// Kind is what the item is. When the intake gave none, InferKind chose
	// it: KindInferred is set and KindConfidence (0.25 to 1) says how sure
	// the guess is, and below Config.KindThreshold KindReview is set: the
	// item waits in the kind review queue until a person confirms or
	// corrects the kind (CorrectKind). A kind given at intake or by a
	// person has KindInferred false.
	Kind           Kind    `json:"kind"`
	KindInferred   bool    `json:"kind_inferred,omitempty"`
	KindConfidence float64 `json:"kind_confidence,omitempty"`
	KindReview     bool    `json:"kind_review,omitempty"`

	Categorisation Categorisation `json:"categorisation"`

	// Owner is who the item was passed to.
	Owner          string    `json:"owner"`
	Acknowledged   bool      `json:"acknowledged,omitempty"`
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	// ComplaintID is set once a complaint-kind item was handed to the
	// complaints process, at HandedOverAt.
	ComplaintID  string               `json:"complaint_id,omitempty"`
	HandedOverAt time.Time            `json:"handed_over_at,omitzero"`
	History      []cxkit.HistoryEntry `json:"history"`
}

// Category is shorthand for the item's category.
func (it Item) Category() string { return it.Categorisation.Category }

// fullText is what the categoriser and the kind cues read: the free text
// and any free-text answers.
func (it Item) fullText() string {
	parts := []string{it.Text}
	for _, a := range it.Answers {
		if a.Text != "" {
			parts = append(parts, a.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// itemIndex is what lists and counts filter and group on.
func itemIndex(it *Item) map[string]string {
	m := map[string]string{
		"received": store.TimeKey(it.Received),
		"channel":  string(it.Channel),
		"kind":     string(it.Kind),
		"category": it.Categorisation.Category,
		"source":   string(it.Categorisation.Source),
		"owner":    it.Owner,
		"ack":      strconv.FormatBool(it.Acknowledged),
	}
	if it.KindReview {
		m["kind_review"] = "true"
	}
	if it.CustomerRef != "" {
		m["customer"] = it.CustomerRef
	}
	if it.Form != "" {
		m["form"] = it.Form
	}
	return m
}

// An Intake is a new piece of feedback as it arrives.
type Intake struct {
	Received    time.Time
	Channel     Channel
	CustomerRef string
	// Contact holds a form's name and contact fields, if it has them.
	Contact     Contact
	Text        string
	Ratings     []Rating
	Form        string
	FormVersion int
	Answers     []survey.Answer
	// Kind, if empty, is inferred from the text (see InferKind).
	Kind Kind
	// By is who logged the item (a person or a system).
	By string
}

// validate checks everything that does not need the store.
func (in Intake) validate(now time.Time) error {
	if in.Received.IsZero() {
		return invalidf("item.received", "must be set")
	}
	if in.Received.After(now) {
		return invalidf("item.received", "must not be in the future (now %s), got %s", now.Format(time.RFC3339), in.Received.Format(time.RFC3339))
	}
	if !in.Channel.Valid() {
		return invalidf("item.channel", "must be one of %s, got %q", joinChannels(), in.Channel)
	}
	if len(in.CustomerRef) > maxCustomerRefLen || !utf8.ValidString(in.CustomerRef) || strings.ContainsRune(in.CustomerRef, 0) {
		return invalidf("item.customer", "must be valid UTF-8 without NUL, at most %d bytes", maxCustomerRefLen)
	}
	for _, f := range []struct{ name, v string }{{"name", in.Contact.Name}, {"email", in.Contact.Email}, {"phone", in.Contact.Phone}} {
		if len(f.v) > maxContactLen || !utf8.ValidString(f.v) || strings.ContainsFunc(f.v, isControl) {
			return invalidf("item.contact."+f.name, "must be valid UTF-8 without control characters, at most %d bytes", maxContactLen)
		}
	}
	if e := in.Contact.Email; e != "" && (!strings.Contains(e, "@") || strings.ContainsAny(e, " ,;")) {
		return invalidf("item.contact.email", "must be an e-mail address, got %q", e)
	}
	if len(in.Text) > MaxTextLen {
		return invalidf("item.text", "must be at most %d bytes, got %d", MaxTextLen, len(in.Text))
	}
	if !utf8.ValidString(in.Text) {
		return invalidf("item.text", "must be valid UTF-8")
	}
	if strings.TrimSpace(in.Text) == "" && len(in.Ratings) == 0 && len(in.Answers) == 0 {
		return invalidf("item.text", "must not be blank when there are no ratings or answers")
	}
	if in.Kind != "" && !in.Kind.Valid() {
		return invalidf("item.kind", "must be empty (to infer it) or one of %s, got %q", joinKinds(), in.Kind)
	}
	names := map[string]bool{}
	for i, r := range in.Ratings {
		field := fmt.Sprintf("item.ratings[%d]", i)
		switch {
		case strings.TrimSpace(r.Name) == "" || len(r.Name) > 64:
			return invalidf(field+".name", "must be 1 to 64 bytes, not blank")
		case names[r.Name]:
			return invalidf(field+".name", "repeats rating %q", r.Name)
		case r.Min >= r.Max:
			return invalidf(field+".max", "must be greater than min (%d), got %d", r.Min, r.Max)
		case r.Value < r.Min || r.Value > r.Max:
			return invalidf(field+".value", "must be between %d and %d, got %d", r.Min, r.Max, r.Value)
		}
		names[r.Name] = true
	}
	if in.Form == "" && (in.FormVersion != 0 || len(in.Answers) > 0) {
		return invalidf("item.form", "must name the form that answers or a form version belong to")
	}
	if in.Form != "" && in.FormVersion < 1 {
		return invalidf("item.form_version", "must be at least 1 with a form, got %d", in.FormVersion)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
