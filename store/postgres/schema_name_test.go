package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
)

// TestWithSchemaRefusesReserved: New refuses public, information_schema and
// pg_* before any SQL runs (the pool points at a port nobody listens on, so
// reaching the server would fail differently), with ErrInvalid naming the
// option and the rule.
func TestWithSchemaRefusesReserved(t *testing.T) {
	p, err := pgxpool.New(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, name := range []string{"public", "information_schema", "pg_catalog", "pg_toast", "pg_mine"} {
		_, err := postgres.New(context.Background(), p, postgres.WithSchema(name))
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("WithSchema(%q): %v, want store.ErrInvalid", name, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "WithSchema") || !strings.Contains(msg, "reserved") {
			t.Errorf("WithSchema(%q): %q does not name the option and the rule", name, msg)
		}
	}
}
