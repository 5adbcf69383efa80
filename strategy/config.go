package strategy

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/strategy/budget"
)

// Config is what the organisation declares and every strategy is checked
// against: its vision, mission and core values, its goals (for relevance)
// and the culture-scorecard areas they serve, the funds and staff time it
// has in each period (for realism), the quality-assurance and legal
// requirements a strategy must not break, and how far progress may trail
// the calendar. It is plain data that the caller owns; LoadConfig reads it
// from JSON.
type Config struct {
	Name string `json:"name"`
	// Vision is the organisation's approach to quality customer service;
	// Mission is what it exists to do; Values are its core values. A
	// proposal opens with them.
	Vision  string   `json:"vision,omitempty"`
	Mission string   `json:"mission,omitempty"`
	Values  []string `json:"values,omitempty"`
	Goals   []Goal   `json:"goals"`
	// Culture links the areas of the culture scorecard to the goals that
	// serve them.
	Culture []CultureArea `json:"culture,omitempty"`
	// Periods are the budget periods with what is available in each. They
	// must not overlap: a budget line belongs to exactly one.
	Periods []budget.Period `json:"periods"`
	// QualityAssurance and Legal are the requirements a strategy touching
	// their topics has to show it respects.
	QualityAssurance []Requirement `json:"quality_assurance,omitempty"`
	Legal            []Requirement `json:"legal,omitempty"`
	// Thresholds decide when progress is at risk or off track; zero means
	// DefaultThresholds.
	Thresholds Thresholds `json:"thresholds,omitzero"`
	// HistoryWindows is how many measurement windows before the baseline
	// the SMART review reads from a target's source to judge whether the
	// goal is achievable; 0 means 12.
	HistoryWindows int `json:"history_windows,omitempty"`
}

// A Goal is one of the organisation's declared goals; a relevant strategy
// names at least one by ID.
type Goal struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// A CultureArea is one area of the organisation's culture scorecard
// (financial, customer focus, growth and learning, business processes and
// technology) with the goals that serve it.
type CultureArea struct {
	Name  string   `json:"name"`
	Goals []string `json:"goals"`
}

// A Requirement is a quality-assurance procedure or a legal obligation.
// Topics are the subjects that bring a strategy under it (for example
// "customer-details" for privacy law); a strategy touches the requirement
// when it lists one of them in its Touches.
type Requirement struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Topics []string `json:"topics"`
}

// LoadConfig reads a Config from JSON and validates it.
func LoadConfig(r io.Reader) (Config, error) {
	var c Config
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, invalidf("config", "must be one JSON object of the configuration schema: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, invalidf("config", "must be one JSON object with nothing after it")
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks the declarations: IDs present and unique, culture areas
// naming declared goals, periods with From before To that do not overlap,
// funds of known budget kinds in known currencies and not negative, staff
// hours not negative, thresholds in order.
func (c Config) Validate() error {
	seen := map[string]bool{}
	for i, g := range c.Goals {
		f := fmt.Sprintf("config.goals[%d]", i)
		if g.ID == "" {
			return invalidf(f+".id", "must not be empty")
		}
		if seen[g.ID] {
			return invalidf(f+".id", "must be unique, %q appears twice", g.ID)
		}
		seen[g.ID] = true
	}
	for i, v := range c.Values {
		if strings.TrimSpace(v) == "" {
			return invalidf(fmt.Sprintf("config.values[%d]", i), "must not be empty")
		}
	}
	for i, a := range c.Culture {
		f := fmt.Sprintf("config.culture[%d]", i)
		if strings.TrimSpace(a.Name) == "" {
			return invalidf(f+".name", "must not be empty")
		}
		for j, g := range a.Goals {
			if !seen[g] {
				return invalidf(fmt.Sprintf("%s.goals[%d]", f, j), "must be a declared goal, got %q", g)
			}
		}
	}
	for i, p := range c.Periods {
		f := fmt.Sprintf("config.periods[%d]", i)
		if p.Name == "" {
			return invalidf(f+".name", "must not be empty")
		}
		if !p.From.Before(p.To) {
			return invalidf(f+".to", "must be after from (%s), got %s", day(p.From), day(p.To))
		}
		for j, q := range c.Periods[:i] {
			if q.Name == p.Name {
				return invalidf(f+".name", "must be unique, %q appears twice", p.Name)
			}
			if p.From.Before(q.To) && q.From.Before(p.To) {
				return invalidf(f, "must not overlap period %d (%s)", j, q.Name)
			}
		}
		for _, k := range budget.SortedKinds(p.Funds) {
			if err := k.Validate(f + ".funds"); err != nil {
				return err
			}
			if err := budget.CheckAmount(fmt.Sprintf("%s.funds[%s]", f, k), p.Funds[k]); err != nil {
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
	}{{"quality_assurance", c.QualityAssurance}, {"legal", c.Legal}} {
		ids := map[string]bool{}
		for i, r := range rs.reqs {
			f := fmt.Sprintf("config.%s[%d]", rs.name, i)
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
	if c.Thresholds != (Thresholds{}) {
		if err := c.Thresholds.Validate(); err != nil {
			return err
		}
	}
	if c.HistoryWindows < 0 {
		return invalidf("config.history_windows", "must not be negative, got %d", c.HistoryWindows)
	}
	return nil
}

// thresholds are the configured thresholds, or DefaultThresholds.
func (c Config) thresholds() Thresholds {
	if c.Thresholds == (Thresholds{}) {
		return DefaultThresholds()
	}
	return c.Thresholds
}

func (c Config) historyWindows() int {
	if c.HistoryWindows == 0 {
		return 12
	}
	return c.HistoryWindows
}

// Goal returns the declared goal with the given ID.
func (c Config) Goal(id string) (Goal, bool) {
	i := slices.IndexFunc(c.Goals, func(g Goal) bool { return g.ID == id })
	if i < 0 {
		return Goal{}, false
	}
	return c.Goals[i], true
}

// cultureOf names the culture areas a goal serves.
func (c Config) cultureOf(goal string) []string {
	var out []string
	for _, a := range c.Culture {
		if slices.Contains(a.Goals, goal) {
			out = append(out, a.Name)
		}
	}
	return out
}

// Period returns the period with the given name.
func (c Config) Period(name string) (budget.Period, bool) {
	i := slices.IndexFunc(c.Periods, func(p budget.Period) bool { return p.Name == name })
	if i < 0 {
		return budget.Period{}, false
	}
	return c.Periods[i], true
}

// PeriodAt returns the period containing t.
func (c Config) PeriodAt(t time.Time) (budget.Period, bool) {
	i := slices.IndexFunc(c.Periods, func(p budget.Period) bool { return p.Contains(t) })
	if i < 0 {
		return budget.Period{}, false
	}
	return c.Periods[i], true
}

func day(t time.Time) string {
	if t.IsZero() {
		return "(not set)"
	}
	return t.Format(time.DateOnly)
}
