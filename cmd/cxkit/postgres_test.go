package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCopyPostgres copies a file store into PostgreSQL and back and
// compares the exports, record by record. It needs a server:
// CXKIT_POSTGRES_DSN (see .ci/postgres.sh).
func TestCopyPostgres(t *testing.T) {
	dsn := os.Getenv("CXKIT_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("CXKIT_POSTGRES_DSN not set")
	}
	schema := fmt.Sprintf("cxkit_cmd_%d", time.Now().UnixNano())
	dir := newStore(t, 300)
	if code, _, errs := cx(t, "", "copy", "-schema", schema, dir, dsn); code != exitOK || !strings.Contains(errs, "300 records copied") {
		t.Fatalf("copy to postgres: %d, %q", code, errs)
	}
	if code, out, errs := cx(t, "", "stats", "-schema", schema, dsn); code != exitOK || !strings.Contains(out, "all kinds                300") {
		t.Fatalf("stats of postgres: %d, %q, %q", code, out, errs)
	}
	back := filepath.Join(t.TempDir(), "back")
	if code, _, errs := cx(t, "", "copy", "-schema", schema, dsn, back); code != exitOK {
		t.Fatalf("copy from postgres: %d, %q", code, errs)
	}
	_, want, _ := cx(t, "", "export", dir)
	_, got, _ := cx(t, "", "export", back)
	if got != want || strings.Count(got, "\n") != 300 {
		t.Fatal("the store copied to PostgreSQL and back differs from the original")
	}
	// Run again: everything is there already.
	if code, _, errs := cx(t, "", "copy", "-schema", schema, dir, dsn); code != exitOK || !strings.Contains(errs, "300 already there") {
		t.Fatalf("copy again: %d, %q", code, errs)
	}
}
