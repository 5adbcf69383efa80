package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Attributes are strings compared byte by byte, so ranges over times and
// numbers need encodings whose byte order is their natural order. These are
// those encodings; every driver sees only the strings.

// timeKeyLayout is fixed-width so that byte order is time order.
const timeKeyLayout = "2006-01-02T15:04:05.000000Z"

// TimeKey encodes t (in UTC, to the microsecond) so that byte order is time
// order, for years 0000 to 9999.
func TimeKey(t time.Time) string { return t.UTC().Format(timeKeyLayout) }

// ParseTimeKey decodes a TimeKey.
func ParseTimeKey(s string) (time.Time, error) {
	t, err := time.Parse(timeKeyLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: time key %q: %v", ErrInvalid, s, err)
	}
	return t, nil
}

// IntKey encodes n as 16 hex digits with the sign bit flipped, so that byte
// order is numeric order across negative and positive numbers.
func IntKey(n int64) string {
	const hex = "0123456789abcdef"
	u := uint64(n) ^ (1 << 63)
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = hex[u&0xf]
		u >>= 4
	}
	return string(b[:])
}

// ParseIntKey decodes an IntKey.
func ParseIntKey(s string) (int64, error) {
	// Only the canonical form: an upper-case digit would parse to the same
	// number but sort elsewhere, which is exactly what keys must not do.
	if len(s) != 16 || strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') }) >= 0 {
		return 0, fmt.Errorf("%w: int key %q: must be 16 lower-case hex digits", ErrInvalid, s)
	}
	u, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: int key %q: %v", ErrInvalid, s, err)
	}
	return int64(u ^ (1 << 63)), nil
}
