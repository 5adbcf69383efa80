package assessment

import (
	"context"
	"errors"
	"fmt"
	"github.com/cxkit/cxkit"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
)

// The evidence sources of the built-in audit catalogue: what an auditor
// looks at or asks for.
const (
	SourceObservation    = "observation"     // watching staff deal with customers
	SourceFeedbackForms  = "feedback-forms"  // customers' feedback forms
	SourceComplaintForms = "complaint-forms" // customers' complaint forms
	SourceSurveys        = "surveys"         // surveys the organisation ran
	SourceQuestionnaires = "questionnaires"  // questionnaires it handed out
	SourceThirdParties   = "third-parties"   // suppliers, industry bodies and other outsiders
)

// An Audit is a customer service audit: a review, against the audit
// catalogue, of how service is delivered, seen from the customer's side.
// It gathers evidence per area, records findings, and makes recommendations
// that become actions.
type Audit struct {
	store.Meta

	Catalogue        string `json:"catalogue"`
	CatalogueVersion string `json:"catalogue_version"`
	// Scope is the organisation or unit audited.
	Scope   string `json:"scope"`
	Auditor string `json:"auditor"`
	Period  Period `json:"period"`
	// Areas are the catalogue factors (audit areas) covered; empty when
	// starting means all of them.
	Areas           []string             `json:"areas"`
	Status          Status               `json:"status"`
	Evidence        []Evidence           `json:"evidence,omitempty"`
	Findings        []Finding            `json:"findings,omitempty"`
	Recommendations []Recommendation     `json:"recommendations,omitempty"`
	History         []cxkit.HistoryEntry `json:"history,omitempty"`
}

// Evidence is one piece of information an audit drew on.
type Evidence struct {
	// ID is assigned when the evidence is added ("E1", "E2", ...).
	ID   string `json:"id"`
	Area string `json:"area"`
	// Check optionally narrows the evidence to one statement of the area.
	Check string `json:"check,omitempty"`
	// Source is one of the catalogue's sources (Source* constants for the
	// built-in catalogue).
	Source string `json:"source"`
	// Party names the outsider for third-party evidence ("supplier:
	// Acme", "industry body: ...").
	Party   string    `json:"party,omitempty"`
	Summary string    `json:"summary"`
	At      time.Time `json:"at"`
	// Ref points at a record elsewhere, such as a complaint or survey ID.
	Ref string `json:"ref,omitempty"`
}

// A Finding is what the audit concluded about an area or one check.
type Finding struct {
	// ID is assigned when the finding is added ("F1", "F2", ...).
	ID    string `json:"id"`
	Area  string `json:"area"`
	Check string `json:"check,omitempty"`
	// Result is a value of the catalogue's scale (met3: 1 not met, 2 partly
	// met, 3 met), or 0 when the finding is not a rating.
	Result   int      `json:"result,omitempty"`
	Text     string   `json:"text"`
	Evidence []string `json:"evidence,omitempty"`
}

// A Recommendation is what the audit proposes about a finding. Action is
// set once the recommendation became an action (see ActOn).
type Recommendation struct {
	ID      string `json:"id"`
	Finding string `json:"finding"`
	Text    string `json:"text"`
	Action  string `json:"action,omitempty"`
}

func (a *Audit) recommendation(id string) *Recommendation {
	for i := range a.Recommendations {
		if a.Recommendations[i].ID == id {
			return &a.Recommendations[i]
		}
	}
	return nil
}

func (a *Audit) finding(id string) *Finding {
	for i := range a.Findings {
		if a.Findings[i].ID == id {
			return &a.Findings[i]
		}
	}
	return nil
}

func (a *Audit) hasEvidence(id string) bool {
	return slices.ContainsFunc(a.Evidence, func(e Evidence) bool { return e.ID == id })
}

