package strategy_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"github.com/cxkit/cxkit/store"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/strategy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -run %s -update and review the diff.\ngot:\n%s", path, t.Name(), got)
	}
}

func testProposal(t *testing.T, aud strategy.Audience) *strategy.Proposal {
	t.Helper()
	s := testStrategy()
	s.ID = "01JTESTSTRATEGY"
	tg, _ := s.Target("T1")
	tg.CheckIns = []strategy.CheckIn{
		{At: date(2027, 2, 1), Value: 31, Confidence: strategy.ConfidenceMedium, By: "Dana Lee", Note: "Cut-off moved", Evidence: []string{"late-delivery complaints, from the complaints source, over the 28 days from 2027-01-04 to 2027-01-31"}},
	}
	s.Input = []strategy.Input{
		{At: date(2027, 1, 20), By: "Lee Park", Kind: strategy.InputKindSupport},
		{At: date(2027, 1, 21), By: "Sam Ortiz", Kind: strategy.InputKindObjection, Text: "The 2 pm cut-off leaves the afternoon shift idle"},
	}
	org := testOrg()
	r := checkOf(t, s)
	p, err := strategy.NewProposal(&s, org, r, aud, date(2027, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProposalGolden(t *testing.T) {
	for _, aud := range []strategy.Audience{strategy.AudienceSeniorManagement, strategy.AudienceStaff} {
		t.Run(string(aud), func(t *testing.T) {
			p := testProposal(t, aud)
			var md, html bytes.Buffer
			if err := p.Markdown(&md); err != nil {
				t.Fatal(err)
			}
			if err := p.HTML(&html); err != nil {
				t.Fatal(err)
			}
			golden(t, "proposal-"+string(aud)+".md", md.Bytes())
			golden(t, "proposal-"+string(aud)+".html", html.Bytes())
			for _, sec := range p.Sections() {
				if !strings.Contains(md.String(), "## "+sec+"\n") {
					t.Errorf("markdown lacks section %q", sec)
				}
				if !strings.Contains(html.String(), "<h2>"+sec+"</h2>") {
					t.Errorf("html lacks section %q", sec)
				}
			}
		})
	}
}

func TestProposalHTMLEscapes(t *testing.T) {
	s := testStrategy()
	s.Issue = `<script>alert("x")</script> & late goods`
	s.Risks[0].Description = `<img src=x onerror=alert(1)>`
	r := checkOf(t, s)
	p, err := strategy.NewProposal(&s, testOrg(), r, strategy.AudienceStaff, date(2027, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.HTML(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script>") || strings.Contains(out, "<img") {
		t.Errorf("markup from the strategy reached the HTML unescaped:\n%s", out)
	}
	if !strings.Contains(out, "&lt;script&gt;") || !strings.Contains(out, "&amp; late goods") {
		t.Errorf("escaped text missing:\n%s", out)
	}
}

func TestProposalMarkdownTableCells(t *testing.T) {
	s := testStrategy()
	s.Budget[0].Description = "Gateway | set-up\nand test"
	r := checkOf(t, s)
	p, err := strategy.NewProposal(&s, testOrg(), r, strategy.AudienceSeniorManagement, date(2027, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `| Gateway \| set-up and test | project |`) {
		t.Errorf("table cell not escaped:\n%s", b.String())
	}
}

func TestProposalStaffHidesMoney(t *testing.T) {
	var md bytes.Buffer
	if err := testProposal(t, strategy.AudienceStaff).Markdown(&md); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "AUD") || strings.Contains(md.String(), "## Alternatives considered") {
		t.Errorf("staff proposal shows money or the alternatives:\n%s", md.String())
	}
	if _, err := strategy.NewProposal(&strategy.Strategy{}, testOrg(), strategy.Review{}, "board", date(2027, 1, 1)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown audience: %v", err)
	}
}

func TestProposalMarkdownEscapes(t *testing.T) {
	s := testStrategy()
	s.Issue = `<script>alert(1)</script> see [here](javascript:alert(1)) \<b>`
	r := checkOf(t, s)
	p, err := strategy.NewProposal(&s, testOrg(), r, strategy.AudienceStaff, date(2027, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	want := `\<script\>alert(1)\</script\> see \[here\](javascript:alert(1)) \\\<b\>`
	if !strings.Contains(b.String(), want) {
		t.Errorf("markdown lacks the escaped issue %q:\n%s", want, b.String())
	}
}

// checkOf reviews s with the sources of newService.
func checkOf(t testing.TB, s strategy.Strategy) strategy.Review {
	t.Helper()
	svc, _, _ := newService(t)
	r, err := svc.CheckWith(context.Background(), s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Words for people (issue 12): nothing a manager reads shows metric
// notation, record IDs, interval brackets or scale factors.
func TestProposalWordsForPeople(t *testing.T) {
	for _, aud := range []strategy.Audience{strategy.AudienceSeniorManagement, strategy.AudienceStaff} {
		var md, html bytes.Buffer
		p := testProposal(t, aud)
		if err := p.Markdown(&md); err != nil {
			t.Fatal(err)
		}
		if err := p.HTML(&html); err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{md.String(), html.String()} {
			for _, bad := range []string{"count:", "category=", "01J", "scaled by", "T00:00:00Z", "[20", ", 20"} {
				if strings.Contains(out, bad) {
					t.Errorf("%s proposal shows %q", aud, bad)
				}
			}
		}
		if !strings.Contains(md.String(), "Communicating the change") || !strings.Contains(md.String(), "newsletter on 2026-12-21") {
			t.Errorf("%s proposal lacks the communication plan", aud)
		}
		if senior := aud == strategy.AudienceSeniorManagement; senior != strings.Contains(md.String(), "1 in support, 1 objecting, 0 comments") {
			t.Errorf("%s proposal: staff input shown = %v, want %v", aud, !senior, senior)
		}
	}
}
