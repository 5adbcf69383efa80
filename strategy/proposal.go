package strategy

import (
	"context"
	"embed"
	"fmt"
	"github.com/cxkit/cxkit/strategy/budget"
	htmltemplate "html/template"
	"io"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"
)

// An Audience is who hears of a strategy. Senior management decide, so
// their proposal has the alternatives weighed, the money, staff input and
// the full SMART review; staff carry it out, so theirs has what changes,
// the targets, the time it takes and the rules it keeps, without the
// budget figures. Customers and suppliers are told of the change (see
// Announcement) but get no proposal.
type Audience string

// The audiences.
const (
	AudienceSeniorManagement Audience = "senior-management"
	AudienceStaff            Audience = "staff"
	AudienceCustomers        Audience = "customers"
	AudienceSuppliers        Audience = "suppliers"
)

// Audiences returns the audiences a change is communicated to.
func Audiences() []Audience {
	return []Audience{AudienceSeniorManagement, AudienceStaff, AudienceCustomers, AudienceSuppliers}
}

// A Proposal is a strategy prepared for presenting: the strategy with the
// organisation's vision, mission and values, its SMART review, where it
// stands, and the audience it is for. Markdown and HTML render the same
// content.
type Proposal struct {
	Audience Audience
	At       time.Time
	Config   Config
	Strategy *Strategy
	Review   Review
	Report   Report
	Totals   budget.Totals
}

// NewProposal prepares st for aud (senior management or staff), reviewed as
// r, with where it stands at now under cfg's thresholds.
func NewProposal(st *Strategy, cfg Config, r Review, aud Audience, now time.Time) (*Proposal, error) {
	if aud != AudienceSeniorManagement && aud != AudienceStaff {
		return nil, invalidf("audience", "must be one of senior-management, staff, got %q", aud)
	}
	t, err := budget.Total(st.Budget)
	if err != nil {
		return nil, err
	}
	return &Proposal{Audience: aud, At: now, Config: cfg, Strategy: st, Review: r, Report: st.ReportAt(now, cfg.thresholds()), Totals: t}, nil
}

// Proposal reviews the stored strategy and prepares it for aud.
func (s *Service) Proposal(ctx context.Context, id string, aud Audience) (*Proposal, error) {
	st, err := s.c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := s.check(ctx, &st)
	if err != nil {
		return nil, err
	}
	return NewProposal(&st, s.cfg, r, aud, s.set.Now())
}

//go:embed templates/*.tmpl
var templateFS embed.FS

var funcs = map[string]any{
	"num":     num,
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
	"senior":       func(a Audience) bool { return a == AudienceSeniorManagement },
	"alternative":  func(s *Strategy, id string) Alternative { o, _ := s.Alternative(id); return o },
	"audienceName": audienceName,
	"methodName":   func(m Method) string { return strings.ReplaceAll(string(m), "-", " ") },
	"count": func(in []Input, k string) int {
		n := 0
		for _, x := range in {
			if string(x.Kind) == k {
				n++
			}
		}
		return n
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
	return append(p.Review.Of(CriterionQualityAssurance), p.Review.Of(CriterionLegal)...)
}

// Sections lists the proposal's section headings in order, the same in both
// formats: a table of contents, and what tests hold the templates to.
func (p *Proposal) Sections() []string {
	ss := []string{"Issue", "Customers' needs", "If nothing is done"}
	if p.Audience == AudienceSeniorManagement {
		ss = append(ss, "Alternatives considered")
	}
	ss = append(ss, "Recommendation", "Budget and resources", "Targets and how they are measured", "Risks",
		"Quality assurance and legal requirements", "Communicating the change")
	if p.Audience == AudienceSeniorManagement {
		ss = append(ss, "Staff input", "SMART review")
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

// Standing says where a target stands at the proposal's date, in words:
// how far along for a target that moves, whether it is inside its band for
// one that holds ("100% of the way" says little about staying put), and
// "too early to tell" before a full measurement window has passed.
func (p *Proposal) Standing(t Target) string {
	r := p.Strategy.TargetReportAt(&t, p.At, p.Config.thresholds())
	if r.Standing == StandingTooEarly {
		return "too early to tell: the first reading that counts is due on " + day(r.Ready)
	}
	v, _ := t.ValueAt(p.Strategy.Start, p.At)
	cur := fmt.Sprintf("current %s %s", num(v), t.Unit)
	if t.Direction != DirectionHold {
		return fmt.Sprintf("%s, %.0f%% of the way, %s", cur, 100*r.Progress, r.Standing)
	}
	band := fmt.Sprintf("the band %s to %s", num(t.Low()), num(t.High()))
	if t.InBand(v) {
		return cur + ", inside " + band
	}
	if r.Progress > 0 {
		return fmt.Sprintf("%s, outside %s (%.0f%% of the way back)", cur, band, 100*r.Progress)
	}
	return cur + ", outside " + band
}

func audienceName(a Audience) string { return strings.ReplaceAll(string(a), "-", " ") }

func window(t Target) string {
	if w := t.BaselineTo.Sub(t.BaselineFrom); w > 0 {
		return fmt.Sprintf("%s to %s (%g days)", day(t.BaselineFrom), day(t.BaselineTo), w.Hours()/24)
	}
	return "not recorded"
}
