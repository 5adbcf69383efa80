package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

func TestRequestsInBody(t *testing.T) {
	for _, body := range []string{`{}`, `{"a":1}`, "{ \n\"a\":[1,2]}", `{"_cxkit_requests":["old"],"a":1}`} {
		var reqs []string
		b := []byte(body)
		for i := range maxRequests + 3 {
			reqs = append(requestsOf(b), fmt.Sprint("r", i))
			b = withRequests(b, reqs)
			if !json.Valid(b) {
				t.Fatalf("%s with requests: %s is not JSON", body, b)
			}
		}
		got := requestsOf(b)
		if len(got) != maxRequests || got[len(got)-1] != fmt.Sprint("r", maxRequests+2) {
			t.Errorf("%s: requests %q; want the last %d, ending with r%d", body, got, maxRequests, maxRequests+2)
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
	if !slices.Equal(requestsOf([]byte(`{"_cxkit_requests":["x"]}`)), []string{"x"}) {
		t.Error("requests of a body holding only them")
	}
}
