package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cxkit/cxkit/store"
)

// These tests need no server: they pin down which failures are retried and
// how server errors map to the store's sentinels.

func pgErr(code string) error { return &pgconn.PgError{Code: code, Message: "test"} }

func TestRetryable(t *testing.T) {
	for _, c := range []struct {
		err         error
		read, write bool
	}{
		{pgErr(codeSerializationFailure), true, true},
		{fmt.Errorf("wrapped: %w", pgErr(codeDeadlockDetected)), true, true},
		{pgErr(codeAdminShutdown), true, true},
		{pgErr(codeCannotConnectNow), true, true},
		{pgErr(codeUniqueViolation), false, false},
		{pgErr(codeQueryCanceled), false, false},
		{io.ErrUnexpectedEOF, true, false}, // a write may have committed
		{context.DeadlineExceeded, false, false},
		{fmt.Errorf("x: %w", context.Canceled), false, false},
		{errors.New("something else"), false, false},
	} {
		if got := retryable(c.err, false); got != c.read {
			t.Errorf("retryable(%v, read) = %v, want %v", c.err, got, c.read)
		}
		if got := retryable(c.err, true); got != c.write {
			t.Errorf("retryable(%v, write) = %v, want %v", c.err, got, c.write)
		}
	}
}

func TestBackoffBounded(t *testing.T) {
	for n := 1; n < 50; n++ {
		if d := backoff(n); d <= 0 || d > time.Second {
			t.Fatalf("backoff(%d) = %v, want in (0, 1s]", n, d)
		}
	}
}

func TestRetryGivesUp(t *testing.T) {
	d := &Driver{cfg: config{maxAttempts: 3}}
	calls := 0
	err := d.retry(context.Background(), true, func() error { calls++; return pgErr(codeSerializationFailure) })
	if calls != 3 || sqlState(err) != codeSerializationFailure {
		t.Fatalf("retry: %d calls, %v; want 3 calls and the 40001 surfaced", calls, err)
	}
	d.inTx = true
	calls = 0
	_ = d.retry(context.Background(), true, func() error { calls++; return pgErr(codeSerializationFailure) })
	if calls != 1 {
		t.Fatalf("retry in a host transaction: %d calls, want 1", calls)
	}
}

func TestWrapErr(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		err  error
		want error
	}{
		{pgErr(codeUniqueViolation), store.ErrAlreadyExists},
		{pgErr(codeQueryCanceled), context.DeadlineExceeded},
		{pgErr(codeSerializationFailure), nil},
	} {
		err := wrapErr(ctx, "update", "complaint", "c1", c.err)
		var se *store.Error
		if !errors.As(err, &se) || se.Kind != "complaint" || se.ID != "c1" || se.Op != "update" {
			t.Errorf("wrapErr(%v) = %v: not a *store.Error naming update complaint/c1", c.err, err)
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("wrapErr(%v) = %v, want it to wrap %v", c.err, err, c.want)
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			t.Errorf("wrapErr(%v) = %v: the *pgconn.PgError is no longer reachable", c.err, err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := wrapErr(cctx, "get", "k", "i", io.ErrUnexpectedEOF); !errors.Is(err, context.Canceled) {
		t.Errorf("wrapErr after cancel = %v, want it to wrap context.Canceled", err)
	}
}

func TestCheckSchemaName(t *testing.T) {
	for _, ok := range []string{"cxkit", "tenant_42", "_x"} {
		if err := checkSchemaName(ok); err != nil {
			t.Errorf("checkSchemaName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Acme", "1abc", "a-b", "pg_catalog", "a\"b", string(make([]byte, 64))} {
		if err := checkSchemaName(bad); err == nil {
			t.Errorf("checkSchemaName(%q) accepted", bad)
		}
	}
}

// TestCheckSchemaNameReserved: reserved and system schemas are refused
// with a message naming the rule (issue 13: WithSchema created tables in
// information_schema).
func TestCheckSchemaNameReserved(t *testing.T) {
	for _, bad := range []string{"public", "information_schema", "pg_toast", "pg_catalog", "pg_temp_3"} {
		err := checkSchemaName(bad)
		if err == nil {
			t.Errorf("checkSchemaName(%q) accepted a reserved schema", bad)
			continue
		}
		if !strings.Contains(err.Error(), "reserved") {
			t.Errorf("checkSchemaName(%q) = %v, want the rule (reserved) named", bad, err)
		}
	}
}