// StartAudit validates a and stores it as an open audit. An empty
// Catalogue means the latest built-in audit catalogue.
func (s *Service) StartAudit(ctx context.Context, a Audit, by string) (Audit, error) {
	if a.Catalogue == "" {
		c, err := BuiltinCatalogue(AuditCatalogue)
		if err != nil {
			return Audit{}, err
		}
		a.Catalogue, a.CatalogueVersion = c.ID, c.Version
	}
	c, err := s.Catalogue(ctx, a.Catalogue, a.CatalogueVersion)
	if err != nil {
		return Audit{}, err
	}
	switch {
	case strings.TrimSpace(a.Scope) == "":
		return Audit{}, invalidf("audit.scope", "must name the organisation or unit audited")
	case strings.TrimSpace(a.Auditor) == "":
		return Audit{}, invalidf("audit.auditor", "must not be empty")
	case a.Period.From.IsZero() || !a.Period.From.Before(a.Period.To):
		return Audit{}, invalidf("audit.period", "must have a start before its end")
	case len(a.Evidence)+len(a.Findings)+len(a.Recommendations) > 0:
		return Audit{}, invalidf("audit.evidence", "must be empty when starting: add evidence, findings and recommendations one by one")
	}
	if len(a.Areas) == 0 {
		for _, f := range c.Factors {
			a.Areas = append(a.Areas, f.ID)
		}
	}
	a.Areas = slices.Clone(a.Areas)
	for i, id := range a.Areas {
		if _, ok := c.Factor(id); !ok {
			return Audit{}, invalidf(fmt.Sprintf("audit.areas[%d]", i), "must be an area of catalogue %s, got %q", c.Key(), id)
		}
		if slices.Contains(a.Areas[:i], id) {
			return Audit{}, invalidf(fmt.Sprintf("audit.areas[%d]", i), "must be unique, %q appears twice", id)
		}
	}
	a.Status = StatusOpen
	a.History = []cxkit.HistoryEntry{{At: s.stamp(), By: by, Action: "started", To: string(StatusOpen), What: fmt.Sprintf("started on %d areas", len(a.Areas))}}
	out, err := s.audits.Create(ctx, a)
	if err == nil {
		s.emit(ctx, cxkit.Event{Type: EventAuditStarted, Subject: out.ID, By: by, To: string(StatusOpen), Attrs: map[string]string{"scope": out.Scope}})
	}
	return out, err
}

// GetAudit returns the audit with the given ID.
func (s *Service) GetAudit(ctx context.Context, id string) (Audit, error) {
	return s.audits.Get(ctx, id)
}

func (s *Service) loadAudit(ctx context.Context, id string) (Audit, *Catalogue, error) {
	a, err := s.audits.Get(ctx, id)
	if err != nil {
		return Audit{}, nil, err
	}
	c, err := s.Catalogue(ctx, a.Catalogue, a.CatalogueVersion)
	if err != nil {
		return Audit{}, nil, err
	}
	return a, c, nil
}

// checkAreaCheck validates an area and an optional check of it.
func checkAreaCheck(kind string, a *Audit, c *Catalogue, area, check string) error {
	if !slices.Contains(a.Areas, area) {
		return invalidf(kind+".area", "must be an area the audit covers (%s), got %q", strings.Join(a.Areas, ", "), area)
	}
	if check != "" {
		if _, f, ok := c.Statement(check); !ok || f.ID != area {
			return invalidf(kind+".check", "must be a check of area %q, got %q", area, check)
		}
	}
	return nil
}

// mutateAudit applies fn to an open audit.
func (s *Service) mutateAudit(ctx context.Context, id string, fn func(a *Audit, c *Catalogue) error) (Audit, error) {
	_, c, err := s.loadAudit(ctx, id)
	if err != nil {
		return Audit{}, err
	}
	return s.audits.Mutate(ctx, id, func(a *Audit) error {
		if a.Status != StatusOpen {
			return invalidf("audit.status", "must be open to change; audit %s is %s", a.ID, a.Status)
		}
		return fn(a, c)
	})
}

