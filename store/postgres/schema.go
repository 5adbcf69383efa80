package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are the schema's versions, in order: migrations[i] brings the
// schema from version i to i+1. A released migration is never edited, only
// followed by a new one, because databases in the field are at every version.
//
// Text columns that are compared or ordered (kind, id, attribute names and
// values) use COLLATE "C": the contract compares byte-wise, whatever the
// database's default collation, and "C" makes btree order byte order.
//
// records holds the record, with its attributes as jsonb too, so that a read
// is one index lookup; its primary key (kind, id) serves keyset paging in
// both directions. records_attrs covers (kind, id, attrs): grouped counts
// read it with an index-only scan, a tenth of the table's size, instead of
// the rows with their bodies. attrs holds one row per attribute, keyed
// (kind, attr, value, id): its primary key serves Eq, In and range filters
// (one index range per filtered attribute) and gives the IDs of one value in
// ID order, so an equality filter pages without sorting; attrs_record
// (kind, id, attr, value) finds one record's rows (migration 2).
var migrations = [SchemaVersion]string{
	// 1: records and their attribute index.
	`CREATE TABLE IF NOT EXISTS %[1]s.records (
		kind    text COLLATE "C" NOT NULL,
		id      text COLLATE "C" NOT NULL,
		version bigint NOT NULL,
		attrs   jsonb NOT NULL,
		body    bytea NOT NULL,
		created timestamptz NOT NULL,
		updated timestamptz NOT NULL,
		PRIMARY KEY (kind, id)
	);
	CREATE INDEX IF NOT EXISTS records_attrs ON %[1]s.records (kind, id) INCLUDE (attrs);
	CREATE TABLE IF NOT EXISTS %[1]s.attrs (
		kind  text COLLATE "C" NOT NULL,
		attr  text COLLATE "C" NOT NULL,
		value text COLLATE "C" NOT NULL,
		id    text COLLATE "C" NOT NULL,
		PRIMARY KEY (kind, attr, value, id)
	);`,
	// 2: the attribute rows of one record, found without scanning every
	// row of the kind: Update's and Delete's DELETE by (kind, id), and the
	// per-record probes of a filtered count, become index range scans,
	// O(log N) instead of a sequential scan of every attribute row. Built
	// inside the migration's transaction, which holds writes to attrs while
	// it runs (seconds per million records, once).
	`CREATE INDEX IF NOT EXISTS attrs_record ON %[1]s.attrs (kind, id, attr, value);`,
	// 3: how common each value of each attribute is, for the planner: the
	// attrs table keeps every attribute in one value column, so its
	// per-column statistics cannot say that org = 'acme' holds for every
	// record while open = '1' holds for a few, and the planner's guesses
	// decide between walking a page and sorting a kind (see listSQL). The
	// statistics are PostgreSQL's own (ANALYZE and autovacuum keep them);
	// where the server lacks them the migration is skipped (optional).
	`CREATE STATISTICS IF NOT EXISTS %[1]s.attrs_attr_value (mcv) ON attr, value FROM %[1]s.attrs;`,
	// 4: the contract tells a nil Attrs or Body from an empty one, which
	// the NOT NULL columns cannot: empty says which of them were empty but
	// not nil (emptyAttrs, emptyBody). Rows written before read back as
	// they always did, nil. A constant default adds the column without
	// rewriting the table.
	`ALTER TABLE %[1]s.records ADD COLUMN IF NOT EXISTS empty smallint NOT NULL DEFAULT 0;`,
}

// optional are the migrations that are tuning only: where the server
// refuses them (a PostgreSQL-compatible database without the feature),
// they are recorded as applied and skipped.
var optional = map[int]bool{3: true}

// SchemaVersion is the schema version this driver migrates to: the number
// of migrations. Opening a schema at a later version (written by a newer
// driver) fails rather than risk misreading it.
const SchemaVersion = 4

// lockKey is the advisory lock that serialises migrations of one schema,
// derived from its name so that tenants in one database do not wait for each
// other.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("cxkit/store/postgres:" + schema))
	return int64(h.Sum64())
}

