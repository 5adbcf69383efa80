package postgres

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// querier is what the driver runs SQL on: its pool, or a transaction of the
// host application (pgx.Tx or *sql.Tx). The driver needs only these two
// calls, which is what lets one code path serve all three.
type querier interface {
	query(ctx context.Context, sql string, args ...any) (rows, error)
	// queryCustom is query planned for these argument values on every
	// run: see customPlans.
	queryCustom(ctx context.Context, sql string, args ...any) (rows, error)
	exec(ctx context.Context, sql string, args ...any) error
}

// queryRow runs sql, which returns one row, into dest.
func queryRow(ctx context.Context, q querier, sql string, args []any, dest ...any) error {
	res, err := q.queryCustom(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer res.Close()
	if !res.Next() {
		if err := res.Err(); err != nil {
			return err
		}
		return errors.New("postgres: no row")
	}
	if err := res.Scan(dest...); err != nil {
		return err
	}
	res.Close()
	return res.Err()
}

// rows is the part of pgx.Rows and *sql.Rows the driver uses.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// poolQuerier runs each statement on a pooled connection, in its own
// implicit transaction.
type poolQuerier struct{ p *pgxpool.Pool }

func (q poolQuerier) query(ctx context.Context, sql string, args ...any) (rows, error) {
	return q.p.Query(ctx, sql, args...)
}

func (q poolQuerier) queryCustom(ctx context.Context, sql string, args ...any) (rows, error) {
	return q.p.Query(ctx, sql, customPlans(args)...)
}

func (q poolQuerier) exec(ctx context.Context, sql string, args ...any) error {
	_, err := q.p.Exec(ctx, sql, args...)
	return err
}

// customPlans makes pgx run a statement as PostgreSQL's unnamed prepared
// statement, with the description (parameter and column types) cached per
// connection: still one round trip, but planned for the actual arguments
// on every run. A named prepared statement, pgx's default, switches to a
// generic plan after five runs if that plan looks no costlier on
// average; for lists and counts, whose best plan depends on how common the
// filtered values are, the generic plan can be a thousand times slower
// (a grouped count went from 8 ms to 2 s on its sixth run). Planning them
// costs a fraction of a millisecond each time, which they can afford;
// Get and the writes, primary-key lookups whose plan never changes, keep
// the cached statements.
func customPlans(args []any) []any {
	return append([]any{pgx.QueryExecModeCacheDescribe}, args...)
}

// copier is implemented by queriers that can bulk-load with COPY, which
// PostgreSQL writes with multi-row inserts: the fastest way in for a batch.
// copyFrom runs sql (a COPY ... FROM STDIN) with data as its input stream.
type copier interface {
	copyFrom(ctx context.Context, sql string, data io.Reader) error
}

// pgxTxQuerier runs statements in a pgx transaction.
type pgxTxQuerier struct{ tx pgx.Tx }

func (q pgxTxQuerier) copyFrom(ctx context.Context, sql string, data io.Reader) error {
	_, err := q.tx.Conn().PgConn().CopyFrom(ctx, data, sql)
	return err
}

func (q pgxTxQuerier) query(ctx context.Context, sql string, args ...any) (rows, error) {
	return q.tx.Query(ctx, sql, args...)
}

func (q pgxTxQuerier) queryCustom(ctx context.Context, sql string, args ...any) (rows, error) {
	return q.tx.Query(ctx, sql, customPlans(args)...)
}

func (q pgxTxQuerier) exec(ctx context.Context, sql string, args ...any) error {
	_, err := q.tx.Exec(ctx, sql, args...)
	return err
}

// sqlTxQuerier runs statements in a database/sql transaction. The arguments
// (slices for unnest, for instance) reach pgx unchanged when the *sql.DB
// uses pgx's stdlib driver, which is the supported configuration.
type sqlTxQuerier struct{ tx *sql.Tx }

func (q sqlTxQuerier) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := q.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{r}, nil
}

// queryCustom is query: database/sql gives no per-statement choice of
// protocol; the host's connection settings decide (see the package doc).
func (q sqlTxQuerier) queryCustom(ctx context.Context, query string, args ...any) (rows, error) {
	return q.query(ctx, query, args...)
}

func (q sqlTxQuerier) exec(ctx context.Context, query string, args ...any) error {
	_, err := q.tx.ExecContext(ctx, query, args...)
	return err
}

// sqlRows adapts *sql.Rows, whose Close returns an error that Err reports
// as well.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

// WithTx returns a driver that runs every operation inside tx, the host
// application's own pgx transaction, so that records and the host's rows
// commit or roll back together. The host owns tx: it commits or rolls back,
// and it retries the whole transaction on a serialization failure (the
// returned driver never retries inside it). Batch uses a savepoint, so a
// failed batch leaves tx usable and unchanged.
//
// The returned driver shares d's schema, which must already be migrated (d
// was opened); Close on it only stops it from being used. It is safe for
// concurrent use: it runs one operation at a time, since a transaction runs
// one statement at a time and a batch's savepoint must not take in another
// operation's writes.
func (d *Driver) WithTx(tx pgx.Tx) *Driver {
	return d.bound(pgxTxQuerier{tx: tx})
}

// WithSQLTx is WithTx for a database/sql transaction. The *sql.DB must use
// pgx's stdlib driver (import _ "github.com/jackc/pgx/v5/stdlib", driver
// name "pgx"), which passes the driver's array arguments through.
func (d *Driver) WithSQLTx(tx *sql.Tx) *Driver {
	return d.bound(sqlTxQuerier{tx: tx})
}

func (d *Driver) bound(q querier) *Driver {
	return &Driver{cfg: d.cfg, sql: d.sql, q: q, inTx: true, txMu: new(sync.Mutex), closed: new(atomic.Bool)}
}

// enter starts an operation: on a driver bound to a transaction it waits
// for the operation before to finish, and the returned func ends it.
func (d *Driver) enter() func() {
	if d.txMu == nil {
		return func() {}
	}
	d.txMu.Lock()
	return d.txMu.Unlock
}
