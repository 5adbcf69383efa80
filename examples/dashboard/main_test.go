package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/examples/dashboard/chart"
	"github.com/cxkit/cxkit/examples/internal/demo"
	"github.com/cxkit/cxkit/store/file"
)

// now is a fixed clock: late in November 2026.
var now = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return now }

// demoReport builds the report the -demo flag shows, once per test binary.
var demoReport = sync.OnceValues(func() (Report, error) {
	cfg := config{demo: true, survey: demo.Survey, team: demo.Team}
	d, _, err := openStore(context.Background(), cfg, fixedNow)
	if err != nil {
		return Report{}, err
	}
	defer d.Close()
	l, err := demo.Open(d, fixedNow)
	if err != nil {
		return Report{}, err
	}
	p := MonthOf(now)
	return Collect(context.Background(), Sources{Org: demo.OrgName, Complaints: l.Complaints, Feedback: l.Feedback, Strategies: l.Strategies,
		Assessments: l.Assessments, Survey: demo.Survey, NPSQuestion: demo.NPSQuestion, CSATQuestion: demo.CSATQuestion,
		Waves: monthsBefore(p, 6), Team: demo.Team}, p, now)
})

func TestCollectDemo(t *testing.T) {
	r, err := demoReport()
	if err != nil {
		t.Fatal(err)
	}
	if r.Period.Label() != "November 2026" {
		t.Errorf("period %s", r.Period.Label())
	}
	if len(r.Pareto) < 3 {
		t.Errorf("pareto has %d categories", len(r.Pareto))
	}
	if len(r.Weeks) != 8 || len(r.Complaints) != 8 || len(r.Feedback) != 8 {
		t.Errorf("weekly: %d weeks, %d, %d", len(r.Weeks), len(r.Complaints), len(r.Feedback))
	}
	if r.Weeks[7] != "16 Nov" {
		t.Errorf("last week starts %s; want 16 Nov (the Monday of the week of now)", r.Weeks[7])
	}
	// Three monthly waves: September, October, November.
	if len(r.NPS) != 3 || len(r.CSAT) != 3 || r.NPS[0].Label != "2026-09" {
		t.Errorf("waves: NPS %v CSAT %v", r.NPS, r.CSAT)
	}
	for _, e := range append(r.NPS, r.CSAT...) {
		if !(e.Low <= e.Value && e.Value <= e.High) || e.N == 0 {
			t.Errorf("estimate %+v: value outside its interval or no responses", e)
		}
	}
	if len(r.Strategies) != 2 {
		t.Errorf("%d strategies", len(r.Strategies))
	}
	if len(r.Factors) != 10 || r.FactorScale != (Scale{1, 5, 3}) {
		t.Errorf("%d factors on %+v", len(r.Factors), r.FactorScale)
	}
	if len(r.Notes) != 0 {
		t.Errorf("notes on a full demo: %q", r.Notes)
	}
}

func TestCollectEmptyStoreGivesNotes(t *testing.T) {
	d, err := file.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	l, err := demo.Open(d, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Collect(context.Background(), Sources{Org: "Empty", Complaints: l.Complaints, Feedback: l.Feedback, Strategies: l.Strategies,
		Assessments: l.Assessments, Survey: demo.Survey, NPSQuestion: demo.NPSQuestion, CSATQuestion: demo.CSATQuestion,
		Waves: []string{"2026-11"}, Team: demo.Team}, MonthOf(now), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Notes) != 4 {
		t.Errorf("notes %q; want one each for complaints, survey, strategies, assessment", r.Notes)
	}
	var page bytes.Buffer
	if err := Render(&page, r); err != nil {
		t.Fatal(err)
	}
	// The weekly chart still draws its weeks, at zero; the others say
	// they have no data.
	if n := strings.Count(page.String(), `class="empty"`); n != 5 {
		t.Errorf("%d empty charts; want 5", n)
	}
}

func TestRenderIsSelfContained(t *testing.T) {
	r, err := demoReport()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Render(&b, r); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, "<script") || regexp.MustCompile(`(src|href)="(https?:)?//`).MatchString(page) {
		t.Error("page has a script or loads something from elsewhere")
	}
	if n := strings.Count(page, "<svg "); n != 6 {
		t.Errorf("%d charts; want 6", n)
	}
	for _, want := range []string{"Harbourside Appliances: customer service, November 2026", "complaints received", "NPS, wave 2026-11"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestRenderEscapes(t *testing.T) {
	var b bytes.Buffer
	r := Report{Org: `<b>Evil</b>`, Period: MonthOf(now), Figures: []Figure{{Label: "<i>x</i>", Value: "1"}}, Notes: []string{"<script>"},
		Pareto: []chart.Bar{{Label: "<img>", Value: 1}}}
	if err := Render(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<b>Evil", "<i>x", "<script>", "<img>"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("%q reached the page unescaped", bad)
		}
	}
}

func TestWriteFile(t *testing.T) {
	r, err := demoReport()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "summary.html")
	if err := WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 || fi.Size() < 10000 {
		t.Errorf("written file: mode %v, %d bytes", fi.Mode().Perm(), fi.Size())
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".dashboard-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestHandler(t *testing.T) {
	r, err := demoReport()
	if err != nil {
		t.Fatal(err)
	}
	fail := false
	srv := httptest.NewServer(Handler(func(context.Context) (Report, error) {
		if fail {
			return Report{}, errors.New("store down")
		}
		return r, nil
	}))
	defer srv.Close()

	tests := []struct {
		path     string
		fail     bool
		code     int
		contains string
	}{
		{"/", false, 200, "<svg "},
		{"/healthz", false, 200, "ok"},
		{"/nope", false, 404, ""},
		{"/", true, 500, "store down"},
	}
	for _, tc := range tests {
		fail = tc.fail
		res, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.code || !strings.Contains(string(body), tc.contains) {
			t.Errorf("GET %s (fail=%v): %d %.80q", tc.path, tc.fail, res.StatusCode, body)
		}
		if tc.code == 200 && tc.path == "/" && !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Error("no content security policy")
		}
	}
}

func TestRunWritesFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "s.html")
	var log bytes.Buffer
	err := run(context.Background(), []string{"-data", filepath.Join(dir, "none"), "-out", out, "-month", "2026-10"}, &log, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "has no complaints yet") || !strings.Contains(log.String(), "October 2026") {
		t.Errorf("log: %s", log.String())
	}
	page, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(page), "October 2026") {
		t.Fatalf("page: %v", err)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-month", "November"}, {"-nope"}, {"extra"}} {
		if err := run(context.Background(), args, io.Discard, fixedNow); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-demo", "-addr", "127.0.0.1:0"}, pw, fixedNow)
		pw.Close()
	}()
	// Read lines until the URL appears.
	buf := make([]byte, 4096)
	var seen string
	url := regexp.MustCompile(`http://[0-9.:]+/`)
	for !url.MatchString(seen) {
		n, err := pr.Read(buf)
		if err != nil {
			t.Fatalf("output ended before a URL: %q", seen)
		}
		seen += string(buf[:n])
	}
	go io.Copy(io.Discard, pr)
	res, err := http.Get(url.FindString(seen))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("status %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not shut down")
	}
}
