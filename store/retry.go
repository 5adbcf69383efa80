package store

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// retry runs call until it succeeds, fails for another reason than an
// unavailable store (or, for a read, an unknown outcome), or has been
// tried the collection's retry attempts, pausing between tries.
func (c *Collection[T]) retry(ctx context.Context, read bool, call func() error) error {
	var err error
	for i := range c.attempts {
		if i > 0 {
			if err := pause(ctx, i); err != nil {
				return err
			}
		}
		err = call()
		if !errors.Is(err, ErrUnavailable) && !(read && errors.Is(err, ErrOutcomeUnknown)) {
			return err
		}
	}
	return err
}

// Pauses between tries grow from firstPause, doubling, up to maxPause, each
// drawn at random from its upper half so that writers who failed together
// do not come back together.
const (
	firstPause = 5 * time.Millisecond
	maxPause   = time.Second
)

// pause waits before try i (1 for the second try), or returns the context's
// error when it ends first.
func pause(ctx context.Context, i int) error {
	d := min(firstPause<<min(i-1, 20), maxPause)
	d = d/2 + rand.N(d/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// Mutate leaves its request ID in the body, as the first member of the
// JSON object under requestsKey, beside the value's fields: decoding the
// value ignores it, and reading it back needs only the body's first bytes.
const (
	requestsKey = `{"_cxkit_requests":`
	maxRequests = 8
)

// withRequests returns body, a JSON object, with reqs (the last
// maxRequests of them) recorded in it. A body that is not an object is
// returned as it is: its mutations cannot be told apart after an unknown
// outcome, and are then reported as unknown.
func withRequests(body []byte, reqs []string) []byte {
	if len(body) < 2 || body[0] != '{' {
		return body
	}
	if len(reqs) > maxRequests {
		reqs = reqs[len(reqs)-maxRequests:]
	}
	n := len(requestsKey) + 2 + len(body)
	for _, r := range reqs {
		n += len(r) + 3
	}
	out := make([]byte, 0, n)
	out = append(out, requestsKey...)
	out = append(out, '[')
	for i, r := range reqs {
		if i > 0 {
			out = append(out, ',')
		}
		// Request IDs are hex (newRequestID), so they need no escaping.
		out = append(out, '"')
		out = append(out, r...)
		out = append(out, '"')
	}
	out = append(out, ']')
	rest := bytes.TrimLeft(body[1:], " \t\r\n")
	if len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...)
}

// newRequestID returns 64 random bits in hex: enough to tell apart the
// few mutations whose IDs a record keeps. It does not draw on the
// collection's entropy, which WithEntropy may fix for reproducible record
// IDs that an extra draw would shift.
func newRequestID() (string, error) {
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		return "", fmt.Errorf("request ID: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// requestsOf returns the request IDs recorded in body, if any: a list of
// hex strings right after requestsKey. Anything else there reads as none.
func requestsOf(body []byte) []string {
	rest, ok := bytes.CutPrefix(body, []byte(requestsKey+"["))
	if !ok {
		return nil
	}
	reqs := make([]string, 0, maxRequests+1)
	for len(rest) > 0 && rest[0] != ']' {
		if len(reqs) > 0 {
			if rest[0] != ',' {
				return nil
			}
			rest = rest[1:]
		}
		if len(rest) == 0 || rest[0] != '"' {
			return nil
		}
		end := bytes.IndexByte(rest[1:], '"')
		if end < 0 || !isHex(rest[1:1+end]) {
			return nil
		}
		reqs = append(reqs, string(rest[1:1+end]))
		rest = rest[end+2:]
	}
	if len(rest) == 0 {
		return nil // no closing bracket
	}
	return reqs
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return len(b) > 0
}
