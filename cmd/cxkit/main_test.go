package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
)

// cx runs the command in-process and returns its exit code and output.
func cx(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// newStore makes a file store of n records over two kinds.
func newStore(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	d, err := file.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	for i := range n {
		kind := []string{"complaint", "feedback"}[i%2]
		r := store.Record{Kind: kind, ID: fmt.Sprintf("r%04d", i), Attrs: map[string]string{"status": "open"}, Body: []byte(fmt.Sprintf(`{"n":%d}`, i)), Created: t0, Updated: t0}
		if _, err := d.Create(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestUsage(t *testing.T) {
	if code, _, errs := cx(t, ""); code != exitUsage || !strings.Contains(errs, "Commands:") {
		t.Fatalf("no arguments: %d, %q", code, errs)
	}
	if code, out, _ := cx(t, "", "help"); code != exitOK || !strings.Contains(out, "Examples:") || !strings.Contains(out, "Exit codes") {
		t.Fatalf("help: %d, %q", code, out)
	}
	for name := range commands {
		code, out, _ := cx(t, "", name, "-h")
		if code != exitOK || !strings.Contains(out, "Example") || !strings.Contains(out, "Usage: cxkit "+name) {
			t.Errorf("%s -h: %d, %q", name, code, out)
		}
		if code, out2, _ := cx(t, "", "help", name); code != exitOK || out2 != out {
			t.Errorf("help %s differs from %s -h", name, name)
		}
	}
	for _, args := range [][]string{{"frobnicate"}, {"verify"}, {"verify", "a", "b"}, {"copy", "-nope", "a", "b"}, {"copy", "-batch", "0", "a", "b"}, {"help", "nope"}} {
		if code, _, errs := cx(t, "", args...); code != exitUsage || errs == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a message", args, code, errs)
		}
	}
}

func TestVerify(t *testing.T) {
	dir := newStore(t, 20)
	code, out, _ := cx(t, "", "verify", dir)
	if code != exitOK || !strings.Contains(out, "20 records") {
		t.Fatalf("verify of a sound store: %d, %q", code, out)
	}
	log := filepath.Join(dir, "data-000001.log")
	b, _ := os.ReadFile(log)
	b[len(b)/2] ^= 1
	os.WriteFile(log, b, 0o644)
	code, out, _ = cx(t, "", "verify", dir)
	if code != exitProblem || !strings.Contains(out, "problem:") || !strings.Contains(out, "offset") {
		t.Fatalf("verify of a damaged store: %d, %q", code, out)
	}
	if got, _ := os.ReadFile(log); !bytes.Equal(got, b) {
		t.Fatal("verify changed the store")
	}
	if code, _, _ := cx(t, "", "verify", "-json", dir); code != exitProblem {
		t.Fatalf("verify -json: %d", code)
	}
	// repair salvages the rest, and the store then verifies.
	if code, out, errs := cx(t, "", "repair", dir); code != exitOK || !strings.Contains(out, "dropped") {
		t.Fatalf("repair: %d, %q, %q", code, out, errs)
	}
	if code, out, _ := cx(t, "", "verify", dir); code != exitOK || !strings.Contains(out, "19 records") {
		t.Fatalf("verify after repair: %d, %q", code, out)
	}
	if code, _, errs := cx(t, "", "verify", filepath.Join(t.TempDir(), "missing")); code != exitProblem || !strings.Contains(errs, "no store") {
		t.Fatalf("verify of no store: %d, %q", code, errs)
	}
}

func TestBackupRestore(t *testing.T) {
	dir := newStore(t, 30)
	dest := filepath.Join(t.TempDir(), "b")
	if code, _, errs := cx(t, "", "backup", dir, dest); code != exitOK || !strings.Contains(errs, "30 records") {
		t.Fatalf("backup: %d, %q", code, errs)
	}
	if code, _, errs := cx(t, "", "backup", dir, dest); code != exitProblem || !strings.Contains(errs, "not empty") {
		t.Fatalf("backup over a backup: %d, %q", code, errs)
	}
	into := filepath.Join(t.TempDir(), "r")
	if code, out, errs := cx(t, "", "restore", dest, into); code != exitOK || !strings.Contains(out, "restored 30 records") {
		t.Fatalf("restore: %d, %q, %q", code, out, errs)
	}
	if code, _, errs := cx(t, "", "restore", dest, into); code != exitProblem || !strings.Contains(errs, "not empty") {
		t.Fatalf("restore over a store: %d, %q", code, errs)
	}
	// As a stream, through standard output and input.
	code, stream, _ := cx(t, "", "backup", dir, "-")
	if code != exitOK {
		t.Fatalf("backup -: %d", code)
	}
	into2 := filepath.Join(t.TempDir(), "r2")
	if code, out, _ := cx(t, stream, "restore", "-", into2); code != exitOK || !strings.Contains(out, "30 records") {
		t.Fatalf("restore -: %d, %q", code, out)
	}
	if code, _, errs := cx(t, stream[:len(stream)-10], "restore", "-", filepath.Join(t.TempDir(), "r3")); code != exitProblem || !strings.Contains(errs, "bad backup") {
		t.Fatalf("restore of a cut stream: %d, %q", code, errs)
	}
	code, out, _ := cx(t, "", "stats", into2)
	if code != exitOK || !strings.Contains(out, "complaint") || !strings.Contains(out, "all kinds                30") {
		t.Fatalf("stats: %d, %q", code, out)
	}
}

func TestCompact(t *testing.T) {
	dir := newStore(t, 10)
	if code, out, errs := cx(t, "", "compact", dir); code != exitOK || !strings.Contains(out, "10 records") {
		t.Fatalf("compact: %d, %q, %q", code, out, errs)
	}
	d, err := file.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if code, _, errs := cx(t, "", "compact", dir); code != exitProblem || !strings.Contains(errs, "in another program") {
		t.Fatalf("compact of a store in use: %d, %q", code, errs)
	}
}

func TestCopyExportImport(t *testing.T) {
	dir := newStore(t, 50)
	to := filepath.Join(t.TempDir(), "copy")
	if code, _, errs := cx(t, "", "copy", dir, to); code != exitOK || !strings.Contains(errs, "50 records copied") {
		t.Fatalf("copy: %d, %q", code, errs)
	}
	if code, _, errs := cx(t, "", "copy", dir, to, "-kinds", "feedback"); code != exitOK || !strings.Contains(errs, "25 already there") {
		t.Fatalf("copy again: %d, %q", code, errs)
	}
	code, lines, _ := cx(t, "", "export", to)
	if code != exitOK || strings.Count(lines, "\n") != 50 {
		t.Fatalf("export: %d, %d lines", code, strings.Count(lines, "\n"))
	}
	back := filepath.Join(t.TempDir(), "back")
	if code, _, errs := cx(t, lines, "import", back); code != exitOK || !strings.Contains(errs, "50 records imported") {
		t.Fatalf("import: %d, %q", code, errs)
	}
	_, again, _ := cx(t, "", "export", back)
	if again != lines {
		t.Fatal("export of the imported store differs from the export imported")
	}
	if code, _, errs := cx(t, "{\"kind\":\"x\"", "import", back); code != exitProblem || !strings.Contains(errs, "line 1") {
		t.Fatalf("import of bad input: %d, %q", code, errs)
	}
	if code, _, errs := cx(t, "", "export", filepath.Join(t.TempDir(), "nothing")); code != exitProblem || !strings.Contains(errs, "no store") {
		t.Fatalf("export of no store: %d, %q", code, errs)
	}
}
