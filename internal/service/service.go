// Package service holds what every domain service of cxkit shares at run
// time: the common options (clock, logger, retry attempts, ID entropy,
// event handlers) and the delivery of events to the host.
package service

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/oklog/ulid/v2"
)

// Settings are the options every domain package offers, under the same
// names: WithClock, WithLogger, WithRetryAttempts, WithEntropy and
// WithEventHandler. A package embeds Settings in its own options struct.
type Settings struct {
	Now           func() time.Time
	Logger        *slog.Logger
	RetryAttempts int
	Entropy       io.Reader
	Handlers      []cxkit.EventHandler
}

// Defaults fills what the caller left unset: time.Now, slog.Default(),
// store.DefaultRetryAttempts.
func (s *Settings) Defaults() {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.RetryAttempts < 1 {
		s.RetryAttempts = store.DefaultRetryAttempts
	}
}

// CollectionOptions passes the clock, the retry attempts and the entropy
// down to a store.Collection, so that every layer reads one clock.
func (s *Settings) CollectionOptions() []store.CollectionOption {
	opts := []store.CollectionOption{store.WithClock(s.Now), store.WithRetryAttempts(s.RetryAttempts)}
	if s.Entropy != nil {
		opts = append(opts, store.WithEntropy(s.Entropy))
	}
	return opts
}

// Emit gives each event an ID and a time (when unset) and delivers it to
// every handler in order. A handler's error is logged and does not stop the
// others: the change the event reports is already stored.
func (s *Settings) Emit(ctx context.Context, events ...cxkit.Event) {
	if len(s.Handlers) == 0 {
		return
	}
	for _, e := range events {
		if e.At.IsZero() {
			e.At = s.Now().UTC()
		}
		if e.ID == "" {
			e.ID = ulid.MustNew(ulid.Timestamp(e.At), ulid.DefaultEntropy()).String()
		}
		for _, h := range s.Handlers {
			if err := deliver(ctx, h, e); err != nil {
				s.Logger.WarnContext(ctx, "event delivery failed", "type", string(e.Type), "subject", e.Subject, "err", err)
			}
		}
	}
}

// deliver turns a handler's panic into an error, so one bad handler cannot
// take down the step that already stored its change.
func deliver(ctx context.Context, h cxkit.EventHandler, e cxkit.Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r}
		}
	}()
	return h.HandleEvent(ctx, e)
}

type panicError struct{ value any }

func (p *panicError) Error() string { return "event handler panicked: " + slogValue(p.value) }

func slogValue(v any) string { return slog.AnyValue(v).String() }
