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
	ctx := context.Background()
	refused := &pgconn.ConnectError{}
	for _, c := range []struct {
		err                     error
		read, write, idempotent bool
	}{
		{pgErr(codeSerializationFailure), true, true, true},
		{fmt.Errorf("wrapped: %w", pgErr(codeDeadlockDetected)), true, true, true},
		{pgErr(codeAdminShutdown), true, true, true},
		{pgErr(codeCannotConnectNow), true, true, true},
		{pgErr(codeReadOnlyTransaction), true, true, true}, // a standby before promotion
		{refused, true, true, true},
		{pgErr(codeUniqueViolation), false, false, false},
		{pgErr(codeQueryCanceled), false, false, false},
		{io.ErrUnexpectedEOF, true, false, true}, // a write may have committed
		{context.DeadlineExceeded, false, false, true},
		{fmt.Errorf("x: %w", context.Canceled), false, false, true},
		{errors.New("something else"), false, false, false},
	} {
		if got := retryable(ctx, c.err, false, false); got != c.read {
			t.Errorf("retryable(%v, read) = %v, want %v", c.err, got, c.read)
		}
		if got := retryable(ctx, c.err, true, false); got != c.write {
			t.Errorf("retryable(%v, write) = %v, want %v", c.err, got, c.write)
		}
		if got := retryable(ctx, c.err, true, true); got != c.idempotent {
			t.Errorf("retryable(%v, idempotent write) = %v, want %v", c.err, got, c.idempotent)
		}
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if retryable(done, pgErr(codeSerializationFailure), false, false) {
		t.Error("retryable after the caller's context ended")
	}
}

// TestClassify: which failures are "unavailable, nothing applied" and which
// "outcome unknown" (issue 16).
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err         error
		read, write faultClass
	}{
		{&pgconn.ConnectError{}, errUnavailable, errUnavailable},
		{pgErr(codeReadOnlyTransaction), errUnavailable, errUnavailable},
		{pgErr(codeCannotConnectNow), errUnavailable, errUnavailable},
		{pgErr(codeAdminShutdown), errUnavailable, errUnavailable},
		{pgErr("08006"), errUnavailable, errUnavailable},
		{io.ErrUnexpectedEOF, errUnavailable, errUnknown},
		{fmt.Errorf("read: %w", io.EOF), errUnavailable, errUnknown},
		{fmt.Errorf("timeout: %w", context.DeadlineExceeded), errAnswer, errUnknown},
		{pgErr(codeUniqueViolation), errAnswer, errAnswer},
		{pgErr(codeQueryCanceled), errAnswer, errAnswer}, // the server rolled it back
		{errors.New("something else"), errAnswer, errAnswer},
	} {
		if got := classify(c.err, false); got != c.read {
			t.Errorf("classify(%v, read) = %v, want %v", c.err, got, c.read)
		}
		if got := classify(c.err, true); got != c.write {
			t.Errorf("classify(%v, write) = %v, want %v", c.err, got, c.write)
		}
	}
}

func TestBackoffBounded(t *testing.T) {
	for n := 1; n < 50; n++ {
		if d := backoff(n); d <= 0 || d > 2*time.Second {
			t.Fatalf("backoff(%d) = %v, want in (0, 2s]", n, d)
		}
	}
}

// TestRetryByTime: retries stop when the budget is spent, not after a
// count, and never inside a host's transaction.
func TestRetryByTime(t *testing.T) {
	d := &Driver{cfg: config{retryBudget: 300 * time.Millisecond}}
	calls := 0
	start := time.Now()
	err := d.retry(context.Background(), true, false, func(context.Context) error { calls++; return pgErr(codeSerializationFailure) })
	el := time.Since(start)
	if sqlState(err) != codeSerializationFailure {
		t.Fatalf("retry: %v; want the 40001 surfaced", err)
	}
	if calls < 3 || el > 3*time.Second {
		t.Fatalf("retry with a 300ms budget: %d calls in %v; want several calls within the budget", calls, el)
	}
	d.cfg.retryBudget = 0
	calls = 0
	_ = d.retry(context.Background(), true, false, func(context.Context) error { calls++; return pgErr(codeSerializationFailure) })
	if calls != 1 {
		t.Fatalf("retry with no budget: %d calls, want 1", calls)
	}
	d.cfg.retryBudget = time.Minute
	d.inTx = true
	calls = 0
	_ = d.retry(context.Background(), true, false, func(context.Context) error { calls++; return pgErr(codeSerializationFailure) })
	if calls != 1 {
		t.Fatalf("retry in a host transaction: %d calls, want 1", calls)
	}
}

// TestRetryHonoursContext: a long budget does not outlive the caller's
// context.
func TestRetryHonoursContext(t *testing.T) {
	d := &Driver{cfg: config{retryBudget: time.Hour}}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_ = d.retry(ctx, false, false, func(context.Context) error { return &pgconn.ConnectError{} })
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("retry ran %v past a 200ms context", el)
	}
}

// TestAttemptTimeout: each attempt runs under WithTimeout, so a server
// that never answers cannot hold a call for longer.
func TestAttemptTimeout(t *testing.T) {
	d := &Driver{cfg: config{timeout: 100 * time.Millisecond}}
	err := d.retry(context.Background(), true, false, func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("attempt past its timeout: %v, want context.DeadlineExceeded", err)
	}
	if werr := wrapErr(context.Background(), "update", "k", "i", err); !errors.Is(werr, store.ErrOutcomeUnknown) {
		t.Fatalf("a write whose attempt timed out: %v, want store.ErrOutcomeUnknown", werr)
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
