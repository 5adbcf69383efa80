package assessment

import (
	"fmt"
	"strings"
)

// A Scale is the set of answers a participant may give to a statement: an
// ordered list of scored points, low to high, plus two answers that never
// count as a score, "not applicable" and "don't know".
type Scale struct {
	// ID names the scale in catalogues ("agree5", "met3").
	ID string `json:"id"`
	// Points are the scored answers, lowest value first.
	Points []Point `json:"points"`
}

// A Point is one scored answer of a scale.
type Point struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// The built-in scale IDs.
const (
	// ScaleAgree5 runs from 1 "strongly disagree" to 5 "strongly agree";
	// the factor and culture catalogues use it.
	ScaleAgree5 = "agree5"
	// ScaleMet3 runs from 1 "not met" to 3 "met"; the audit checklist uses
	// it.
	ScaleMet3 = "met3"
)

// Agree5 returns the five-point agreement scale.
func Agree5() Scale {
	return Scale{ID: ScaleAgree5, Points: []Point{
		{1, "strongly disagree"}, {2, "disagree"}, {3, "neither agree nor disagree"}, {4, "agree"}, {5, "strongly agree"},
	}}
}

// Met3 returns the three-point scale for audit checks.
func Met3() Scale {
	return Scale{ID: ScaleMet3, Points: []Point{{1, "not met"}, {2, "partly met"}, {3, "met"}}}
}

// BuiltinScales returns fresh copies of the scales every catalogue may name.
func BuiltinScales() []Scale { return []Scale{Agree5(), Met3()} }

// Min and Max are the lowest and highest scored values.
func (s Scale) Min() int { return s.Points[0].Value }

// Max is the highest scored value.
func (s Scale) Max() int { return s.Points[len(s.Points)-1].Value }

// Span is Max - Min, the widest possible disagreement.
func (s Scale) Span() int { return s.Max() - s.Min() }

// Has reports whether v is a scored value of the scale.
func (s Scale) Has(v int) bool {
	for _, p := range s.Points {
		if p.Value == v {
			return true
		}
	}
	return false
}

// Label returns the label of value v, or "" if v is not on the scale.
func (s Scale) Label(v int) string {
	for _, p := range s.Points {
		if p.Value == v {
			return p.Label
		}
	}
	return ""
}

// describe lists the scale's values for error messages: "1 (strongly
// disagree) to 5 (strongly agree)".
func (s Scale) describe() string {
	return fmt.Sprintf("%d (%s) to %d (%s)", s.Min(), s.Points[0].Label, s.Max(), s.Points[len(s.Points)-1].Label)
}

// Validate checks that the scale has an ID and at least two points with
// strictly increasing values and non-empty labels.
func (s Scale) Validate() error {
	if strings.TrimSpace(s.ID) == "" {
		return invalidf("scale.id", "must not be empty")
	}
	if len(s.Points) < 2 {
		return invalidf("scale.points", "must have at least two scored points, got %d", len(s.Points))
	}
	for i, p := range s.Points {
		if strings.TrimSpace(p.Label) == "" {
			return invalidf(fmt.Sprintf("scale.points[%d].label", i), "must not be empty")
		}
		if i > 0 && p.Value <= s.Points[i-1].Value {
			return invalidf(fmt.Sprintf("scale.points[%d].value", i), "must be greater than the previous point's %d, got %d", s.Points[i-1].Value, p.Value)
		}
	}
	return nil
}
