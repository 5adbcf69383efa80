package postgres

import (
	"context"
	"math/rand/v2"
	"time"
)

// DefaultRetryBudget is how long the driver keeps retrying an operation
// that failed where retrying is safe (the server unreachable, restarting,
// or not yet promoted; a serialization failure or deadlock): long enough
// for a typical failover of a managed database (tens of seconds), short
// enough that a caller without a deadline of its own hears of an outage.
const DefaultRetryBudget = 30 * time.Second

// DefaultTimeout bounds one attempt of an operation (one statement, or a
// batch's transaction) when the caller's context has no earlier deadline:
// a server that accepts a write and never answers it, such as a promoted
// standby still waiting for a synchronous standby that is gone, cannot
// hold a writer forever.
const DefaultTimeout = 30 * time.Second

// backoff is the pause before retry n (1-based): exponential from 10 ms,
// capped at 2 s, with jitter over its upper half so that writers that
// failed together do not retry in step.
func backoff(n int) time.Duration {
	d := 10 * time.Millisecond << min(n-1, 8)
	d = min(d, 2*time.Second)
	return d/2 + rand.N(d/2+1)
}

// retry runs fn until it succeeds, fails with an error that retrying
// cannot fix, the context ends, or the retry budget is spent; it returns
// fn's last error. Each attempt runs under its own timeout (WithTimeout).
// idempotent says that repeating the write is safe even when its outcome
// is unknown (Create, which recognises its own record: see Create).
// Inside a caller's transaction (d.inTx) it runs fn once: the transaction
// is the caller's to retry, since a failed statement has aborted all of
// it.
func (d *Driver) retry(ctx context.Context, write, idempotent bool, fn func(ctx context.Context) error) error {
	var deadline time.Time
	for n := 1; ; n++ {
		err := d.attempt(ctx, fn)
		if err == nil || d.inTx || !retryable(ctx, err, write, idempotent) {
			return err
		}
		if n == 1 {
			deadline = time.Now().Add(d.cfg.retryBudget)
		}
		pause := backoff(n)
		if time.Now().Add(pause).After(deadline) {
			return err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// attempt runs fn once, under the per-attempt timeout.
func (d *Driver) attempt(ctx context.Context, fn func(ctx context.Context) error) error {
	if d.cfg.timeout <= 0 {
		return fn(ctx)
	}
	actx, cancel := context.WithTimeout(ctx, d.cfg.timeout)
	defer cancel()
	return fn(actx)
}

// retryable reports whether running the operation again is both safe and
// likely to help: the store was unavailable and nothing was applied, or
// the server rolled the statement back (serialization failure,
// deadlock), or the outcome is unknown but the write is idempotent. The
// caller's context ending is never retried; an attempt's own timeout is,
// like any other unavailability, when nothing was applied.
func retryable(ctx context.Context, err error, write, idempotent bool) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	switch sqlState(err) {
	case codeSerializationFailure, codeDeadlockDetected:
		return true
	}
	switch classify(err, write) {
	case errUnavailable:
		return true
	case errUnknown:
		return idempotent
	}
	return false
}
