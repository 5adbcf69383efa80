package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	key := bytes.Repeat([]byte{3}, 32)
	if err := run(context.Background(), t.TempDir(), key, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		`billing note read back: "customer's card ending 4242 was charged twice"`,
		"count topic=billing: 2",
		"count topic=delivery: 1",
		"on disk: body text found=false, attribute value found=true",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestLoadKey(t *testing.T) {
	var out bytes.Buffer
	k, err := loadKey("", &out)
	if err != nil || len(k) != 32 || !strings.Contains(out.String(), "throwaway") {
		t.Fatalf("no key: %d bytes, %v, %q", len(k), err, out.String())
	}
	if _, err := loadKey("abcd", &out); err == nil {
		t.Fatal("short key accepted")
	}
	if k, err := loadKey(strings.Repeat("ab", 32), &out); err != nil || k[0] != 0xab {
		t.Fatalf("good key: %v", err)
	}
}
