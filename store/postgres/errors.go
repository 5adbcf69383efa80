package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cxkit/cxkit/store"
)

// SQLSTATE codes the driver acts on. Named here so that every mapping from
// a server error to a store sentinel is in one place.
const (
	codeUniqueViolation      = "23505"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeQueryCanceled        = "57014" // statement_timeout, or a cancel request
	codeAdminShutdown        = "57P01"
	codeCrashShutdown        = "57P02"
	codeCannotConnectNow     = "57P03"
	codeUndefinedFunction    = "42883"
	codeFeatureNotSupported  = "0A000"
	codeDuplicateTable       = "42P07"
	codeDuplicateSchema      = "42P06"
	codeDuplicateObject      = "42710"
	codeReadOnlyTransaction  = "25006" // a standby, or a primary demoted
)

// sqlState returns the SQLSTATE of err, or "" when it did not come from
// the server.
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// wrapErr turns an error from pgx into a *store.Error naming the operation
// and the record, wrapping the store sentinel that callers test for and the
// original error (so that errors.As still finds *pgconn.PgError).
//
// Context errors stay visible to errors.Is: pgx already wraps the context's
// error when a deadline or cancellation interrupts a query, and a server-side
// statement_timeout is reported as wrapping context.DeadlineExceeded too,
// because to the caller it is the same thing: the operation ran out of time.
// Faults of the connection or the server wrap store.ErrUnavailable or
// store.ErrOutcomeUnknown (see classify).
func wrapErr(ctx context.Context, op, kind, id string, err error) error {
	if err == nil {
		return nil
	}
	var se *store.Error
	if errors.As(err, &se) {
		return err
	}
	write := op == "create" || op == "update" || op == "delete" || op == "batch"
	// Classified before the context's error is added, which would hide
	// whether pgx knew that nothing was sent.
	class := classify(err, write)
	if ce := ctx.Err(); ce != nil && !errors.Is(err, ce) {
		// pgx may report an interrupted read as a plain I/O error; the
		// context's error is the cause the caller wants to see.
		err = fmt.Errorf("%w (%w)", ce, err)
	}
	switch sqlState(err) {
	case codeUniqueViolation:
		err = fmt.Errorf("%w: %w", store.ErrAlreadyExists, err)
	case codeQueryCanceled:
		err = fmt.Errorf("%w: statement canceled by the server (statement_timeout): %w", context.DeadlineExceeded, err)
	case codeSerializationFailure, codeDeadlockDetected:
		err = fmt.Errorf("transaction aborted by the server after retries; retry later: %w", err)
	}
	switch class {
	case errUnavailable:
		err = fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	case errUnknown:
		err = fmt.Errorf("%w: %w", store.ErrOutcomeUnknown, err)
	}
	return &store.Error{Op: op, Kind: kind, ID: id, Err: err}
}

// faultClass is what a failure says about whether an operation was applied.
type faultClass int

const (
	errAnswer      faultClass = iota // the server answered (or no fault): nothing to add
	errUnavailable                   // nothing was applied, and the store could not take it now
	errUnknown                       // a write was sent and its answer lost
)

// classify sorts a failure by what the caller can do about it.
//
// Unavailable, with nothing applied: failing to connect (refused,
// unreachable, no server accepting writes among the hosts of a multi-host
// DSN with target_session_attrs=read-write), an error pgx raised before
// sending anything (pgconn.SafeToRetry), and the server's refusals that
// abort the statement: a read-only transaction (25006: a standby, not yet
// promoted), "cannot connect now" (57P03: starting up or recovering) and
// shutdowns (57P01, 57P02), whose transaction is rolled back.
//
// Unknown: a write whose connection failed, or whose deadline passed,
// after it was sent: the server may have committed it and only the answer
// been lost. A read in the same situation applied nothing, so it is
// unavailable.
func classify(err error, write bool) faultClass {
	if err == nil {
		return errAnswer
	}
	switch code := sqlState(err); {
	case code == codeReadOnlyTransaction, code == codeCannotConnectNow,
		code == codeAdminShutdown, code == codeCrashShutdown, strings.HasPrefix(code, "08"):
		return errUnavailable
	case code != "":
		return errAnswer // any other server error is an answer, not a fault
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || pgconn.SafeToRetry(err) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return errAnswer // the caller's own deadline, before sending
		}
		return errUnavailable
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
		if write {
			return errUnknown
		}
		return errAnswer
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		if write {
			return errUnknown
		}
		return errUnavailable
	}
	return errAnswer
}

// errClosed is the error of every call on a closed driver.
func errClosed(op, kind, id string) error {
	return &store.Error{Op: op, Kind: kind, ID: id, Err: store.ErrClosed}
}
