package postgres

import (
	"encoding/json"
	"maps"
	"testing"
)

// TestAppendAttrsJSON: the hand-written encoder gives JSON that decodes to
// the same map, for values that need escaping too.
func TestAppendAttrsJSON(t *testing.T) {
	for _, a := range []map[string]string{
		nil,
		{},
		{"a": "1"},
		{"q": `"`, "b": `\`, "c": "\x00\x01\x1f\x7f", "n": "\n\r\t", "u": "é✓😀\u2028", "h": "<&>"},
		{"bad": "\xff\xfe utf-8"},
	} {
		var got map[string]string
		if err := json.Unmarshal(appendAttrsJSON(nil, a), &got); err != nil {
			t.Fatalf("%q: %v", a, err)
		}
		want := a
		if a["bad"] != "" {
			want = map[string]string{"bad": "\ufffd\ufffd utf-8"} // as encoding/json does
		}
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !maps.Equal(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}
