package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

func TestRequestsInBody(t *testing.T) {
	for _, body := range []string{`{}`, `{"a":1}`, "{ \n\"a\":[1,2]}", `{"_cxkit_requests":["0ld"],"a":1}`} {
		var reqs []string
		b := []byte(body)
		for i := range maxRequests + 3 {
			reqs = append(requestsOf(b), fmt.Sprintf("%x", 0xa0+i))
			b = withRequests(b, reqs)
			if !json.Valid(b) {
				t.Fatalf("%s with requests: %s is not JSON", body, b)
			}
		}
		got := requestsOf(b)
		if len(got) != maxRequests || got[len(got)-1] != fmt.Sprintf("%x", 0xa0+maxRequests+2) {
			t.Errorf("%s: requests %q; want the last %d, ending with %x", body, got, maxRequests, 0xa0+maxRequests+2)
		}
		var v struct{ A any }
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("%s: the value no longer decodes: %v", body, err)
		}
	}
	if got := withRequests([]byte(`[1]`), []string{"r"}); string(got) != `[1]` {
		t.Errorf("a body that is not an object changed: %s", got)
	}
	if got := requestsOf([]byte(`{"a":1}`)); got != nil {
		t.Errorf("requests of a plain body: %q", got)
	}
	if !slices.Equal(requestsOf([]byte(`{"_cxkit_requests":["ab"]}`)), []string{"ab"}) {
		t.Error("requests of a body holding only them")
	}
	for _, bad := range []string{`{"_cxkit_requests":["x"]}`, `{"_cxkit_requests":["ab"`, `{"_cxkit_requests":["ab" "cd"]}`, `{"_cxkit_requests":[1]}`} {
		if got := requestsOf([]byte(bad)); got != nil {
			t.Errorf("requests of %s: %q; want none", bad, got)
		}
	}
}

// FuzzRequests: whatever a stored body holds, reading its request IDs
// never panics, and recording IDs in a JSON object keeps it a JSON object
// whose IDs read back.
func FuzzRequests(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"_cxkit_requests":["ab"],"a":1}`, `{"_cxkit_requests":["ab"`, `[1]`, ``, `{ }`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		prev := requestsOf(body)
		if !json.Valid(body) || len(body) == 0 || body[0] != '{' {
			return
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) != nil {
			return
		}
		if _, ok := obj["_cxkit_requests"]; ok && prev == nil {
			return // an object that names the key itself, in another shape
		}
		want := append(slices.Clone(prev), "0123456789abcdef")
		out := withRequests(body, want)
		if !json.Valid(out) {
			t.Fatalf("withRequests(%q) = %q, not JSON", body, out)
		}
		if got := requestsOf(out); !slices.Equal(got, want[max(0, len(want)-maxRequests):]) {
			t.Fatalf("requests of %q = %q; want %q", out, got, want)
		}
	})
}
