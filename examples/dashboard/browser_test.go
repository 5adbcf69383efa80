package main

import (
	"bytes"
	"context"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// findChromium returns the path of a Chromium or Chrome binary: the one
// CXKIT_CHROMIUM names, Debian's /usr/bin/chromium, or one on PATH.
func findChromium() string {
	if p := os.Getenv("CXKIT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// headless runs the browser on url with extra flags and a fresh profile,
// and returns what it printed on stdout.
func headless(t *testing.T, bin, url string, extra ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--no-proxy-server",
		"--disable-dev-shm-usage", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(),
	}, extra...)
	args = append(args, url)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(extra, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// TestBrowser loads the dashboard from a loopback server in headless
// Chromium, checks from the DOM that every chart rendered with the parts
// the report calls for, and saves a screenshot under the test's temp dir
// (kept with CXKIT_SCREENSHOT_DIR=dir). .ci/browser.sh installs Chromium
// and runs it with CXKIT_BROWSER_TEST=1, which turns a missing browser
// from a skip into a failure.
func TestBrowser(t *testing.T) {
	bin := findChromium()
	if bin == "" {
		if os.Getenv("CXKIT_BROWSER_TEST") == "1" {
			t.Fatal("CXKIT_BROWSER_TEST=1 but no Chromium found (tried CXKIT_CHROMIUM, /usr/bin/chromium, chromium, chromium-browser, google-chrome)")
		}
		t.Skip("Chromium not found: install it (apt-get install chromium) or run .ci/browser.sh to test the dashboard in a real browser")
	}
	if testing.Short() && os.Getenv("CXKIT_BROWSER_TEST") != "1" {
		t.Skip("-short: not starting a browser")
	}
	r, err := demoReport()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(func(context.Context) (Report, error) { return r, nil }))
	defer srv.Close()

	dom := string(headless(t, bin, srv.URL+"/", "--dump-dom"))
	if !strings.Contains(dom, "<title>Harbourside Appliances: customer service, November 2026</title>") {
		t.Fatalf("page did not load; DOM:\n%.2000s", dom)
	}
	section := func(id string) string {
		m := regexp.MustCompile(`(?s)<section class="panel" id="` + id + `">(.*?)</section>`).FindStringSubmatch(dom)
		if m == nil {
			t.Fatalf("no section %s in the DOM", id)
		}
		if !strings.Contains(m[1], "<svg") {
			t.Fatalf("section %s has no SVG", id)
		}
		return m[1]
	}
	count := func(s, class string) int {
		return len(regexp.MustCompile(`class="`+class+`[" ]`).FindAllString(s, -1))
	}
	checks := []struct {
		section, class string
		want           int
	}{
		{"pareto", "bar", len(r.Pareto)},
		{"pareto", "cumulative", 1},
		{"pareto", "cumulative-point", len(r.Pareto)},
		{"weekly", "bar", 2 * len(r.Weeks)},
		{"nps", "point", len(r.NPS)},
		{"nps", "whisker", len(r.NPS)},
		{"csat", "point", len(r.CSAT)},
		{"strategies", "done", len(r.Strategies)},
		{"strategies", "elapsed", len(r.Strategies)},
		{"factors", "score", len(r.Factors)},
	}
	for _, c := range checks {
		if got := count(section(c.section), c.class); got != c.want || got == 0 {
			t.Errorf("%s: %d elements of class %q; want %d", c.section, got, c.class, c.want)
		}
	}
	// The leading category is drawn first, under its bar.
	if !strings.Contains(section("pareto"), ">"+r.Pareto[0].Label+"<") {
		t.Errorf("pareto lacks the label %q", r.Pareto[0].Label)
	}

	dir := os.Getenv("CXKIT_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	shot := filepath.Join(dir, "dashboard.png")
	headless(t, bin, srv.URL+"/", "--screenshot="+shot, "--window-size=1400,1250")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	// A blank or error page is nearly one colour; charts are not.
	colours := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>12<<8|g>>12<<4|bl>>12] = true
		}
	}
	if len(colours) < 8 {
		t.Errorf("screenshot has %d colours: the page looks blank", len(colours))
	}
	t.Logf("screenshot: %s (%dx%d)", shot, b.Dx(), b.Dy())
}
