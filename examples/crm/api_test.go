package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/examples/internal/demo"
	"github.com/cxkit/cxkit/store/memory"
)

var t0 = time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)

// receiver is a webhook endpoint that records what it gets.
type receiver struct {
	mu     sync.Mutex
	events []Event
	secret string // when set, unsigned or badly signed posts are refused
	bad    int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if rc.secret != "" && r.Header.Get(SignatureHeader) != Sign([]byte(rc.secret), body) {
		rc.mu.Lock()
		rc.bad++
		rc.mu.Unlock()
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var e Event
	if err := json.Unmarshal(body, &e); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	rc.mu.Lock()
	rc.events = append(rc.events, e)
	rc.mu.Unlock()
}

func (rc *receiver) types() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var ts []string
	for _, e := range rc.events {
		ts = append(ts, e.Type+":"+e.To)
	}
	return ts
}

type env struct {
	t      *testing.T
	srv    *httptest.Server
	hook   *receiver
	events *Webhook
	clock  *demo.Clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, hook: &receiver{}, clock: demo.NewClock(t0)}
	hookSrv := httptest.NewServer(e.hook)
	t.Cleanup(hookSrv.Close)
	logger := log.New(io.Discard, "", 0)
	e.events = NewWebhook(hookSrv.URL, "", logger)
	loop, err := demo.Open(memory.New(), e.clock.Now, e.events)
	if err != nil {
		t.Fatal(err)
	}
	api := &API{Complaints: loop.Complaints, Feedback: loop.Feedback, Events: e.events, Now: e.clock.Now, Logger: logger}
	e.srv = httptest.NewServer(api.Routes())
	t.Cleanup(e.srv.Close)
	return e
}

// do sends a request and decodes the JSON answer into a map.
func (e *env) do(method, path, ifMatch, body string) (int, http.Header, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &m); err != nil {
			e.t.Fatalf("%s %s: %d, not JSON: %s", method, path, res.StatusCode, raw)
		}
	}
	return res.StatusCode, res.Header, m
}

const complaintBody = `{"channel":"phone","customer":{"ref":"crm-42","name":"Sam Lee"},"summary":"Parcel arrived a week late",
 "category":"delivery","made_by":"regular-customer","directed_at":{"kind":"team","name":"logistics"},"severity":"medium","by":"Maria"}`

func (e *env) logComplaint() string {
	e.t.Helper()
	code, h, m := e.do("POST", "/complaints", "", complaintBody)
	if code != 201 || h.Get("ETag") != `"1"` || m["id"] == "" || m["status"] != "received" {
		e.t.Fatalf("log: %d %v %v", code, h, m)
	}
	if h.Get("Location") != "/complaints/"+m["id"].(string) {
		e.t.Errorf("Location %q", h.Get("Location"))
	}
	return m["id"].(string)
}

func TestWholeWorkflowWithETags(t *testing.T) {
	e := newEnv(t)
	id := e.logComplaint()
	steps := []struct{ step, body, status string }{
		{"investigate", `{"by":"Alex"}`, "investigating"},
		{"acknowledge", `{"by":"Alex","owner":"Alex"}`, "acknowledged"},
		{"decide", `{"by":"Alex","remedy":{"kind":"apology","role":"agent"},"note":"said sorry"}`, "solution-decided"},
		{"notify", `{"by":"Alex","how":"phone"}`, "notified"},
		{"follow-up", `{"by":"Alex","satisfied":true}`, "followed-up"},
		{"close", `{"by":"Alex","outcome":"resolved"}`, "closed"},
	}
	etag := `"1"`
	for i, s := range steps {
		e.clock.Set(t0.Add(time.Duration(i+1) * time.Hour))
		code, h, m := e.do("POST", "/complaints/"+id+"/"+s.step, etag, s.body)
		if code != 200 || m["status"] != s.status {
			t.Fatalf("%s: %d %v", s.step, code, m)
		}
		if want := `"` + strings.Trim(etag, `"`) + `"`; h.Get("ETag") == want {
			t.Fatalf("%s: ETag did not change", s.step)
		}
		etag = h.Get("ETag")
	}
	code, h, m := e.do("GET", "/complaints/"+id, "", "")
	if code != 200 || h.Get("ETag") != etag || m["status"] != "closed" {
		t.Fatalf("get: %d %s %v", code, h.Get("ETag"), m["status"])
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/complaints/"+id, nil)
	req.Header.Set("If-None-Match", etag)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d", res.StatusCode)
	}

	// Every change reached the webhook, in order.
	want := []string{"complaint.logged:received", "complaint.transition:investigating", "complaint.transition:acknowledged",
		"complaint.transition:solution-decided", "complaint.remedy:", "complaint.transition:notified",
		"complaint.transition:followed-up", "complaint.transition:closed"}
	eventually(t, func() bool { return containsInOrder(e.hook.types(), want) }, func() string {
		return strings.Join(e.hook.types(), ", ")
	})
}

