package main

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/examples/internal/demo"
)

// TestRunTwice runs the quickstart as a newcomer would, twice on one data
// directory: the first run starts from nothing, the second finds what the
// first wrote, adds to it and checks in on the same strategy.
func TestRunTwice(t *testing.T) {
	dir := t.TempDir()
	var first, second bytes.Buffer
	if err := run(context.Background(), dir, &first); err != nil {
		t.Fatalf("first run: %v\n%s", err, first.String())
	}
	out := first.String()
	for _, want := range []string{
		"new data directory",
		"1. Assess", "2. Act", "3. Listen", "4. Plan", "5. Check in",
		`team "customer desk", 4 people`,
		"assessment closed",
		"logged 18 complaints",
		"received → investigating → acknowledged → solution-decided → notified → followed-up → closed",
		"closing a complaint nobody has investigated is refused",
		"sorted by hand",
		"went to the complaints process, filed under",
		"survey wave",
		"SMART review: 9 of 9 findings met",
		"stored the strategy",
		"from the complaints source, over the 14 days from",
		"now holds 19 complaints, 6 feedback items, 1 assessment and 1 strategy",
		"go run ./examples/dashboard",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("first run: output lacks %q", want)
		}
	}
	// The status line reads like a status.
	if !regexp.MustCompile(`progress \d+% with \d+% of the time used: (on track|at risk|off track)`).MatchString(out) {
		t.Errorf("first run: no status line")
	}

	if err := run(context.Background(), dir, &second); err != nil {
		t.Fatalf("second run: %v\n%s", err, second.String())
	}
	out2 := second.String()
	for _, want := range []string{
		"found 19 complaints, 6 feedback items, 1 assessment and 1 strategy from an earlier run; adding more",
		"found the strategy",
		"now holds 38 complaints, 12 feedback items, 2 assessments and 1 strategy",
	} {
		if !strings.Contains(out2, want) {
			t.Errorf("second run: output lacks %q", want)
		}
	}
	if strings.Contains(out2, "stored the strategy") {
		t.Error("second run drafted a second strategy for the same category")
	}
	if t.Failed() {
		t.Logf("first run:\n%s\nsecond run:\n%s", out, out2)
	}
}

func TestRunReportsALockedDirectory(t *testing.T) {
	dir := t.TempDir()
	l, err := open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	// The first handle holds the directory's lock.
	if err := run(context.Background(), dir, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second opener: %v; want an error naming the directory", err)
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		n    int64
		in   string
		want string
	}{{0, "complaint", "0 complaints"}, {1, "strategy", "1 strategy"}, {2, "strategy", "2 strategies"}, {3, "feedback item", "3 feedback items"}}
	for _, tc := range tests {
		if got := plural(tc.n, tc.in); got != tc.want {
			t.Errorf("plural(%d, %q) = %q; want %q", tc.n, tc.in, got, tc.want)
		}
	}
}

// The dashboard and the CRM read the quickstart's directory with the demo
// organisation's settings; if the names drift apart the dashboard shows an
// empty month although the store is full.
func TestNamesMatchTheOtherExamples(t *testing.T) {
	if got, want := complaintsOrg, demo.ComplaintsConfig().Org; got != want {
		t.Errorf("complaints org %q; the dashboard reads %q", got, want)
	}
	pairs := [][2]string{{team, demo.Team}, {surveyName, demo.Survey}, {npsQuestion, demo.NPSQuestion}, {csatQuestion, demo.CSATQuestion}}
	for _, p := range pairs {
		if p[0] != p[1] {
			t.Errorf("quickstart uses %q where the dashboard uses %q", p[0], p[1])
		}
	}
	if !slices.Equal(categories, demo.Categories) {
		t.Errorf("categories %q; the demo has %q", categories, demo.Categories)
	}
}
