package assessment

import (
	"errors"
	"fmt"
	"github.com/cxkit/cxkit"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
)

// Status is where an assessment or audit stands.
type Status string

// The statuses of assessments and audits.
const (
	// StatusOpen: ratings, picks and evidence may still change.
	StatusOpen Status = "open"
	// StatusClosed: the record is final; actions still move on.
	StatusClosed Status = "closed"
)

// DefaultPicks is how many "do well" and "do better" statements a team
// names per factor unless the assessment says otherwise.
const DefaultPicks = 3

// A Period is the half-open time span [From, To) an assessment or audit
// covers.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// An Assessment is one team's self-assessment against one version of a
// catalogue: who takes part, on which factors, on which scale, and what the
// team chose to keep and to improve. Ratings live in separate per
// participant sheets, so that participants never contend for one record.
type Assessment struct {
	store.Meta

	Catalogue        string `json:"catalogue"`
	CatalogueVersion string `json:"catalogue_version"`
	// Team is the team or work group that assesses itself.
	Team   string `json:"team"`
	Period Period `json:"period"`
	// Participants are the people who may rate, by name or ID; unique.
	Participants []string `json:"participants"`
	// Factors are the IDs of the factors being assessed, in catalogue
	// order; empty when creating means every factor.
	Factors []string `json:"factors"`
	// Scale is the rating scale; the zero value when creating means the
	// catalogue's.
	Scale Scale `json:"scale"`
	// WellCount and BetterCount are how many "do well" and "do better"
	// statements each factor gets; 0 when creating means DefaultPicks.
	WellCount   int `json:"well_count"`
	BetterCount int `json:"better_count"`
	// DivergenceSD is passed to Score (0: a quarter of the scale's span).
	DivergenceSD float64 `json:"divergence_sd,omitempty"`
	Status       Status  `json:"status"`
	// Picks are the team's chosen statements, per factor and kind.
	Picks []Pick `json:"picks,omitempty"`
	// History records every change, oldest first.
	History []cxkit.HistoryEntry `json:"history,omitempty"`
}

// A Pick is a statement the team put on one of its lists.
type Pick struct {
	Factor    string   `json:"factor"`
	Kind      PickKind `json:"kind"`
	Statement string   `json:"statement"`
	// Suggested is true when the statement was among the suggestions at
	// the time it was chosen; false means the team overrode them.
	Suggested bool `json:"suggested"`
	// Note is the team's reason, most useful when overriding.
	Note string `json:"note,omitempty"`
}

// PicksFor returns the picks of one kind in one factor, in the order
// chosen.
func (a *Assessment) PicksFor(factor string, kind PickKind) []Pick {
	var out []Pick
	for _, p := range a.Picks {
		if p.Factor == factor && p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

func (a *Assessment) limit(kind PickKind) int {
	if kind == PickKindDoWell {
		return a.WellCount
	}
	return a.BetterCount
}

func (a *Assessment) assesses(factor string) bool {
	for _, f := range a.Factors {
		if f == factor {
			return true
		}
	}
	return false
}

// prepare fills defaults from the catalogue and validates a new assessment.
func (a *Assessment) prepare(c *Catalogue, catScale Scale) error {
	if strings.TrimSpace(a.Team) == "" {
		return invalidf("assessment.team", "must not be empty")
	}
	if a.Period.From.IsZero() || a.Period.To.IsZero() {
		return invalidf("assessment.period", "must have a start and an end")
	}
	if !a.Period.From.Before(a.Period.To) {
		return invalidf("assessment.period", "must start before it ends, got %s to %s", a.Period.From.Format(time.DateOnly), a.Period.To.Format(time.DateOnly))
	}
	if len(a.Participants) == 0 {
		return invalidf("assessment.participants", "must name at least one participant")
	}
	seen := map[string]bool{}
	for i, p := range a.Participants {
		if strings.TrimSpace(p) == "" {
			return invalidf(fmt.Sprintf("assessment.participants[%d]", i), "must not be empty")
		}
		if seen[p] {
			return invalidf(fmt.Sprintf("assessment.participants[%d]", i), "must be unique, %q appears twice", p)
		}
		seen[p] = true
	}
	if len(a.Factors) == 0 {
		for _, f := range c.Factors {
			a.Factors = append(a.Factors, f.ID)
		}
	} else {
		want := map[string]bool{}
		for i, f := range a.Factors {
			if _, ok := c.Factor(f); !ok {
				return invalidf(fmt.Sprintf("assessment.factors[%d]", i), "must be a factor of catalogue %s, got %q", c.Key(), f)
			}
			if want[f] {
				return invalidf(fmt.Sprintf("assessment.factors[%d]", i), "must be unique, %q appears twice", f)
			}
			want[f] = true
		}
		// Keep catalogue order so results read like the catalogue.
		a.Factors = a.Factors[:0]
		for _, f := range c.Factors {
			if want[f.ID] {
				a.Factors = append(a.Factors, f.ID)
			}
		}
	}
	if a.Scale.ID == "" && len(a.Scale.Points) == 0 {
		a.Scale = catScale
	} else if err := a.Scale.Validate(); err != nil {
		var ve *cxkit.ValidationError
		if errors.As(err, &ve) {
			ve.Field = "assessment." + ve.Field
		}
		return err
	}
	if a.WellCount == 0 {
		a.WellCount = DefaultPicks
	}
	if a.BetterCount == 0 {
		a.BetterCount = DefaultPicks
	}
	if a.WellCount < 0 {
		return invalidf("assessment.well_count", "must not be negative, got %d", a.WellCount)
	}
	if a.BetterCount < 0 {
		return invalidf("assessment.better_count", "must not be negative, got %d", a.BetterCount)
	}
	if a.DivergenceSD < 0 {
		return invalidf("assessment.divergence_sd", "must not be negative, got %g", a.DivergenceSD)
	}
	if a.Status != "" && a.Status != StatusOpen {
		return invalidf("assessment.status", "must be empty or %q for a new assessment, got %q", StatusOpen, a.Status)
	}
	if len(a.Picks) > 0 {
		return invalidf("assessment.picks", "must be empty for a new assessment: choose them after rating")
	}
	a.Status = StatusOpen
	return nil
}
