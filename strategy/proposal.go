package strategy

import (
	"context"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"regexp"
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
	"num":      num,
	"day":      day,
	"amounts":  amounts,
	"cell":     mdCell,
	"md":       md,
	"target":   describeTarget,
	"window":   window,
	"standing": standing,
	"join":     strings.Join,
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
// escaped so that, once rendered, it reads as written and never becomes
// markup: every character that opens inline Markdown is backslash-escaped
// ('<' is written "\<", '*' "\*", '[' "\["), so is one that would open a
// block at the start of a line ('#', '>', '-', "1."), and table cells fold
// line breaks so a stray character cannot break the table.
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

// mdInline backslash-escapes every character that opens inline Markdown
// (CommonMark with the GitHub extensions): emphasis ('*', '_'), code ('`'),
// links and images ('[', ']', '!'), inline HTML and autolinks ('<', '>'),
// entities ('&'), strikethrough ('~'), table pipes ('|') and the backslash
// itself. A backslash before ASCII punctuation always renders as the
// character, so the escaped text reads exactly as it was written.
var mdInline = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"!", `\!`, "<", `\<`, ">", `\>`, "&", `\&`, "~", `\~`, "|", `\|`)

// mdLineStart matches what makes a line a block of its own when it starts
// one: a heading ('#'), a quote ('>'), a list item or rule ('-', '+'), a
// setext underline ('='), or an ordered list item ("1." or "1)").
var mdLineStart = regexp.MustCompile(`^(?:[#>+=-]|[0-9]{1,9}[.)])`)

// md escapes text from a strategy so that it renders as the text it is and
// never as markup: inline characters everywhere (mdInline) and, at the
// start of each line, the characters that would open a block (mdLineStart).
// Leading blanks are dropped from each line, since four of them would turn
// the line into a code block.
func md(v any) string {
	lines := strings.Split(fmt.Sprint(v), "\n")
	for i, l := range lines {
		l = mdInline.Replace(strings.TrimLeft(l, " \t"))
		if loc := mdLineStart.FindStringIndex(l); loc != nil {
			l = l[:loc[1]-1] + `\` + l[loc[1]-1:]
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// mdCell escapes a table cell: md, with line breaks folded into spaces,
// since a line break would end the row.
func mdCell(s string) string { return md(strings.Join(strings.Fields(s), " ")) }

// standing says where a target is now: how far along for a target that
// moves, and whether it is inside its band for one that holds, since "100%
// of the way" says little about staying put.
func standing(t Target) string {
	cur := fmt.Sprintf("current %s %s", num(t.Current()), t.Unit)
	if t.Direction != Hold {
		return fmt.Sprintf("%s, %.0f%% of the way", cur, 100*t.Progress())
	}
	band := fmt.Sprintf("the band %s to %s", num(t.Low()), num(t.High()))
	if t.InBand(t.Current()) {
		return cur + ", inside " + band
	}
	if p := t.Progress(); p > 0 {
		return fmt.Sprintf("%s, outside %s (%.0f%% of the way back)", cur, band, 100*p)
	}
	return cur + ", outside " + band
}

func window(t Target) string {
	if w := t.Window(); w > 0 {
		return fmt.Sprintf("%s to %s (%g days)", day(t.BaselineFrom), day(t.BaselineTo), w.Hours()/24)
	}
	return "not recorded"
}
