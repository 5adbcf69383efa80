package cxkit

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// A Metric names a number that a package can measure over a period, for a
// strategy's target: the number of complaints, the median hours to resolve
// them, the NPS of a survey. Count-like metrics can be narrowed to one value
// of a dimension: the complaints whose category is delivery.
//
// Programs build metrics with the constants and constructors of the package
// that measures them (complaints.CountBy("category", "delivery")); String and
// ParseMetric give the one written form, for configuration files and logs.
type Metric struct {
	// Name is the measure: "count", "median_resolution_hours", "nps".
	Name string `json:"name"`
	// Dimension and Value narrow the measure to the records whose
	// Dimension is Value; both empty for the whole population.
	Dimension string `json:"dimension,omitempty"`
	Value     string `json:"value,omitempty"`
}

// String returns the written form: "count" or "count:category=delivery".
func (m Metric) String() string {
	if m.Dimension == "" {
		return m.Name
	}
	return m.Name + ":" + m.Dimension + "=" + m.Value
}

// ParseMetric reads the written form of a metric, "name" or
// "name:dimension=value". The value may contain any character but NUL; the
// name and dimension are lower-case letters, digits and underscores.
func ParseMetric(s string) (Metric, error) {
	name, narrow, narrowed := strings.Cut(s, ":")
	m := Metric{Name: name}
	if narrowed {
		dim, value, ok := strings.Cut(narrow, "=")
		if !ok {
			return Metric{}, &ValidationError{Field: "metric", Rule: fmt.Sprintf("%q must be name:dimension=value", s)}
		}
		m.Dimension, m.Value = dim, value
		if value == "" {
			return Metric{}, &ValidationError{Field: "metric.value", Rule: fmt.Sprintf("must not be empty in %q", s)}
		}
		if strings.ContainsRune(value, 0) {
			return Metric{}, &ValidationError{Field: "metric.value", Rule: "must not contain NUL"}
		}
		if !isWord(dim) {
			return Metric{}, &ValidationError{Field: "metric.dimension", Rule: fmt.Sprintf("%q must be lower-case letters, digits and underscores", dim)}
		}
	}
	if !isWord(name) {
		return Metric{}, &ValidationError{Field: "metric.name", Rule: fmt.Sprintf("%q must be lower-case letters, digits and underscores", name)}
	}
	return m, nil
}

func isWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// A MeasurementSource computes metrics over a period [from, to). complaints
// and feedback services are sources; package strategy reads targets' current
// values from them. A metric the source does not provide gives an error
// wrapping ErrUnknownMetric.
type MeasurementSource interface {
	Measure(ctx context.Context, m Metric, from, to time.Time) (float64, error)
}
