package complaints

import (
	"fmt"
	"slices"
	"strings"
)

// Charter is the responsibilities part of an organisation's service
// charter, as data: who (a person, a team or a department) receives,
// investigates and resolves which kinds of complaint. The first matching
// rule assigns a new complaint; Default covers the rest.
type Charter struct {
	Rules   []Responsibility `json:"rules,omitempty"`
	Default Assignment       `json:"default"`
}

// Responsibility is one charter rule. Empty match fields match anything;
// MinSeverity matches that severity and the more serious ones.
type Responsibility struct {
	Category    string     `json:"category,omitempty"`
	DirectedAt  TargetKind `json:"directed_at,omitempty"`
	MinSeverity Severity   `json:"min_severity,omitempty"`
	Assignment
}

// Validate checks the charter.
func (ch *Charter) Validate() error {
	for i, r := range ch.Rules {
		f := fmt.Sprintf("charter.rules[%d]", i)
		if r.DirectedAt != "" && !slices.Contains(TargetKinds(), r.DirectedAt) {
			return invalid(f+".directed_at", "must be one of %s, got %q", join(TargetKinds()), r.DirectedAt)
		}
		if r.MinSeverity != "" && !slices.Contains(Severities(), r.MinSeverity) {
			return invalid(f+".min_severity", "must be one of %s, got %q", join(Severities()), r.MinSeverity)
		}
		if strings.TrimSpace(r.Resolver) == "" {
			return invalid(f+".resolver", "is required: someone must resolve what the rule matches")
		}
	}
	return nil
}

// Assign returns the assignment the charter gives a complaint with the
// given category, target kind and severity.
func (ch *Charter) Assign(category string, target TargetKind, sev Severity) Assignment {
	for _, r := range ch.Rules {
		if r.Category != "" && r.Category != category {
			continue
		}
		if r.DirectedAt != "" && r.DirectedAt != target {
			continue
		}
		if r.MinSeverity != "" && slices.Index(Severities(), sev) < slices.Index(Severities(), r.MinSeverity) {
			continue
		}
		return r.Assignment
	}
	return ch.Default
}
