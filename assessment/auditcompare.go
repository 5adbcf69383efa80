package assessment

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
)

// An AuditDue is when the next service audit of one scope falls due under
// Config.AuditEveryMonths: that many months after the end of the period the
// latest audit of the scope covered.
type AuditDue struct {
	Scope string `json:"scope"`
	// Last is the ID of the latest audit of the scope, by period end.
	Last string    `json:"last"`
	Due  time.Time `json:"due"`
	// Overdue is true when Due has passed by the Service's clock and no
	// later audit has started.
	Overdue bool `json:"overdue"`
}

// AuditsDue returns, for every scope ever audited, when its next audit is
// due, soonest first. It is empty when Config.AuditEveryMonths is 0: the
// organisation runs audits on no schedule.
func (s *Service) AuditsDue(ctx context.Context) ([]AuditDue, error) {
	if s.cfg.AuditEveryMonths == 0 {
		return nil, nil
	}
	latest := map[string]Audit{}
	for a, err := range s.audits.All(ctx, store.Query{}) {
		if err != nil {
			return nil, err
		}
		if l, ok := latest[a.Scope]; !ok || a.Period.To.After(l.Period.To) {
			latest[a.Scope] = a
		}
	}
	now := s.now()
	out := make([]AuditDue, 0, len(latest))
	for scope, a := range latest {
		due := a.Period.To.AddDate(0, s.cfg.AuditEveryMonths, 0)
		out = append(out, AuditDue{Scope: scope, Last: a.ID, Due: due, Overdue: now.After(due)})
	}
	slices.SortFunc(out, func(x, y AuditDue) int {
		if c := x.Due.Compare(y.Due); c != 0 {
			return c
		}
		return strings.Compare(x.Scope, y.Scope)
	})
	return out, nil
}

// An AuditComparison sets two audits of one scope side by side, area by
// area, the way Reassess compares two assessments.
type AuditComparison struct {
	Before string       `json:"before"`
	After  string       `json:"after"`
	Areas  []AreaChange `json:"areas"`
}

// An AreaChange is one area's rated findings in two audits. A check counts
// as better or worse when both audits rated it and the result moved.
type AreaChange struct {
	Area  string `json:"area"`
	Title string `json:"title"`
	// BeforeMean and AfterMean are the means of the rated findings (0 when
	// BeforeRated or AfterRated is 0: the audit did not rate the area).
	BeforeMean  float64 `json:"before_mean"`
	AfterMean   float64 `json:"after_mean"`
	BeforeRated int     `json:"before_rated"`
	AfterRated  int     `json:"after_rated"`
	// Better and Worse list the checks whose result rose or fell.
	Better []string `json:"better,omitempty"`
	Worse  []string `json:"worse,omitempty"`
	// OpenActions counts the earlier audit's actions on the area that are
	// still open or in progress.
	OpenActions int `json:"open_actions"`
}

// Change is AfterMean - BeforeMean, or 0 unless both audits rated the
// area.
func (c AreaChange) Change() float64 {
	if c.BeforeRated == 0 || c.AfterRated == 0 {
		return 0
	}
	return c.AfterMean - c.BeforeMean
}

// CompareAudits compares two audits of the same scope and catalogue, area
// by area in the later audit's order, with what became of the earlier
// audit's actions.
func (s *Service) CompareAudits(ctx context.Context, beforeID, afterID string) (*AuditComparison, error) {
	br, err := s.AuditReport(ctx, beforeID)
	if err != nil {
		return nil, err
	}
	ar, err := s.AuditReport(ctx, afterID)
	if err != nil {
		return nil, err
	}
	b, err := s.audits.Get(ctx, beforeID)
	if err != nil {
		return nil, err
	}
	a, err := s.audits.Get(ctx, afterID)
	if err != nil {
		return nil, err
	}
	switch {
	case a.Catalogue != b.Catalogue:
		return nil, invalidf("after.catalogue", "must be the catalogue of the earlier audit, %q; got %q", b.Catalogue, a.Catalogue)
	case a.Scope != b.Scope:
		return nil, invalidf("after.scope", "must be the scope of the earlier audit, %q; got %q", b.Scope, a.Scope)
	case !b.Period.To.Before(a.Period.To) && !b.Period.To.Equal(a.Period.To):
		return nil, invalidf("after.period", "must not end before the earlier audit's period")
	}
	before := map[string]AreaReport{}
	for _, r := range br {
		before[r.Area] = r
	}
	open := map[string]int{}
	for act, err := range s.Actions(ctx, ActionFilter{Audit: b.ID}) {
		if err != nil {
			return nil, err
		}
		if act.Status == ActionStatusOpen || act.Status == ActionStatusInProgress {
			open[act.Factor]++
		}
	}
	out := &AuditComparison{Before: b.ID, After: a.ID}
	for _, r := range ar {
		p := before[r.Area]
		ch := AreaChange{Area: r.Area, Title: r.Title, BeforeMean: p.MeanResult, AfterMean: r.MeanResult,
			BeforeRated: p.Rated, AfterRated: r.Rated, OpenActions: open[r.Area]}
		was, is := checkResults(p.Findings), checkResults(r.Findings)
		for _, check := range slices.Sorted(maps.Keys(is)) {
			now, then := is[check], was[check]
			switch {
			case then == 0:
			case now > then:
				ch.Better = append(ch.Better, check)
			case now < then:
				ch.Worse = append(ch.Worse, check)
			}
		}
		out.Areas = append(out.Areas, ch)
	}
	return out, nil
}

// checkResults is the last rated result of each check in findings.
func checkResults(fs []Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		if f.Check != "" && f.Result != 0 {
			m[f.Check] = f.Result
		}
	}
	return m
}
