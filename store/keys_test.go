package store_test

import (
	"cmp"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// intKeySeeds are the edges of int64 and of the hex digits.
var intKeySeeds = []int64{math.MinInt64, math.MinInt64 + 1, -1 << 32, -256, -16, -15, -1, 0, 1, 15, 16, 255, 256, 1 << 32, math.MaxInt64 - 1, math.MaxInt64}

// FuzzIntKey checks the two properties ranges rely on: byte order of keys
// is numeric order, and a key decodes to its number.
func FuzzIntKey(f *testing.F) {
	for _, a := range intKeySeeds {
		for _, b := range intKeySeeds {
			f.Add(a, b)
		}
	}
	f.Fuzz(func(t *testing.T, a, b int64) {
		ka, kb := store.IntKey(a), store.IntKey(b)
		if len(ka) != 16 {
			t.Fatalf("IntKey(%d) = %q: not 16 bytes", a, ka)
		}
		if got, want := strings.Compare(ka, kb), cmp.Compare(a, b); got != want {
			t.Fatalf("IntKey(%d) = %q vs IntKey(%d) = %q: compare %d; want %d", a, ka, b, kb, got, want)
		}
		if n, err := store.ParseIntKey(ka); err != nil || n != a {
			t.Fatalf("ParseIntKey(%q) = %d, %v; want %d", ka, n, err, a)
		}
	})
}

// FuzzTimeKey checks the same for times, over the years TimeKey promises.
func FuzzTimeKey(f *testing.F) {
	lo := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	hi := time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC).UnixMicro()
	for _, s := range []int64{lo, hi, 0, -1, 1, 1e15, -1e15} {
		f.Add(s, int64(1))
	}
	f.Fuzz(func(t *testing.T, a, b int64) {
		// Fold any int64 into the supported range.
		span := uint64(hi - lo + 1)
		a = lo + int64(uint64(a)%span)
		b = lo + int64(uint64(b)%span)
		ta, tb := time.UnixMicro(a), time.UnixMicro(b).In(time.FixedZone("x", -7*3600))
		ka, kb := store.TimeKey(ta), store.TimeKey(tb)
		if got, want := strings.Compare(ka, kb), cmp.Compare(a, b); got != want {
			t.Fatalf("TimeKey %s = %q vs %s = %q: compare %d; want %d", ta, ka, tb, kb, got, want)
		}
		if got, err := store.ParseTimeKey(kb); err != nil || !got.Equal(tb) {
			t.Fatalf("ParseTimeKey(%q) = %v, %v; want %v", kb, got, err, tb)
		}
	})
}

func TestTimeKeyTruncates(t *testing.T) {
	a := time.Date(2024, 1, 1, 0, 0, 0, 1999, time.UTC)
	if got := store.TimeKey(a); got != "2024-01-01T00:00:00.000001Z" {
		t.Fatalf("TimeKey = %q", got)
	}
}

func TestParseKeysReject(t *testing.T) {
	for _, s := range []string{"", "123", "800000000000000g", "-800000000000000", "+800000000000000", "80000000000000000", "8000000000000000 ", "800000000000000A", "800000000000000Ab"} {
		if _, err := store.ParseIntKey(s); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("ParseIntKey(%q): %v; want ErrInvalid", s, err)
		}
	}
	for _, s := range []string{"", "2024-01-01", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.000Z", "2024-13-01T00:00:00.000000Z"} {
		if _, err := store.ParseTimeKey(s); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("ParseTimeKey(%q): %v; want ErrInvalid", s, err)
		}
	}
}
