package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
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
// ID order, so an equality filter pages without sorting.
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
}

// SchemaVersion is the schema version this driver migrates to: the number
// of migrations. Opening a schema at a later version (written by a newer
// driver) fails rather than risk misreading it.
const SchemaVersion = 1

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
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string, maxAttempts int) error {
	s := pgx.Identifier{schema}.Sanitize()
	// Fast path: most opens find the schema current and take no lock.
	var v int
	err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT coalesce(max(version), 0) FROM %s.cxkit_migrations`, s)).Scan(&v)
	if err == nil && v == SchemaVersion {
		return nil
	}
	useLock := true
	for n := 1; ; n++ {
		err = migrateOnce(ctx, pool, schema, useLock)
		if useLock && (sqlState(err) == codeUndefinedFunction || sqlState(err) == codeFeatureNotSupported) {
			useLock = false // no advisory locks here: fall back, see above
			continue
		}
		if err == nil || n >= maxAttempts || !migrationRetryable(err) {
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
func migrationRetryable(err error) bool {
	switch sqlState(err) {
	case codeUniqueViolation, codeDuplicateTable, codeDuplicateSchema, codeDuplicateObject:
		return true
	}
	return retryable(err, true)
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
		if _, err = tx.Exec(ctx, fmt.Sprintf(migrations[i], s)); err != nil {
			return fmt.Errorf("postgres: migration %d of schema %s: %w", i+1, schema, err)
		}
		if _, err = tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s.cxkit_migrations (version) VALUES ($1)`, s), i+1); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// checkSchemaName accepts names that need no quoting and fit PostgreSQL's
// 63-byte identifiers: lower-case letters, digits and '_', not starting
// with a digit, and not the system's own prefix.
func checkSchemaName(name string) error {
	if name == "" || len(name) > 63 {
		return errors.New("must be 1 to 63 bytes")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return fmt.Errorf("must be lower-case letters, digits and '_', not starting with a digit, got %q", name)
		}
	}
	if len(name) >= 3 && name[:3] == "pg_" {
		return fmt.Errorf("must not start with \"pg_\", got %q", name)
	}
	return nil
}
