package store

import (
	"crypto/rand"
	"io"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// idSource makes ULIDs that increase strictly within one source, also when
// many arrive in one millisecond, so that one Collection's IDs sort in the
// order it created them. Safe for concurrent use.
type idSource struct {
	mu      sync.Mutex
	entropy *ulid.MonotonicEntropy
	lastMS  uint64
}

func newIDSource(r io.Reader) *idSource {
	if r == nil {
		r = rand.Reader
	}
	return &idSource{entropy: ulid.Monotonic(r, 0)}
}

func (s *idSource) next(now time.Time) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// A clock that steps back must not make IDs go back.
	ms := max(ulid.Timestamp(now), s.lastMS)
	s.lastMS = ms
	id, err := ulid.New(ms, s.entropy)
	if err != nil {
		return "", err
	}
	return id.String(), nil
}
