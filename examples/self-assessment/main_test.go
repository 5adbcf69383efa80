package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunTwiceOnOneDirectory(t *testing.T) {
	dir := t.TempDir()
	var first, second bytes.Buffer
	if err := run(context.Background(), &first, dir, 7); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"5 participants answered", "1. Leadership and customer service", "2. Policy and standards",
		"Three things we do well:", "Three things to do better:", "Actions:", "is closed."} {
		if !strings.Contains(first.String(), want) {
			t.Errorf("first run lacks %q", want)
		}
	}
	if !strings.Contains(first.String(), "picks still without an action: 0") {
		t.Error("first run leaves a \"do better\" pick without an action")
	}
	if n := strings.Count(first.String(), "puts it on the agenda"); n != 6 {
		t.Errorf("first run lists %d actions, want 6 (three per factor)", n)
	}
	if strings.Contains(first.String(), "Compared with") {
		t.Error("first run compared with nothing")
	}
	if err := run(context.Background(), &second, dir, 9); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(second.String(), "changes larger than noise:") {
		t.Error("second run does not say which changes are larger than noise")
	}
	if !strings.Contains(second.String(), "Compared with") || strings.Count(second.String(), "action on ") != 6 {
		t.Errorf("second run does not compare with the first:\n%s", second.String())
	}
}