// containsInOrder reports whether want appears in got as a subsequence, so
// that an event the service adds later does not break the test.
func containsInOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func eventually(t *testing.T, ok func() bool, what func() string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not in time; have %s", what())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBadRequests(t *testing.T) {
	e := newEnv(t)
	id := e.logComplaint()
	tests := []struct {
		name, method, path, ifMatch, body string
		code                              int
		field                             string
	}{
		{"not JSON", "POST", "/complaints", "", `{"summary":`, 400, "body"},
		{"empty body", "POST", "/complaints", "", ``, 400, "body"},
		{"unknown field", "POST", "/complaints", "", `{"sumary":"x"}`, 400, "body"},
		{"two values", "POST", "/complaints", "", complaintBody + complaintBody, 400, "body"},
		{"bad severity", "POST", "/complaints", "", strings.Replace(complaintBody, `"medium"`, `"urgent"`, 1), 400, "complaint.severity"},
		{"no summary", "POST", "/complaints", "", strings.Replace(complaintBody, `"Parcel arrived a week late"`, `""`, 1), 400, "complaint.summary"},
		{"bad feedback channel", "POST", "/feedback", "", `{"channel":"pigeon","text":"hi","by":"x"}`, 400, "item.channel"},
		{"bad If-Match", "POST", "/complaints/" + id + "/investigate", `"abc"`, `{"by":"Alex"}`, 400, "If-Match"},
		{"follow-up without answer", "POST", "/complaints/" + id + "/follow-up", "", `{"by":"Alex"}`, 400, "satisfied"},
		{"decide without remedy", "POST", "/complaints/" + id + "/decide", "", `{"by":"Alex"}`, 400, "remedy"},
		{"bad amount", "POST", "/complaints/" + id + "/decide", "", `{"by":"Alex","remedy":{"kind":"refund","amount":"lots"}}`, 400, "remedy.amount"},
		{"bad month", "GET", "/summary?month=Nov", "", ``, 400, "month"},
		{"unknown complaint", "GET", "/complaints/01J00000000000000000000000", "", ``, 404, ""},
		{"unknown step", "POST", "/complaints/" + id + "/teleport", "", `{"by":"Alex"}`, 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, m := e.do(tc.method, tc.path, tc.ifMatch, tc.body)
			if code != tc.code {
				t.Fatalf("%d %v; want %d", code, m, tc.code)
			}
			if tc.field != "" && (m["field"] != tc.field || m["rule"] == "" || m["rule"] == nil) {
				t.Errorf("field %v rule %v; want field %q and a rule", m["field"], m["rule"], tc.field)
			}
		})
	}
	// None of that changed the complaint.
	if _, h, m := e.do("GET", "/complaints/"+id, "", ""); h.Get("ETag") != `"1"` || m["status"] != "received" {
		t.Errorf("complaint changed by bad requests: %s %v", h.Get("ETag"), m["status"])
	}
}

func TestStepRefusedOutOfOrder(t *testing.T) {
	e := newEnv(t)
	id := e.logComplaint()
	code, _, m := e.do("POST", "/complaints/"+id+"/close", "", `{"by":"Alex","outcome":"done"}`)
	if code != http.StatusConflict || m["state"] != "received" {
		t.Fatalf("close a new complaint: %d %v", code, m)
	}
	allowed, _ := m["allowed"].([]any)
	if !slices.Contains(allowed, any("investigate")) {
		t.Errorf("allowed %v lacks investigate", allowed)
	}
}

