package strategy

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit/money"
)

// An Organisation is what the organisation declares and every strategy is
// checked against: its vision, its goals (for consistency), the funds and
// staff time it has in each period (for realism), and the quality-assurance
// and legal requirements a strategy must not break. It is plain data that
// the caller owns; LoadOrganisation reads it from JSON.
type Organisation struct {
	Name string `json:"name"`
	// Vision is the organisation's approach to quality customer service, as
	// it opens a proposal.
	Vision string `json:"vision,omitempty"`
	Goals  []Goal `json:"goals"`
	// Periods are the budget periods with what is available in each. They
	// must not overlap: a budget line belongs to exactly one.
	Periods []ResourcePeriod `json:"periods"`
	// QualityAssurance and Legal are the requirements a strategy touching
	// their topics has to show it respects.
	QualityAssurance []Requirement `json:"quality_assurance,omitempty"`
	Legal            []Requirement `json:"legal,omitempty"`
}

// A Goal is one of the organisation's declared goals; a relevant strategy
// names at least one by ID.
type Goal struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// A ResourcePeriod is what the organisation makes available over [From, To):
// money per budget kind and staff time in hours.
type ResourcePeriod struct {
	Name       string                      `json:"name"`
	From       time.Time                   `json:"from"`
	To         time.Time                   `json:"to"`
	Funds      map[BudgetKind]money.Amount `json:"funds"`
	StaffHours float64                     `json:"staff_hours"`
}

// Contains reports whether t falls in the period.
func (p ResourcePeriod) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// A Requirement is a quality-assurance procedure or a legal obligation.
// Topics are the subjects that bring a strategy under it (for example
// "customer-details" for privacy law); a strategy touches the requirement
// when it lists one of them in its Touches.
type Requirement struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Topics []string `json:"topics"`
}

// LoadOrganisation reads an Organisation from JSON and validates it.
func LoadOrganisation(r io.Reader) (Organisation, error) {
	var o Organisation
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return Organisation{}, fmt.Errorf("%w: organisation: %v", ErrInvalid, err)
	}
	if err := o.Validate(); err != nil {
		return Organisation{}, err
	}
	return o, nil
}

// Validate checks the declarations: IDs present and unique, periods with
// From before To that do not overlap, funds of known budget kinds in known
// currencies and not negative, staff hours not negative.
func (o Organisation) Validate() error {
	seen := map[string]bool{}
	for i, g := range o.Goals {
		f := fmt.Sprintf("organisation.goals[%d]", i)
		if g.ID == "" {
			return invalidf(f+".id", "must not be empty")
		}
		if seen[g.ID] {
			return invalidf(f+".id", "must be unique, %q appears twice", g.ID)
		}
		seen[g.ID] = true
	}
	for i, p := range o.Periods {
		f := fmt.Sprintf("organisation.periods[%d]", i)
		if p.Name == "" {
			return invalidf(f+".name", "must not be empty")
		}
		if !p.From.Before(p.To) {
			return invalidf(f+".to", "must be after from (%s), got %s", day(p.From), day(p.To))
		}
		for j, q := range o.Periods[:i] {
			if q.Name == p.Name {
				return invalidf(f+".name", "must be unique, %q appears twice", p.Name)
			}
			if p.From.Before(q.To) && q.From.Before(p.To) {
				return invalidf(f, "must not overlap period %d (%s)", j, q.Name)
			}
		}
		for _, k := range sortedKinds(p.Funds) {
			if err := k.Validate(f + ".funds"); err != nil {
				return err
			}
			if err := checkAmount(fmt.Sprintf("%s.funds[%s]", f, k), p.Funds[k]); err != nil {
				return err
			}
		}
		if !(p.StaffHours >= 0) || math.IsInf(p.StaffHours, 1) { // !(>=) also catches NaN
			return invalidf(f+".staff_hours", "must be a finite number not below 0, got %g", p.StaffHours)
		}
	}
	for _, rs := range []struct {
		name string
		reqs []Requirement
	}{{"quality_assurance", o.QualityAssurance}, {"legal", o.Legal}} {
		ids := map[string]bool{}
		for i, r := range rs.reqs {
			f := fmt.Sprintf("organisation.%s[%d]", rs.name, i)
			if r.ID == "" {
				return invalidf(f+".id", "must not be empty")
			}
			if ids[r.ID] {
				return invalidf(f+".id", "must be unique, %q appears twice", r.ID)
			}
			ids[r.ID] = true
			if len(r.Topics) == 0 {
				return invalidf(f+".topics", "must name at least one topic, or no strategy can touch it")
			}
		}
	}
	return nil
}

// Goal returns the declared goal with the given ID.
func (o Organisation) Goal(id string) (Goal, bool) {
	i := slices.IndexFunc(o.Goals, func(g Goal) bool { return g.ID == id })
	if i < 0 {
		return Goal{}, false
	}
	return o.Goals[i], true
}

// Period returns the period with the given name.
func (o Organisation) Period(name string) (ResourcePeriod, bool) {
	i := slices.IndexFunc(o.Periods, func(p ResourcePeriod) bool { return p.Name == name })
	if i < 0 {
		return ResourcePeriod{}, false
	}
	return o.Periods[i], true
}

// PeriodAt returns the period containing t.
func (o Organisation) PeriodAt(t time.Time) (ResourcePeriod, bool) {
	i := slices.IndexFunc(o.Periods, func(p ResourcePeriod) bool { return p.Contains(t) })
	if i < 0 {
		return ResourcePeriod{}, false
	}
	return o.Periods[i], true
}

func checkAmount(field string, a money.Amount) error {
	if err := a.Validate(); err != nil {
		return &FieldError{Field: field + ".currency", Rule: fmt.Sprintf("must be a known ISO 4217 code such as AUD, EUR, USD, got %q", a.Currency), Err: err}
	}
	if a.IsNegative() {
		return invalidf(field+".minor", "must not be negative, got %s", a)
	}
	return nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return "(not set)"
	}
	return t.Format(time.DateOnly)
}
