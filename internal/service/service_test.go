package service

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

func TestEmit(t *testing.T) {
	var logs bytes.Buffer
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	var got []cxkit.Event
	s := Settings{
		Now:    func() time.Time { return at },
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Handlers: []cxkit.EventHandler{
			cxkit.EventHandlerFunc(func(ctx context.Context, e cxkit.Event) error { return errors.New("mail server down") }),
			cxkit.EventHandlerFunc(func(ctx context.Context, e cxkit.Event) error { panic("bad handler") }),
			cxkit.EventHandlerFunc(func(ctx context.Context, e cxkit.Event) error { got = append(got, e); return nil }),
		},
	}
	s.Defaults()
	s.Emit(context.Background(), cxkit.Event{Type: "complaint.logged", Subject: "c1"}, cxkit.Event{Type: "complaint.closed", Subject: "c1"})
	if len(got) != 2 {
		t.Fatalf("last handler got %d events, want 2 despite the failing ones", len(got))
	}
	if got[0].ID == "" || got[0].ID == got[1].ID || !got[0].At.Equal(at) {
		t.Fatalf("events not stamped: %+v", got)
	}
	if !strings.Contains(logs.String(), "mail server down") || !strings.Contains(logs.String(), "bad handler") {
		t.Fatalf("failures not logged:\n%s", logs.String())
	}
}

func TestDefaults(t *testing.T) {
	var s Settings
	s.Defaults()
	if s.Now == nil || s.Logger == nil || s.RetryAttempts < 1 {
		t.Fatalf("defaults not filled: %+v", s)
	}
	if n := len(s.CollectionOptions()); n != 2 {
		t.Fatalf("%d collection options without entropy, want 2", n)
	}
}