func TestRemedyBeyondAuthorityWaitsForApproval(t *testing.T) {
	e := newEnv(t)
	id := e.logComplaint()
	e.do("POST", "/complaints/"+id+"/investigate", "", `{"by":"Alex"}`)
	e.do("POST", "/complaints/"+id+"/acknowledge", "", `{"by":"Alex","owner":"Alex"}`)
	// An intern has no authority under the demo policy: the voucher is
	// recorded, pending approval.
	code, _, m := e.do("POST", "/complaints/"+id+"/decide", "", `{"by":"Pat","remedy":{"kind":"voucher","amount":"AUD 20.00","role":"intern"}}`)
	rem, _ := m["remedy"].(map[string]any)
	if code != 200 || rem["state"] != "pending" {
		t.Fatalf("voucher by an intern: %d %v", code, m["remedy"])
	}
	// The customer cannot be told until someone approves.
	if code, _, m := e.do("POST", "/complaints/"+id+"/notify", "", `{"by":"Pat","how":"email"}`); code != http.StatusConflict {
		t.Fatalf("notify with a pending remedy: %d %v", code, m)
	}
	// An agent's limit is AUD 50: not enough to approve a bigger amount
	// later, enough for this one.
	if code, _, m := e.do("POST", "/complaints/"+id+"/approve", "", `{"by":"Pat","role":"intern"}`); code != http.StatusForbidden {
		t.Fatalf("approval by an intern: %d %v", code, m)
	}
	code, _, m = e.do("POST", "/complaints/"+id+"/approve", "", `{"by":"Alex","role":"agent","note":"fine"}`)
	if rem, _ := m["remedy"].(map[string]any); code != 200 || rem["state"] != "approved" {
		t.Fatalf("approval by an agent: %d %v", code, m["remedy"])
	}
	if code, _, m := e.do("POST", "/complaints/"+id+"/notify", "", `{"by":"Alex","how":"email"}`); code != 200 {
		t.Fatalf("notify after approval: %d %v", code, m)
	}
}

func TestStaleIfMatch(t *testing.T) {
	e := newEnv(t)
	id := e.logComplaint()
	if code, _, _ := e.do("POST", "/complaints/"+id+"/investigate", `"1"`, `{"by":"Alex"}`); code != 200 {
		t.Fatal("first step failed")
	}
	// A second clerk still looking at version 1.
	code, _, m := e.do("POST", "/complaints/"+id+"/acknowledge", `"1"`, `{"by":"Bea","owner":"Bea"}`)
	if code != http.StatusPreconditionFailed {
		t.Fatalf("stale If-Match: %d %v", code, m)
	}
	if _, h, m := e.do("GET", "/complaints/"+id, "", ""); h.Get("ETag") != `"2"` || m["owner"] != nil && m["owner"] != "" {
		t.Errorf("stale write changed the complaint: %s owner %v", h.Get("ETag"), m["owner"])
	}
}

