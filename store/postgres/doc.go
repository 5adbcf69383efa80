// Package postgres is a store.Driver on PostgreSQL, for deployments that
// outgrow one machine: several application hosts on one database, tenants
// side by side, the host CRM's own transactions. It implements the
// optional store.Counter (GROUP BY in the database) and store.Batcher (one
// transaction) too, and passes the store/storetest conformance suite.
//
// It is its own module, so that programs on the file store never download
// pgx:
//
//	go get github.com/cxkit/cxkit/store/postgres
//
// # Opening
//
// Open takes a DSN ("postgres://user:pass@host:5432/db?sslmode=verify-full"
// or key=value, anything pgxpool.ParseConfig accepts) and owns its pool;
// New takes the application's existing *pgxpool.Pool and leaves it open on
// Close. Both create the schema on first use and migrate it (below).
// WithSchema picks the schema, so tenants can share one database, one
// schema each; the role needs CREATE on the database the first time.
//
//	d, err := postgres.Open(ctx, dsn, postgres.WithSchema("acme"))
//	complaints := store.NewCollection[Complaint](d, "complaint", index)
//
// # Joining the host's transaction
//
// d.WithTx(tx) (a pgx.Tx) and d.WithSQLTx(tx) (a *sql.Tx from pgx's stdlib
// driver) return a driver whose every operation runs inside the host's
// transaction: a complaint and the CRM's own rows commit or roll back
// together. The host commits, rolls back and retries; the bound driver
// never retries (a failed statement has aborted the host's transaction) and
// runs a Batch in a savepoint, so a batch that fails with ErrConflict
// leaves the transaction usable and unchanged.
//
// # Tables and indexes
//
// Each schema holds three tables:
//
//	records (kind, id, version, attrs jsonb, body bytea, created, updated)
//	        PRIMARY KEY (kind, id); INDEX records_attrs (kind, id) INCLUDE (attrs)
//	attrs   (kind, attr, value, id) PRIMARY KEY (kind, attr, value, id)
//	cxkit_migrations (version, applied_at)
//
// Text that is compared uses COLLATE "C", because the contract compares
// attributes and IDs byte-wise, whatever the database's collation.
//
//   - Get is one primary-key lookup; the attributes come from the jsonb
//     column, no join.
//   - List is keyset-paged on the primary key (kind, id), forward or
//     backward: a page costs its size, whatever its depth.
//   - Each filtered attribute becomes one EXISTS on the attrs primary key
//     holding all of that attribute's comparisons (Eq, In, and ranges as
//     one index range), with the list's cursor repeated inside. An
//     equality filter thus reads the matching IDs already in ID order
//     from the index, starting at the cursor; the planner picks a merge
//     or hash semi-join for In and ranges, from the statistics.
//   - Count groups in the database over records_attrs, an index-only scan
//     of (kind, id, attrs), about a tenth of the table since bodies are
//     not in it; with filters, only the matching IDs are probed.
//   - Writes are one statement each (data-modifying CTEs): Create inserts
//     the record and its attribute rows, Update changes the record if its
//     version matches and diffs the attribute rows, Delete removes both.
//     A Batch loads its creates with COPY in binary format (two streams:
//     records, then attribute rows), which PostgreSQL writes as multi-row
//     inserts; the driver encodes the streams itself as they are sent,
//     the column types being fixed. If a record exists already, the
//     transaction is rolled back and the batch rerun with one INSERT ...
//     SELECT FROM unnest(...) ON CONFLICT DO NOTHING, to name the first
//     duplicate. Inside a host's transaction it uses that statement
//     directly, since a failed COPY would abort it.
//
// Plans on PostgreSQL 15 with 300,000 records of the benchmark workload
// (8 categories, 24 months; EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF), from
// TestExplainPlans; timings on a loaded 2-core machine):
//
//	-- first page; and a page after a cursor, descending
//	Limit (actual rows=101 loops=1)
//	  ->  Index Scan using records_pkey on records r (actual rows=101 loops=1)
//	        Index Cond: (kind = 'complaint'::text)
//	Limit (actual rows=101 loops=1)
//	  ->  Index Scan Backward using records_pkey on records r (actual rows=101 loops=1)
//	        Index Cond: ((kind = 'complaint'::text) AND (id < '01JGFJQHFG3YCCY7K4R0NDZJP7'::text))
//	Execution Time: 0.099 ms
//
//	-- where category = 'billing', after a cursor in the middle
//	Limit (actual rows=101 loops=1)
//	  ->  Nested Loop (actual rows=101 loops=1)
//	        ->  Index Only Scan using attrs_pkey on attrs a (actual rows=101 loops=1)
//	              Index Cond: ((kind = 'complaint') AND (attr = 'category') AND (value = 'billing')
//	                           AND (id > '01JGFJQHFG3YCCY7K4R0NDZJP7'))
//	        ->  Index Scan using records_pkey on records r (actual rows=1 loops=101)
//	              Index Cond: ((kind = 'complaint') AND (id = a.id) AND (id > '01JGFJQHFG3YCCY7K4R0NDZJP7'))
//	Execution Time: 0.484 ms
//
//	-- where month in ('2024-03', '2024-04')
//	Limit (actual rows=101 loops=1)
//	  ->  Merge Semi Join (actual rows=101 loops=1)
//	        Merge Cond: (r.id = a.id)
//	        ->  Index Scan using records_pkey on records r (actual rows=1205 loops=1)
//	        ->  Sort (actual rows=101 loops=1)
//	              ->  Index Only Scan using attrs_pkey on attrs a (actual rows=24916 loops=1)
//	                    Index Cond: ((kind = 'complaint') AND (attr = 'month')
//	                                 AND (value = ANY ('{2024-03,2024-04}'::text[])))
//	Execution Time: 12.512 ms
//
//	-- where category = 'staff' and '2024-01' <= month < '2024-03'
//	Limit (actual rows=101 loops=1)
//	  ->  Nested Loop (actual rows=101 loops=1)
//	        ->  Merge Join (actual rows=101 loops=1)
//	              Merge Cond: (a.id = a_1.id)
//	              ->  Index Only Scan using attrs_pkey on attrs a (actual rows=1023 loops=1)
//	                    Index Cond: ((kind = 'complaint') AND (attr = 'category') AND (value = 'staff'))
//	              ->  Sort (actual rows=668 loops=1)
//	                    ->  HashAggregate (actual rows=24754 loops=1)
//	                          ->  Index Only Scan using attrs_pkey on attrs a_1 (actual rows=24754 loops=1)
//	                                Index Cond: ((kind = 'complaint') AND (attr = 'month')
//	                                             AND (value >= '2024-01') AND (value < '2024-03'))
//	        ->  Index Scan using records_pkey on records r (actual rows=1 loops=101)
//	              Index Cond: ((kind = 'complaint') AND (id = a.id))
//	Execution Time: 27.048 ms
//
//	-- count grouped by category, month (no filter)
//	Finalize GroupAggregate (actual rows=192 loops=1)
//	  ->  Gather Merge (actual rows=576 loops=1)
//	        Workers Launched: 2
//	        ->  Sort (actual rows=192 loops=3)
//	              ->  Partial HashAggregate (actual rows=192 loops=3)
//	                    Group Key: COALESCE((attrs ->> 'category'), ''), COALESCE((attrs ->> 'month'), '')
//	                    ->  Parallel Index Only Scan using records_attrs on records r (actual rows=100000 loops=3)
//	                          Index Cond: (kind = 'complaint'::text)
//	Execution Time: 256.322 ms
//
//	-- count where '2024-01' <= month < '2024-04', grouped by category
//	HashAggregate (actual rows=8 loops=1)
//	  Group Key: COALESCE((r.attrs ->> 'category'), '')
//	  ->  Nested Loop (actual rows=37279 loops=1)
//	        ->  HashAggregate (actual rows=37279 loops=1)
//	              Group Key: a.id
//	              ->  Index Only Scan using attrs_pkey on attrs a (actual rows=37279 loops=1)
//	                    Index Cond: ((kind = 'complaint') AND (attr = 'month')
//	                                 AND (value >= '2024-01') AND (value < '2024-04'))
//	        ->  Index Only Scan using records_attrs on records r (actual rows=1 loops=37279)
//	              Index Cond: ((kind = 'complaint') AND (id = a.id))
//
// pgx prepares statements, and PostgreSQL may switch a prepared statement
// to a generic plan after five runs; if filtered lists on values of very
// different frequencies get slow, add plan_cache_mode=force_custom_plan to
// the DSN (pgx passes it to the server).
//
// No plan reads a record body to filter or count. Index-only scans need the
// visibility map, which autovacuum keeps; right after a bulk load they
// fetch heap pages until it has run (VACUUM makes them index-only at once).
//
// # Migrations
//
// The schema is versioned in cxkit_migrations, one row per applied
// migration, and migrated by Open and New when behind (a schema ahead of
// the driver is refused). Several processes may open a fresh schema at
// once: on PostgreSQL they take turns on a transaction-scoped advisory lock
// (pg_advisory_xact_lock, keyed by the schema name) and the DDL is
// transactional, so the later ones find the work done. Where advisory
// locks do not exist (CockroachDB), the driver falls back to relying on
// transactional DDL, IF NOT EXISTS and the migrations table's primary key:
// concurrent migrators conflict, one commits, the others retry and find
// the schema current.
//
// # Errors, retries and time
//
// Errors are *store.Error values naming the operation, kind and ID, and
// wrap the store sentinels: a stale version is store.ErrConflict, a
// duplicate key store.ErrAlreadyExists (detected with ON CONFLICT DO
// NOTHING, so a duplicate never aborts a host's transaction), a missing
// record store.ErrNotFound. The pgx error stays wrapped for errors.As.
//
// Serialization failures (40001) and deadlocks (40P01) are retried, with
// jittered exponential backoff, up to WithMaxAttempts (DefaultMaxAttempts)
// and then returned, wrapped. So are server shutdowns (57P01-57P03) and
// connection failures where nothing can have been applied, which is how the
// driver rides out a server restart: pgxpool replaces the dead connections
// and the operation runs again. A write whose connection broke after it was
// sent is not retried, because it may have committed: the caller sees the
// error and can Get to find out. Reads are retried on any connection error.
//
// Every call honours its context: a cancelled or expired context stops the
// statement (pgx sends a cancel request) and the error wraps
// context.Canceled or context.DeadlineExceeded. A server-side
// statement_timeout (57014) is reported as wrapping
// context.DeadlineExceeded too, and is not retried.
//
// # PostgreSQL-compatible distributed databases
//
// The driver keeps to SQL that CockroachDB and YugabyteDB also run, so that
// a deployment can move to one without a different driver. That rules out:
//
//   - advisory locks for correctness: they serialise migrations on
//     PostgreSQL only, with the fallback above; no record operation uses
//     them, nor SELECT ... FOR UPDATE: versions (optimistic concurrency)
//     are the only locking.
//   - LISTEN/NOTIFY, triggers, stored procedures, rules, sequences and
//     SERIAL columns: IDs come from the application (ULIDs), versions
//     from version = version + 1 in the UPDATE.
//   - a statement modifying one row twice (which CockroachDB forbids):
//     Update diffs attribute rows instead of deleting and reinserting them.
//   - PostgreSQL-only storage settings (TOAST tuning, fillfactor, BRIN,
//     GIN); the indexes are plain btrees, INCLUDE being CockroachDB's
//     STORING.
//   - dependence on READ COMMITTED: every write is a single statement or a
//     transaction that is correct under SERIALIZABLE too (CockroachDB's
//     default), whose 40001 retries the driver already does.
//
// Not verified here: the suite has run against PostgreSQL 15 only. Before
// relying on CockroachDB or YugabyteDB, run it there (storetest via
// CXKIT_POSTGRES_DSN) and check in particular COLLATE "C", unnest with
// several arrays, jsonb_each_text (used by Create), INCLUDE, data-modifying
// CTEs, and COPY in binary format (used by Batch).
//
// # Testing
//
// The tests need a server and skip, saying so, when CXKIT_POSTGRES_DSN is
// unset. The repository's .ci/postgres.sh starts a throwaway PostgreSQL
// cluster and runs them, including the server-restart test (which needs
// CXKIT_POSTGRES_RESTART, a command that restarts the server) and the
// benchmarks' baseline (plain pgx on a jsonb table); see BENCHMARKS.md.
package postgres
