package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/cxkit/cxkit/store"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// sqliteSchema gives the workload's two attributes columns of their own and
// a covering index on them: the best case for SQLite's GROUP BY, which is
// the baseline the file driver's Count is held to. Times are Unix
// microseconds, the contract's precision.
const sqliteSchema = `
CREATE TABLE IF NOT EXISTS records (
	kind     TEXT    NOT NULL,
	id       TEXT    NOT NULL,
	version  INTEGER NOT NULL,
	category TEXT,
	month    TEXT,
	body     BLOB,
	created  INTEGER NOT NULL,
	updated  INTEGER NOT NULL,
	PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS records_category_month ON records (kind, category, month);
`

// SQLiteOpener opens modernc.org/sqlite in WAL mode with the given
// synchronous setting ("FULL": every commit fsynced; "NORMAL": the WAL is
// synced at checkpoints only, so a power loss may lose the last commits).
func SQLiteOpener(synchronous string) Opener {
	return func(dir string) (Engine, error) { return openSQLite(dir, synchronous) }
}

type sqliteEngine struct {
	path, sync string
	w          *sql.DB // one connection: SQLite has one writer, and queueing in database/sql beats busy-waiting on SQLITE_BUSY
	r          *sql.DB // readers, concurrent with the writer under WAL
	insert     *sql.Stmt
	get        *sql.Stmt
}

func openSQLite(dir, synchronous string) (*sqliteEngine, error) {
	return openSQLiteSchema(dir, synchronous, sqliteSchema)
}

// openSQLiteSchema opens SQLite with the given schema (the native peer
// leaves the index out).
func openSQLiteSchema(dir, synchronous, schema string) (*sqliteEngine, error) {
	path := filepath.Join(dir, "bench.sqlite")
	dsn := fmt.Sprintf("file:%s?_pragma=journal_mode(WAL)&_pragma=synchronous(%s)&_pragma=busy_timeout(10000)&_txlock=immediate", path, synchronous)
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	if _, err := w.Exec(schema); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite schema: %w", err)
	}
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	e := &sqliteEngine{path: path, sync: synchronous, w: w, r: r}
	if e.insert, err = w.Prepare(`INSERT INTO records (kind, id, version, category, month, body, created, updated) VALUES (?, ?, 1, ?, ?, ?, ?, ?)`); err == nil {
		e.get, err = r.Prepare(`SELECT version, category, month, body, created, updated FROM records WHERE kind = ? AND id = ?`)
	}
	if err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

func (e *sqliteEngine) Create(ctx context.Context, r store.Record) error {
	_, err := e.insert.ExecContext(ctx, r.Kind, r.ID, r.Attrs["category"], r.Attrs["month"], r.Body, r.Created.UnixMicro(), r.Updated.UnixMicro())
	return err
}

func (e *sqliteEngine) CreateBatch(ctx context.Context, rs []store.Record) error {
	tx, err := e.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	st := tx.StmtContext(ctx, e.insert)
	for _, r := range rs {
		if _, err := st.ExecContext(ctx, r.Kind, r.ID, r.Attrs["category"], r.Attrs["month"], r.Body, r.Created.UnixMicro(), r.Updated.UnixMicro()); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

func (e *sqliteEngine) Get(ctx context.Context, kind, id string) (store.Record, error) {
	r := store.Record{Kind: kind, ID: id}
	var cat, month sql.NullString
	var created, updated int64
	err := e.get.QueryRowContext(ctx, kind, id).Scan(&r.Version, &cat, &month, &r.Body, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	r.Attrs = map[string]string{"category": cat.String, "month": month.String}
	r.Created, r.Updated = time.UnixMicro(created), time.UnixMicro(updated)
	return r, err
}

func (e *sqliteEngine) Scan(ctx context.Context, kind string, fn func(store.Record)) error {
	rows, err := e.r.QueryContext(ctx, `SELECT id, version, category, month, body, created, updated FROM records WHERE kind = ? ORDER BY id`, kind)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := store.Record{Kind: kind}
		var cat, month sql.NullString
		var created, updated int64
		if err := rows.Scan(&r.ID, &r.Version, &cat, &month, &r.Body, &created, &updated); err != nil {
			return err
		}
		r.Attrs = map[string]string{"category": cat.String, "month": month.String}
		r.Created, r.Updated = time.UnixMicro(created), time.UnixMicro(updated)
		fn(r)
	}
	return rows.Err()
}

func (e *sqliteEngine) Count(ctx context.Context, kind, a, b string) ([]store.Group, error) {
	if a != "category" || b != "month" {
		return nil, fmt.Errorf("sqlite engine counts by category, month only")
	}
	rows, err := e.r.QueryContext(ctx, `SELECT category, month, count(*) FROM records WHERE kind = ? GROUP BY category, month ORDER BY category, month`, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var gs []store.Group
	for rows.Next() {
		var x, y sql.NullString
		var n int64
		if err := rows.Scan(&x, &y, &n); err != nil {
			return nil, err
		}
		gs = append(gs, store.Group{Values: []string{x.String, y.String}, Count: n})
	}
	return gs, rows.Err()
}

func (e *sqliteEngine) Compact(ctx context.Context) error {
	if _, err := e.w.ExecContext(ctx, `VACUUM`); err != nil {
		return err
	}
	_, err := e.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

func (e *sqliteEngine) Close() error {
	var errs []error
	for _, s := range []*sql.Stmt{e.insert, e.get} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	errs = append(errs, e.r.Close(), e.w.Close())
	return errors.Join(errs...)
}