func TestConcurrentConflictingUpdates(t *testing.T) {
	e := newEnv(t)
	id := e.logComplaint()
	const clerks = 12
	codes := make([]int, clerks)
	var wg sync.WaitGroup
	for i := range clerks {
		wg.Go(func() {
			codes[i], _, _ = e.do("POST", "/complaints/"+id+"/investigate", `"1"`, `{"by":"clerk"}`)
		})
	}
	wg.Wait()
	won := 0
	for _, c := range codes {
		switch c {
		case 200:
			won++
		case http.StatusPreconditionFailed, http.StatusConflict:
		default:
			t.Errorf("unexpected status %d", c)
		}
	}
	if won != 1 {
		t.Fatalf("%d clerks won; want exactly 1 (codes %v)", won, codes)
	}
	_, h, m := e.do("GET", "/complaints/"+id, "", "")
	if h.Get("ETag") != `"2"` {
		t.Errorf("after the race the complaint is at %s; want \"2\"", h.Get("ETag"))
	}
	hist, _ := m["history"].([]any)
	n := 0
	for _, c := range hist {
		if strings.Contains(strings.ToLower(toJSON(c)), `"investigate"`) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("history records %d investigations; want 1", n)
	}
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestFeedbackAndHandOff(t *testing.T) {
	e := newEnv(t)
	code, h, m := e.do("POST", "/feedback", "", `{"channel":"email","customer_ref":"crm-7","text":"The courier was very late again","kind":"complaint","by":"inbox","hand_off":true}`)
	if code != 201 || h.Get("ETag") == "" {
		t.Fatalf("feedback: %d %v", code, m)
	}
	cat, _ := m["categorisation"].(map[string]any)
	if cat["category"] != "delivery" || m["owner"] != "logistics manager" {
		t.Errorf("categorised %v, owner %v", cat, m["owner"])
	}
	if code, _, got := e.do("GET", h.Get("Location"), "", ""); code != 200 || got["id"] != m["id"] {
		t.Errorf("GET %s: %d %v", h.Get("Location"), code, got["id"])
	}
	cid, _ := m["complaint_id"].(string)
	if cid == "" {
		t.Fatalf("not handed off: %v", m)
	}
	if code, _, c := e.do("GET", "/complaints/"+cid, "", ""); code != 200 || c["feedback_id"] != m["id"] {
		t.Errorf("complaint from feedback: %d %v", code, c["feedback_id"])
	}
	eventually(t, func() bool {
		return slices.Contains(e.hook.types(), "feedback.received:") && slices.Contains(e.hook.types(), "complaint.logged:received")
	}, func() string { return strings.Join(e.hook.types(), ", ") })
}

func TestMonthlySummary(t *testing.T) {
	e := newEnv(t)
	e.logComplaint()
	e.logComplaint()
	e.do("POST", "/feedback", "", `{"channel":"phone","text":"Lovely helpful staff","by":"desk"}`)
	code, _, m := e.do("GET", "/summary?month=2026-11", "", "")
	if code != 200 {
		t.Fatalf("summary: %d %v", code, m)
	}
	c := m["complaints"].(map[string]any)
	f := m["feedback"].(map[string]any)
	if c["total"] != 2.0 || f["total"] != 1.0 || m["month"] != "2026-11" {
		t.Errorf("summary %v", m)
	}
	// Nothing resolved yet: undefined, so null rather than a made-up 0.
	if v, ok := c["median_resolution_hours"]; !ok || v != nil {
		t.Errorf("median_resolution_hours = %v (present %v); want null", v, ok)
	}
	if code, _, m := e.do("GET", "/summary?month=2026-10", "", ""); code != 200 || m["complaints"].(map[string]any)["total"] != 0.0 {
		t.Errorf("October: %d %v", code, m)
	}
}

func TestRunServesAndShutsDown(t *testing.T) {
	hook := &receiver{secret: "s3cret"}
	hookSrv := httptest.NewServer(hook)
	defer hookSrv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-data", t.TempDir(), "-addr", "127.0.0.1:0", "-webhook", hookSrv.URL, "-webhook-secret", "s3cret", "-sweep", "20ms"}, pw, nil)
		pw.Close()
	}()
	var seen string
	url := regexp.MustCompile(`http://[0-9.:]+/`)
	buf := make([]byte, 4096)
	for !url.MatchString(seen) {
		n, err := pr.Read(buf)
		if err != nil {
			t.Fatalf("output ended before a URL: %q", seen)
		}
		seen += string(buf[:n])
	}
	var rest bytes.Buffer
	copied := make(chan struct{})
	go func() { io.Copy(&rest, pr); close(copied) }()
	base := strings.TrimSuffix(url.FindString(seen), "/")
	res, err := http.Post(base+"/complaints", "application/json", strings.NewReader(complaintBody))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("log through run: %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful shutdown")
	}
	<-copied
	// Shutdown waited for the queued event.
	if !slices.Contains(hook.types(), "complaint.logged:received") {
		t.Errorf("event not delivered before shutdown returned: %v", hook.types())
	}
	if hook.bad != 0 {
		t.Errorf("%d posts with a bad signature", hook.bad)
	}
	if !strings.Contains(rest.String(), "shutting down") {
		t.Errorf("output: %s", rest.String())
	}
}

func TestWebhookSignsAndRetries(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	rc := &receiver{secret: "k"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 { // the receiver is briefly down
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		rc.ServeHTTP(w, r)
	}))
	defer srv.Close()
	wh := NewWebhook(srv.URL, "k", nil)
	wh.Send(Event{Type: "feedback.received", FeedbackID: "f1"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := wh.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if got := rc.types(); len(got) != 1 || rc.bad != 0 || calls != 2 {
		t.Fatalf("delivered %v after %d calls, %d badly signed", got, calls, rc.bad)
	}
	wh.Send(Event{Type: "after close"}) // dropped, and no panic
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"extra"}} {
		if err := run(context.Background(), args, io.Discard, nil); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}