// AddEvidence records a piece of evidence and returns it with its ID. The
// source must be one the catalogue lists; third-party evidence must name
// the party. A zero At means now.
func (s *Service) AddEvidence(ctx context.Context, auditID string, e Evidence, by string) (Evidence, error) {
	now := s.stamp()
	if e.At.IsZero() {
		e.At = now
	}
	var out Evidence
	_, err := s.mutateAudit(ctx, auditID, func(a *Audit, c *Catalogue) error {
		if err := checkAreaCheck("evidence", a, c, e.Area, e.Check); err != nil {
			return err
		}
		if len(c.Sources) > 0 && !slices.ContainsFunc(c.Sources, func(x EvidenceSource) bool { return x.ID == e.Source }) {
			ids := make([]string, len(c.Sources))
			for i, x := range c.Sources {
				ids[i] = x.ID
			}
			return invalidf("evidence.source", "must be one of %s, got %q", strings.Join(ids, ", "), e.Source)
		}
		if strings.TrimSpace(e.Source) == "" {
			return invalidf("evidence.source", "must not be empty")
		}
		if e.Source == SourceThirdParties && strings.TrimSpace(e.Party) == "" {
			return invalidf("evidence.party", "must name the third party (a supplier, an industry body ...)")
		}
		if strings.TrimSpace(e.Summary) == "" {
			return invalidf("evidence.summary", "must not be empty")
		}
		out = e
		out.ID = fmt.Sprintf("E%d", len(a.Evidence)+1)
		a.Evidence = append(a.Evidence, out)
		a.History = append(a.History, cxkit.HistoryEntry{At: now, By: by, Action: "evidence", What: fmt.Sprintf("evidence %s from %s on %s", out.ID, out.Source, out.Area)})
		return nil
	})
	return out, err
}

// AddFinding records a finding and returns it with its ID. Its result, if
// any, must be on the catalogue's scale, and the evidence it cites must
// exist.
func (s *Service) AddFinding(ctx context.Context, auditID string, f Finding, by string) (Finding, error) {
	now := s.stamp()
	au, err := s.audits.Get(ctx, auditID)
	if err != nil {
		return Finding{}, err
	}
	_, sc, err := s.catalogueScale(ctx, au.Catalogue, au.CatalogueVersion)
	if err != nil {
		return Finding{}, err
	}
	var out Finding
	_, err = s.mutateAudit(ctx, auditID, func(a *Audit, c *Catalogue) error {
		if err := checkAreaCheck("finding", a, c, f.Area, f.Check); err != nil {
			return err
		}
		if strings.TrimSpace(f.Text) == "" {
			return invalidf("finding.text", "must not be empty")
		}
		if f.Result != 0 && !sc.Has(f.Result) {
			return invalidf("finding.result", "must be 0 (no rating) or on the scale %s, from %s; got %d", sc.ID, sc.describe(), f.Result)
		}
		for i, id := range f.Evidence {
			if !a.hasEvidence(id) {
				return invalidf(fmt.Sprintf("finding.evidence[%d]", i), "must be evidence of audit %s, got %q", a.ID, id)
			}
		}
		out = f
		out.Evidence = slices.Clone(f.Evidence)
		out.ID = fmt.Sprintf("F%d", len(a.Findings)+1)
		a.Findings = append(a.Findings, out)
		a.History = append(a.History, cxkit.HistoryEntry{At: now, By: by, Action: "finding", What: fmt.Sprintf("finding %s on %s", out.ID, out.Area)})
		return nil
	})
	if err == nil {
		s.emit(ctx, cxkit.Event{Type: EventAuditFinding, Subject: auditID, By: by, Note: out.Text, Attrs: map[string]string{"area": out.Area, "finding": out.ID}})
	}
	return out, err
}

// Recommend records a recommendation on a finding and returns it with its
// ID.
func (s *Service) Recommend(ctx context.Context, auditID, findingID, text, by string) (Recommendation, error) {
	now := s.stamp()
	var out Recommendation
	_, err := s.mutateAudit(ctx, auditID, func(a *Audit, _ *Catalogue) error {
		if a.finding(findingID) == nil {
			return invalidf("recommendation.finding", "must be a finding of audit %s, got %q", a.ID, findingID)
		}
		if strings.TrimSpace(text) == "" {
			return invalidf("recommendation.text", "must not be empty")
		}
		out = Recommendation{ID: fmt.Sprintf("R%d", len(a.Recommendations)+1), Finding: findingID, Text: text}
		a.Recommendations = append(a.Recommendations, out)
		a.History = append(a.History, cxkit.HistoryEntry{At: now, By: by, Action: "recommended", What: fmt.Sprintf("recommendation %s on finding %s", out.ID, findingID)})
		return nil
	})
	return out, err
}

