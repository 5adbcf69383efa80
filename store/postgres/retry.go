package postgres

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// DefaultMaxAttempts bounds how often one operation is tried: enough to ride
// out a burst of serialization failures or a server restart of a few
// seconds (the backoff grows to about 4 s in total), small enough that a
// persistent fault surfaces quickly.
const DefaultMaxAttempts = 10

// retryable reports whether running the operation again is both safe and
// likely to help.
//
// Serialization failures and deadlocks roll back the statement or
// transaction, so nothing took effect. Shutdown errors (57P0x) mean the
// server aborted the statement. Errors where pgx knows nothing was sent, and
// failures to connect, are safe for any operation. Other connection errors
// leave a write's outcome unknown (the commit may have happened and only the
// reply been lost), so only reads are retried on them.
func retryable(err error, write bool) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	switch sqlState(err) {
	case codeSerializationFailure, codeDeadlockDetected,
		codeAdminShutdown, codeCrashShutdown, codeCannotConnectNow:
		return true
	case "":
	default:
		return false // any other server error is an answer, not a fault
	}
	var ce *pgconn.ConnectError
	if pgconn.SafeToRetry(err) || errors.As(err, &ce) {
		return true
	}
	if write {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed)
}

// backoff is the pause before attempt n (1-based retry count): exponential
// from 10 ms, capped at 1 s, with full jitter so that writers that collided
// once do not collide again in step.
func backoff(n int) time.Duration {
	d := 10 * time.Millisecond << min(n, 7)
	d = min(d, time.Second)
	return d/2 + rand.N(d/2+1)
}

// retry runs fn until it succeeds, fails with an error that retrying cannot
// fix, the context ends, or attempts are used up; it returns fn's last
// error. Inside a caller's transaction (d.inTx) it runs fn once: the
// transaction is the caller's to retry, since a failed statement has
// aborted all of it.
func (d *Driver) retry(ctx context.Context, write bool, fn func() error) error {
	attempts := d.cfg.maxAttempts
	if d.inTx {
		attempts = 1
	}
	var err error
	for n := 1; ; n++ {
		if err = fn(); err == nil || n >= attempts || !retryable(err, write) {
			return err
		}
		t := time.NewTimer(backoff(n))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}
