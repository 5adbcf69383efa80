package assessment

import (
	"context"

	"github.com/cxkit/cxkit/internal/stats"
)

// AreaReport sums up an audit's work on one area.
type AreaReport struct {
	Area  string `json:"area"`
	Title string `json:"title"`
	// EvidenceBySource counts the evidence per source.
	EvidenceBySource map[string]int `json:"evidence_by_source"`
	Findings         []Finding      `json:"findings"`
	// Rated counts the findings with a result; MeanResult is their mean
	// (0 when none).
	Rated      int     `json:"rated"`
	MeanResult float64 `json:"mean_result"`
	// Recommendations of the area's findings, and how many of them have
	// no action yet.
	Recommendations []Recommendation `json:"recommendations"`
	Unacted         int              `json:"unacted"`
}

// AuditReport sums up an audit per area, in the order of its areas. An area
// without evidence is one the audit has not looked at yet.
func (s *Service) AuditReport(ctx context.Context, auditID string) ([]AreaReport, error) {
	a, c, err := s.loadAudit(ctx, auditID)
	if err != nil {
		return nil, err
	}
	out := make([]AreaReport, len(a.Areas))
	at := map[string]int{}
	for i, id := range a.Areas {
		f, _ := c.Factor(id)
		out[i] = AreaReport{Area: id, Title: f.Title, EvidenceBySource: map[string]int{}}
		at[id] = i
	}
	for _, e := range a.Evidence {
		out[at[e.Area]].EvidenceBySource[e.Source]++
	}
	results := make([][]float64, len(out))
	for _, f := range a.Findings {
		i := at[f.Area]
		out[i].Findings = append(out[i].Findings, f)
		if f.Result != 0 {
			results[i] = append(results[i], float64(f.Result))
		}
	}
	for _, r := range a.Recommendations {
		i := at[a.finding(r.Finding).Area]
		out[i].Recommendations = append(out[i].Recommendations, r)
		if r.Action == "" {
			out[i].Unacted++
		}
	}
	for i := range out {
		out[i].Rated = len(results[i])
		if len(results[i]) > 0 {
			out[i].MeanResult = stats.Mean(results[i])
		}
	}
	return out, nil
}
