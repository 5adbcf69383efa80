package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestRun runs the whole story on a fresh file store and checks the points
// it is there to show.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), t.TempDir(), &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"complaint  food          rule   Chef Marco               I ordered room service",
		"compliment housekeeping  rule   Front-desk manager Sam   Fresh towels",
		`From the uncategorised queue: "xkcd plugh" -> front-desk`,
		"food                12  (April 4, +8)",
		"ALERT: Feedback about food rose to 57% of all feedback (12 items)",
		"2026-summer: NPS +42",
		"at 95% confidence this is a real change",
		"at 99% confidence this could be chance",
		"send 876 invitations",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(s)
	}
}
