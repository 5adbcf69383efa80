package postgres

import (
	"encoding/json"
	"maps"
	"testing"
)

// FuzzDecodeAttrs: the fast path agrees with encoding/json on every input
// (same map, or both fail), and never returns an empty non-nil map.
func FuzzDecodeAttrs(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a": "1"}`, `{"org": "acme", "open": "1", "received": "2020-01-01T00:00:00.000000000Z"}`,
		`{"a": "x\"y"}`, `{"a": 1}`, `{"a": "1", "a": "2"}`, `{"a": "1",}`, ` { "é" : "ü" } `, `{"a": "1"} x`, `[]`, `null`, `{"a":"\u0041"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeAttrs(b)
		var want map[string]string
		werr := json.Unmarshal(b, &want)
		if (err != nil) != (werr != nil) {
			t.Fatalf("decodeAttrs(%q) error %v, encoding/json %v", b, err, werr)
		}
		if err != nil {
			return
		}
		if len(want) == 0 {
			want = nil
		}
		if got != nil && len(got) == 0 {
			t.Fatalf("decodeAttrs(%q) = empty non-nil map", b)
		}
		if !maps.Equal(got, want) {
			t.Fatalf("decodeAttrs(%q) = %v, encoding/json %v", b, got, want)
		}
	})
}
