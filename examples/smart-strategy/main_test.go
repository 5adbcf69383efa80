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
	if err := run(context.Background(), t.TempDir(), strategy.SeniorManagement, false, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"goods not delivered on time   37",
		"count:category=goods not delivered on time 37 -> 18",
		"specific: NOT met: scope is missing",
		"Approval refused: 4 findings not met.",
		"staff time in 2027-H1: needs 200 h, 160 h available (short by 40 h)",
		"all 7 findings met: true",
		"Stage: approved",
		// Measured from the start (4 January) only, the count scaled to
		// the 92-day baseline window.
		"Check-in 2027-02-15: count:category=goods not delivered on time 24.1 -> on track",
		"Check-in 2027-04-02: count:category=goods not delivered on time 21.95 -> on track",
		"count scaled by 2.190 from 42 to the baseline window's 92 days",
		"## Options considered",
		"| legal | L1 | met |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRunHTMLForStaff(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), t.TempDir(), strategy.Staff, true, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "<h2>Targets and how they are measured</h2>") || strings.Contains(got, "AUD") {
		t.Errorf("staff HTML proposal wrong:\n%s", got)
	}
}
