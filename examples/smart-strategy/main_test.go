package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/strategy"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), t.TempDir(), strategy.AudienceSeniorManagement, false, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"goods not delivered on time   14",
		// The vague draft is judged, criterion by criterion.
		`the issue is too vague ("Improve things soon" names nothing in particular)`,
		`measurement source "vibes" is not wired`,
		"line 1 (Budget): it has no money and no staff hours",
		"the 30-day measurement window does not fit once between the start (2027-01-04) and the deadline (2027-01-18)",
		`the owner "the team" is a group or a role`,
		`the answer is too short to act on ("x"`,
		// The better draft, judged against the organisation's own record.
		"complaints with category goods not delivered on time, 14 -> 7 a month",
		"the goal needs a fall of 6.5 complaints every 31-day window for 2 windows; the best fall between two windows in the last 12 was 3",
		"staff time in 2027-H1: needs 200 h, 160 h available (short by 40 h)",
		"Approval refused: 2 of 9 findings not met.",
		"all 9 findings met: true",
		"the goal needs a fall of 1.4 complaints per window",
		"Stage: approved",
		// Check-ins that never mislead: too early at first, then over a
		// full month inside the strategy's run.
		"Check-in 2027-01-14: too early to tell: the first full measurement window ends on 2027-02-04",
		"Check-in 2027-02-15: Late-delivery complaints 10 (goal 7): on track: 57% done, 24% of the time gone",
		"over the 31 days from 2027-01-15 to 2027-02-15",
		"## Alternatives considered",
		"## Communicating the change",
		"- suppliers: memo on 2027-01-18",
		"1 in support, 1 objecting, 0 comments.",
		"**Mission.**",
		"| legal | L1 | met |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRunHTMLForStaff(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), t.TempDir(), strategy.AudienceStaff, true, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	got = got[strings.Index(got, "<!DOCTYPE"):] // the proposal, after the walk-through
	if !strings.Contains(got, "<h2>Targets and how they are measured</h2>") || strings.Contains(got, "AUD") {
		t.Errorf("staff HTML proposal wrong:\n%s", got)
	}
}

// Words for people: nothing in the output shows metric notation, record
// IDs, interval brackets or scale factors.
func TestRunWordsForPeople(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), t.TempDir(), strategy.AudienceSeniorManagement, false, &out); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"count:", "category=", "scaled", "T00:00", "01J", "01K", "01M"} {
		if strings.Contains(out.String(), bad) {
			t.Errorf("output shows %q:\n%s", bad, out.String())
		}
	}
}