// migrate brings schema to SchemaVersion. It is safe to run from several
// processes at once: on PostgreSQL a transaction-scoped advisory lock makes
// them take turns, and the later ones find the work done. Where advisory
// locks do not exist (CockroachDB), correctness rests on the migrations
// table's primary key and transactional DDL instead: concurrent migrators
// conflict, one commits, the others retry and find the work done.
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string, budget time.Duration) error {
	s := pgx.Identifier{schema}.Sanitize()
	// Fast path: most opens find the schema current and take no lock.
	var v int
	err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT coalesce(max(version), 0) FROM %s.cxkit_migrations`, s)).Scan(&v)
	if err == nil && v == SchemaVersion {
		return nil
	}
	useLock := true
	deadline := time.Now().Add(budget)
	for n := 1; ; n++ {
		err = migrateOnce(ctx, pool, schema, useLock)
		if useLock && (sqlState(err) == codeUndefinedFunction || sqlState(err) == codeFeatureNotSupported) {
			useLock = false // no advisory locks here: fall back, see above
			continue
		}
		if err == nil || time.Now().Add(backoff(n)).After(deadline) || !migrationRetryable(ctx, err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff(n)):
		}
	}
}

// migrationRetryable: the errors of two migrators racing without a lock.
func migrationRetryable(ctx context.Context, err error) bool {
	switch sqlState(err) {
	case codeUniqueViolation, codeDuplicateTable, codeDuplicateSchema, codeDuplicateObject:
		return true
	}
	return retryable(ctx, err, true, false)
}

func migrateOnce(ctx context.Context, pool *pgxpool.Pool, schema string, useLock bool) (err error) {
	s := pgx.Identifier{schema}.Sanitize()
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if useLock {
		if _, err = tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey(schema)); err != nil {
			return err
		}
	}
	if _, err = tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+s); err != nil {
		return err
	}
	if _, err = tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s.cxkit_migrations (
		version    integer PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`, s)); err != nil {
		return err
	}
	var v int
	if err = tx.QueryRow(ctx, fmt.Sprintf(`SELECT coalesce(max(version), 0) FROM %s.cxkit_migrations`, s)).Scan(&v); err != nil {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("postgres: schema %s is at version %d, newer than this driver's %d: upgrade the driver", schema, v, SchemaVersion)
	}
	for i := v; i < SchemaVersion; i++ {
		if err = runMigration(ctx, tx, i+1, fmt.Sprintf(migrations[i], s)); err != nil {
			return fmt.Errorf("postgres: migration %d of schema %s: %w", i+1, schema, err)
		}
		if _, err = tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s.cxkit_migrations (version) VALUES ($1)`, s), i+1); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// runMigration runs migration version in tx; an optional one runs in a
// savepoint, so that its failure leaves the transaction usable.
func runMigration(ctx context.Context, tx pgx.Tx, version int, sql string) error {
	if !optional[version] {
		_, err := tx.Exec(ctx, sql)
		return err
	}
	if _, err := tx.Exec(ctx, `SAVEPOINT cxkit_optional`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, sql); err != nil {
		_, rerr := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT cxkit_optional`)
		return rerr
	}
	_, err := tx.Exec(ctx, `RELEASE SAVEPOINT cxkit_optional`)
	return err
}

// checkSchemaName accepts names that need no quoting and fit PostgreSQL's
// 63-byte identifiers: lower-case letters, digits and '_', not starting
// with a digit. It refuses the schemas PostgreSQL and the SQL standard
// keep for themselves (pg_*, information_schema) and public, which every
// role can write to by default and where the host's own tables live:
// cxkit's tables there would mix with them.
func checkSchemaName(name string) error {
	if name == "" || len(name) > 63 {
		return fmt.Errorf("must be 1 to 63 bytes, got %d", len(name))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return fmt.Errorf("must be lower-case letters, digits and '_', not starting with a digit, got %q", name)
		}
	}
	if strings.HasPrefix(name, "pg_") {
		return fmt.Errorf("must not start with \"pg_\" (reserved for PostgreSQL's system schemas), got %q", name)
	}
	switch name {
	case "public", "information_schema":
		return fmt.Errorf("must not be a reserved or system schema (public, information_schema, pg_*), got %q", name)
	}
	return nil
}
