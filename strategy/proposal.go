package strategy

import (
	"context"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"strings"
	texttemplate "text/template"
	"time"
)

// An Audience is who a proposal is written for. Senior management decide,
// so they get the options weighed, the money and the full SMART review;
// staff carry it out, so they get what changes, the targets, the time it
// takes and the rules it keeps, without the budget figures.
type Audience string

// The audiences.
const (
	SeniorManagement Audience = "senior-management"
	Staff            Audience = "staff"
)

// A Proposal is a strategy prepared for presenting: the strategy with the
// organisation's vision, its SMART review, where it stands, and the
// audience it is for. Markdown and HTML render the same content.
type Proposal struct {
	Audience Audience
	At       time.Time
	Org      Organisation
	Strategy *Strategy
	Review   Review
	Report   Report
	Totals   Totals
}

// NewProposal prepares s for aud, reviewed as r, with its status at now under
// th.
func NewProposal(s *Strategy, org Organisation, r Review, aud Audience, now time.Time, th Thresholds) (*Proposal, error) {
	if aud != SeniorManagement && aud != Staff {
		return nil, invalidf("audience", "must be one of senior-management, staff, got %q", aud)
	}
	t, err := Total(s.Budget)
	if err != nil {
		return nil, err
	}
	return &Proposal{Audience: aud, At: now, Org: org, Strategy: s, Review: r, Report: s.StatusAt(now, th), Totals: t}, nil
}

// Proposal reviews the stored strategy and prepares it for aud.
func (m *Manager) Proposal(ctx context.Context, id string, aud Audience) (*Proposal, error) {
	s, err := m.repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := m.check(ctx, &s)
	if err != nil {
		return nil, err
	}
	return NewProposal(&s, m.org, r, aud, m.now(), m.th)
}

//go:embed templates/*.tmpl
var templateFS embed.FS

var funcs = map[string]any{
	"num":     num,
	"pct":     func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) },
	"day":     day,
	"amounts": amounts,
	"cell":    mdCell,
	"md":      md,
	"target":  describeTarget,
	"window":  window,
	"join":    strings.Join,
	"verdict": func(f Finding) string {
		if f.Met {
			return "met"
		}
		return "not met"
	},
	"senior": func(a Audience) bool { return a == SeniorManagement },
	"option": func(s *Strategy, id string) Option { o, _ := s.Option(id); return o },
	"audienceName": func(a Audience) string {
		if a == Staff {
			return "staff"
		}
		return "senior management"
	},
}

var (
	mdTemplate   = texttemplate.Must(texttemplate.New("proposal.md.tmpl").Funcs(funcs).ParseFS(templateFS, "templates/proposal.md.tmpl"))
	htmlTemplate = htmltemplate.Must(htmltemplate.New("proposal.html.tmpl").Funcs(funcs).ParseFS(templateFS, "templates/proposal.html.tmpl"))
)

// Markdown writes the proposal as Markdown. Text from the strategy is
// escaped so that it cannot become inline HTML or a link when the Markdown
// is rendered (a '<' is written "\<", a '[' "\["); table cells also escape
// '|' and fold line breaks so a stray character cannot break the table.
func (p *Proposal) Markdown(w io.Writer) error { return mdTemplate.Execute(w, p) }

// HTML writes the proposal as a standalone HTML document; html/template
// escapes every value, so text from customers or staff cannot inject markup.
func (p *Proposal) HTML(w io.Writer) error { return htmlTemplate.Execute(w, p) }

// Requirements returns the review's quality-assurance and legal findings,
// the ones every audience sees.
func (p *Proposal) Requirements() []Finding {
	return append(p.Review.Of(QualityAssurance), p.Review.Of(Legal)...)
}

// Sections lists the proposal's section headings in order, the same in both
// formats: a table of contents, and what tests hold the templates to.
func (p *Proposal) Sections() []string {
	ss := []string{"Issue", "Customers' needs", "If nothing is done"}
	if p.Audience == SeniorManagement {
		ss = append(ss, "Options considered")
	}
	ss = append(ss, "Recommendation", "Budget and resources", "Targets and how they are measured", "Risks", "Quality assurance and legal requirements")
	if p.Audience == SeniorManagement {
		ss = append(ss, "SMART review")
	}
	return ss
}

// mdEscaper backslash-escapes what would let text from a strategy turn into
// markup once the Markdown is rendered: inline HTML ("<script>") and links
// ("[click](javascript:...)"). Emphasis characters are left alone; at worst
// they change the look, never the content.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "<", `\<`, "[", `\[`)

func md(v any) string { return mdEscaper.Replace(fmt.Sprint(v)) }

// mdCell escapes a table cell: md, plus '|' and line breaks, which would
// end the cell or the row.
func mdCell(s string) string {
	s = strings.ReplaceAll(md(s), "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

func window(t Target) string {
	if w := t.Window(); w > 0 {
		return fmt.Sprintf("%s to %s (%g days)", day(t.BaselineFrom), day(t.BaselineTo), w.Hours()/24)
	}
	return "not recorded"
}
