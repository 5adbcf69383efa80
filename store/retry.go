package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	list, err := json.Marshal(reqs)
	if err != nil {
		return body
	}
	out := make([]byte, 0, len(requestsKey)+len(list)+len(body)+1)
	out = append(out, requestsKey...)
	out = append(out, list...)
	rest := bytes.TrimLeft(body[1:], " \t\r\n")
	if len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...)
}

// requestsOf returns the request IDs recorded in body, if any.
func requestsOf(body []byte) []string {
	if !bytes.HasPrefix(body, []byte(requestsKey)) {
		return nil
	}
	var reqs []string
	if err := json.NewDecoder(bytes.NewReader(body[len(requestsKey):])).Decode(&reqs); err != nil {
		return nil
	}
	return reqs
}
