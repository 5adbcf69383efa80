package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/cxkit/cxkit"
)

// An Event is what the webhook posts: one JSON object per change.
type Event struct {
	// Type is a complaints event type ("complaint.logged") or "feedback.received".
	Type        string    `json:"type"`
	At          time.Time `json:"at"`
	By          string    `json:"by,omitempty"`
	ComplaintID string    `json:"complaint_id,omitempty"`
	FeedbackID  string    `json:"feedback_id,omitempty"`
	Step        string    `json:"step,omitempty"`
	From        string    `json:"from,omitempty"`
	To          string    `json:"to,omitempty"`
	Category    string    `json:"category,omitempty"`
	Note        string    `json:"note,omitempty"`
}

// Webhook delivers events to a URL by HTTP POST, in the background and in
// order, so that a slow receiver never slows the request that caused the
// event. Delivery is at most once per attempt with a few retries: a
// receiver that must not miss anything should also poll the API.
type Webhook struct {
	url    string
	secret []byte
	client *http.Client
	logger *log.Logger
	queue  chan Event
	done   chan struct{}
	once   sync.Once
	mu     sync.RWMutex // guards closed against sends racing Close
	closed bool
}

// SignatureHeader carries the HMAC-SHA256 of the body under the shared
// secret, as "sha256=<hex>", so the receiver can tell our posts from
// anyone else's.
const SignatureHeader = "X-Cxkit-Signature"

// NewWebhook starts a webhook posting to url, signing each body with secret
// when it is not empty. With an empty url events are dropped, which lets
// the service run without a receiver.
func NewWebhook(url, secret string, logger *log.Logger) *Webhook {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	w := &Webhook{url: url, secret: []byte(secret), client: &http.Client{Timeout: 5 * time.Second}, logger: logger,
		queue: make(chan Event, 1024), done: make(chan struct{})}
	go w.deliver()
	return w
}

// HandleEvent implements cxkit.EventHandler: it queues the event and
// returns, because the complaints service calls handlers after the change
// is stored, on the caller's goroutine.
func (w *Webhook) HandleEvent(_ context.Context, e cxkit.Event) error {
	w.Send(Event{Type: string(e.Type), At: e.At, By: e.By, ComplaintID: e.Subject,
		Step: e.Attrs["step"], From: e.From, To: e.To, Note: e.Note})
	return nil
}

// Send queues e for delivery. When the queue is full (the receiver is down
// for long) the event is dropped and logged rather than blocking requests.
func (w *Webhook) Send(e Event) {
	if w.url == "" {
		return
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return
	}
	select {
	case w.queue <- e:
	default:
		w.logger.Printf("webhook: queue full, dropped %s event", e.Type)
	}
}

func (w *Webhook) deliver() {
	defer close(w.done)
	for e := range w.queue {
		body, err := json.Marshal(e)
		if err != nil {
			w.logger.Printf("webhook: encoding %s: %v", e.Type, err)
			continue
		}
		for attempt := 1; ; attempt++ {
			err = w.post(body)
			if err == nil || attempt == 3 {
				break
			}
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		if err != nil {
			w.logger.Printf("webhook: giving up on %s event: %v", e.Type, err)
		}
	}
}

// Sign returns the signature header value of body under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func (w *Webhook) post(body []byte) error {
	req, err := http.NewRequest(http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if len(w.secret) > 0 {
		req.Header.Set(SignatureHeader, Sign(w.secret, body))
	}
	res, err := w.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode >= 300 {
		return fmt.Errorf("receiver answered %s", res.Status)
	}
	return nil
}

// Close stops taking events and waits, until ctx ends, for the queued ones
// to be delivered: part of a graceful shutdown.
func (w *Webhook) Close(ctx context.Context) error {
	w.once.Do(func() {
		w.mu.Lock()
		w.closed = true
		close(w.queue)
		w.mu.Unlock()
	})
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("webhook: %d events not delivered: %w", len(w.queue), ctx.Err())
	}
}
