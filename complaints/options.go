package complaints

import (
	"io"
	"log/slog"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/service"
)

// An Option sets how the program runs the service (as opposed to Config,
// what the organisation decides).
type Option func(*options)

type options struct {
	service.Settings
}

// WithClock makes the service, and every store layer beneath it, read the
// time from now instead of time.Now.
func WithClock(now func() time.Time) Option { return func(o *options) { o.Now = now } }

// WithLogger sets where the service logs what it cannot return, such as an
// event handler that failed; the default is slog.Default().
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.Logger = l } }

// WithRetryAttempts sets how many times a change is tried when another
// writer changed the same record first (default store.DefaultRetryAttempts).
// A change made conditional on a version never retries.
func WithRetryAttempts(n int) Option { return func(o *options) { o.RetryAttempts = n } }

// WithEntropy sets the source of randomness for new record IDs, for
// reproducible IDs in tests; the default is the store's.
func WithEntropy(r io.Reader) Option { return func(o *options) { o.Entropy = r } }

// WithEventHandler adds a handler that receives every event after the
// change is stored. It may be given several times; handlers are called in
// that order, and one that fails or panics is logged and does not undo the
// change or stop the others.
func WithEventHandler(h cxkit.EventHandler) Option {
	return func(o *options) { o.Handlers = append(o.Handlers, h) }
}