// ActOn turns a recommendation into an action. act supplies the owner, due
// date and what the owner will initiate; the audit, recommendation, area
// and check are filled from the recommendation's finding, and an empty
// NeedsToHappen takes the recommendation's text. A recommendation becomes
// at most one action. Where the driver can write atomically the action and
// the audit's link to it are stored together; otherwise the action is
// written first, so a failure leaves an action that names its
// recommendation rather than a link to nothing.
func (s *Service) ActOn(ctx context.Context, auditID, recommendationID string, act Action, by string) (Action, error) {
	au, c, err := s.loadAudit(ctx, auditID)
	if err != nil {
		return Action{}, err
	}
	rec := au.recommendation(recommendationID)
	if rec == nil {
		return Action{}, invalidf("recommendation", "must be a recommendation of audit %s, got %q", au.ID, recommendationID)
	}
	if rec.Action != "" {
		return Action{}, invalidf("recommendation", "must not have an action yet; %s already became action %s", rec.ID, rec.Action)
	}
	f := au.finding(rec.Finding)
	act.Assessment, act.Audit, act.Recommendation = "", au.ID, rec.ID
	act.Factor, act.Statement = f.Area, f.Check
	if strings.TrimSpace(act.NeedsToHappen) == "" {
		act.NeedsToHappen = rec.Text
	}
	if act.Status == "" {
		act.Status = ActionStatusOpen
	}
	if err := act.validate(); err != nil {
		return Action{}, err
	}
	if act.Due.Before(au.Created) {
		return Action{}, invalidf("action.due", "must not be before audit %s was started (%s), got %s",
			au.ID, au.Created.UTC().Format(time.DateOnly), act.Due.UTC().Format(time.DateOnly))
	}
	if err := linkStatement(&act, c, au.Areas); err != nil {
		return Action{}, err
	}
	now := s.stamp()
	act.History = []cxkit.HistoryEntry{{At: now, By: by, Action: "created", To: string(ActionStatusOpen), What: "created from audit recommendation " + rec.ID}}
	if act.ID == "" {
		if act.ID, err = s.actions.NewID(); err != nil {
			return Action{}, err
		}
	}
	link := func(a *Audit) error {
		r := a.recommendation(recommendationID)
		if r.Action != "" {
			return invalidf("recommendation", "must not have an action yet; %s already became action %s", r.ID, r.Action)
		}
		r.Action = act.ID
		a.History = append(a.History, cxkit.HistoryEntry{At: now, By: by, Action: "acted-on", What: fmt.Sprintf("recommendation %s became action %s", r.ID, act.ID)})
		return nil
	}
	// Atomic path.
	if err := link(&au); err != nil {
		return Action{}, err
	}
	cw, err := s.actions.CreateWrite(act)
	if err != nil {
		return Action{}, err
	}
	uw, err := s.audits.UpdateWrite(au)
	if err != nil {
		return Action{}, err
	}
	_, err = store.Batch(ctx, s.driver, []store.Write{cw, uw})
	if err == nil {
		s.actionAdded(ctx, act, by)
		return s.actions.Get(ctx, act.ID)
	}
	if !errors.Is(err, errors.ErrUnsupported) {
		return Action{}, err
	}
	created, err := s.actions.Create(ctx, act)
	if err != nil {
		return Action{}, err
	}
	if _, err := s.audits.Mutate(ctx, au.ID, link); err != nil {
		return created, fmt.Errorf("assessment: action %s created but not linked to audit %s: %w", created.ID, au.ID, err)
	}
	s.actionAdded(ctx, created, by)
	return created, nil
}

// CloseAudit finalises an audit; its actions move on independently.
func (s *Service) CloseAudit(ctx context.Context, auditID, by string) (Audit, error) {
	now := s.stamp()
	out, err := s.mutateAudit(ctx, auditID, func(a *Audit, _ *Catalogue) error {
		a.Status = StatusClosed
		a.History = append(a.History, cxkit.HistoryEntry{At: now, By: by, Action: "closed", From: string(StatusOpen), To: string(StatusClosed), What: "closed"})
		return nil
	})
	if err == nil {
		s.emit(ctx, cxkit.Event{Type: EventClosed, Subject: out.ID, By: by, From: string(StatusOpen), To: string(StatusClosed),
			Attrs: map[string]string{"record": "audit"}})
	}
	return out, err
}
