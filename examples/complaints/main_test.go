package main

import (
	"context"
	"testing"
)

// The story runs to the end on a fresh file store.
func TestStory(t *testing.T) {
	if err := run(context.Background(), t.TempDir()); err != nil {
		t.Fatal(err)
	}
}
