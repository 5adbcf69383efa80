package postgres

import (
	"context"
	"errors"
	"fmt"

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
func wrapErr(ctx context.Context, op, kind, id string, err error) error {
	if err == nil {
		return nil
	}
	var se *store.Error
	if errors.As(err, &se) {
		return err
	}
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
	return &store.Error{Op: op, Kind: kind, ID: id, Err: err}
}

// errClosed is the error of every call on a closed driver.
func errClosed(op, kind, id string) error {
	return &store.Error{Op: op, Kind: kind, ID: id, Err: store.ErrClosed}
}
