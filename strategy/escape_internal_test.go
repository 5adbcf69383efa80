package strategy

import (
	"testing"
	"time"
)

// TestMarkdownEscape: text from a strategy renders as written. Each case is
// something a user might type that would otherwise turn into markup.
func TestMarkdownEscape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text unchanged", "Goods arrive on the 3rd, 2027-01-04.", "Goods arrive on the 3rd, 2027-01-04."},
		{"heading at line start", "# Urgent", `\# Urgent`},
		{"heading on a later line", "late goods\n## again", "late goods\n\\## again"},
		{"hash mid-line unchanged", "order #42", "order #42"},
		{"emphasis", "*very* _late_ **bold** __too__", `\*very\* \_late\_ \*\*bold\*\* \_\_too\_\_`},
		{"inline code", "run `rm`", "run \\`rm\\`"},
		{"link", "[click](javascript:alert(1))", `\[click\](javascript:alert(1))`},
		{"image", "![x](http://e/x.png)", `\!\[x\](http://e/x.png)`},
		{"inline html", "<b>hi</b>", `\<b\>hi\</b\>`},
		{"autolink", "<http://example.com>", `\<http://example.com\>`},
		{"entity", "&lt;tag&gt;", `\&lt;tag\&gt;`},
		{"strikethrough", "~~gone~~", `\~\~gone\~\~`},
		{"table pipe", "a | b", `a \| b`},
		{"blockquote", "> quoted", `\> quoted`},
		{"bullet list", "- one\n+ two", "\\- one\n\\+ two"},
		{"ordered list", "1. first\n2) second", "1\\. first\n2\\) second"},
		{"rule", "---", `\---`},
		{"setext underline", "Title\n===", "Title\n\\==="},
		{"indented code block", "text\n\n    code", "text\n\ncode"},
		{"backslash", `C:\temp\*`, `C:\\temp\\\*`},
		{"fence", "```\ncode\n```", "\\`\\`\\`\ncode\n\\`\\`\\`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := md(tt.in); got != tt.want {
				t.Errorf("md(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got, want := mdCell("Gateway | set-up\nand *test*"), `Gateway \| set-up and \*test\*`; got != want {
		t.Errorf("mdCell = %q, want %q", got, want)
	}
}

// TestStanding: the proposal says where a target stands in the terms of
// its direction, and that it is too early to tell before a full window.
func TestStanding(t *testing.T) {
	at := time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)
	in := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	hold := Target{Unit: "%", Baseline: 6, Goal: 3, Band: 1, Direction: DirectionHold}
	tests := []struct {
		name string
		t    Target
		at   time.Time
		want string
	}{
		{"moving target", Target{Unit: "s", Baseline: 90, Goal: 30, Direction: DirectionDecrease,
			CheckIns: []CheckIn{{At: in, Value: 60}}}, at, "current 60 s, 50% of the way, on track"},
		{"hold, still at a baseline outside the band", hold, at, "current 6 %, outside the band 2 to 4"},
		{"hold, on the way back", Target{Unit: "%", Baseline: 6, Goal: 3, Band: 1, Direction: DirectionHold,
			CheckIns: []CheckIn{{At: in, Value: 5}}}, at, "current 5 %, outside the band 2 to 4 (50% of the way back)"},
		{"hold, inside", Target{Unit: "%", Baseline: 6, Goal: 3, Band: 1, Direction: DirectionHold,
			CheckIns: []CheckIn{{At: in, Value: 4}}}, at, "current 4 %, inside the band 2 to 4"},
		{"too early", Target{Unit: "s", Baseline: 90, Goal: 30, Direction: DirectionDecrease,
			CheckIns: []CheckIn{{At: time.Date(2027, 1, 9, 0, 0, 0, 0, time.UTC), Value: 10}}}, time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC),
			"too early to tell: the first reading that counts is due on 2027-01-31"},
	}
	for _, tt := range tests {
		s := &Strategy{Start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Deadline: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)}
		p := &Proposal{Strategy: s, At: tt.at}
		if got := p.Standing(tt.t); got != tt.want {
			t.Errorf("%s: standing = %q, want %q", tt.name, got, tt.want)
		}
	}
}
