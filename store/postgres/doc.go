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
//	        INDEX attrs_record (kind, id, attr, value)
//	        STATISTICS attrs_attr_value (mcv) ON attr, value
//	cxkit_migrations (version, applied_at)
//
// Text that is compared uses COLLATE "C", because the contract compares
// attributes and IDs byte-wise, whatever the database's collation. Every
// statement a workflow step runs is an index lookup, O(log N) in the size
// of the store:
//
//   - Get is one primary-key lookup; the attributes come from the jsonb
//     column, no join.
//   - Writes are one statement each (data-modifying CTEs): Create inserts
//     the record and its attribute rows, Update changes the record if its
//     version matches and diffs the attribute rows, which attrs_record
//     finds by (kind, id), Delete removes both. A Batch loads its creates
//     with COPY in binary format (two streams: records, then attribute
//     rows), which the driver encodes as they are sent. If a record
//     exists already, the transaction is rolled back and the batch rerun
//     with one INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING,
//     to name the first duplicate. Inside a host's transaction it uses
//     that statement directly, since a failed COPY would abort it.
//   - List is keyset-paged on the primary key (kind, id), forward or
//     backward, and a page costs its size divided by the share of records
//     its filters keep, wherever the cursor is: the statement walks IDs
//     in order from the cursor and stops at the end of the page. Each
//     equality filter is an EXISTS on the attrs primary key, whose range
//     for one value lists IDs in order, so the planner merge-joins it
//     with the walk or drives from the rarest value; the (attr, value)
//     statistics tell it which values are rare. In and range filters are
//     tested on the walked record's jsonb attributes. A range few records
//     fall into (one month of years of complaints) is found the other
//     way round, from its index entries: a probe in the same round trip
//     walks at most twenty pages' worth of IDs from the cursor, and when
//     that does not fill the page and the range holds under twenty
//     pages' worth of records after the cursor, the page is read from
//     the range (at most that many index entries and record fetches).
//   - Count groups in the database over records_attrs, an index-only scan
//     of (kind, id, attrs), a fraction of the table since bodies are not
//     in it; with filters, the matching IDs come from the attrs index
//     ranges and are probed by (kind, id).
//
// Lists and counts are planned for their arguments on every run (pgx's
// unnamed statements, descriptions cached): a named prepared statement
// switches to a generic plan after five runs if that looks no costlier,
// and for a grouped count the generic plan was a thousand times slower.
// The plans, at 100,000 and 1,000,000 complaints, are in BENCHMARKS.md
// (from TestExplainPlans). No plan reads a record body to filter or count.
// Index-only scans need the visibility map, which autovacuum keeps; right
// after a bulk load they fetch heap pages until it has run.
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
// Faults of the server or the network wrap one of two sentinels, so that
// a caller knows what to do without importing pgx:
//
//   - store.ErrUnavailable: nothing was applied, and repeating the call is
//     safe. Connections refused or timing out, no server among the DSN's
//     hosts accepting writes, a read-only standby (25006), a server
//     starting up (57P03) or shutting down (57P01, 57P02), and any read
//     whose connection broke.
//   - store.ErrOutcomeUnknown: a write was sent and its answer lost (the
//     connection broke, or the deadline passed, after sending). It may
//     have committed: read before writing again.
//
// The driver retries by time, not by count: an operation that failed with
// nothing applied, or with a serialization failure (40001) or deadlock
// (40P01), runs again after an exponential, jittered pause (10 ms growing
// to 2 s) until it succeeds, the caller's context ends, or the retry
// budget (WithRetryBudget, DefaultRetryBudget = 30 s) is spent; then the
// last error is returned. That is how the driver rides out a restart or a
// failover: pgxpool replaces the dead connections and the operation runs
// again. A write whose outcome is unknown is not retried, except Create:
// a create repeated after its answer was lost (by the driver or by the
// caller) that finds the record it wrote, version 1 with the same
// attributes and body, reports success instead of ErrAlreadyExists.
// Updates carry no such mark here: the portable layer records a request
// ID in the record for that.
//
// Every call honours its context: a cancelled or expired context stops the
// statement (pgx sends a cancel request) and the error wraps
// context.Canceled or context.DeadlineExceeded (and ErrOutcomeUnknown for
// a write already sent). Each attempt is also bounded by WithTimeout
// (DefaultTimeout = 30 s), so that a server that takes a write and never
// answers cannot hold a caller without a deadline forever. A server-side
// statement_timeout (57014) is reported as wrapping
// context.DeadlineExceeded too, and is not retried: the server rolled the
// statement back.
//
// # Failover and what an acknowledged write means
//
// For a primary with a standby, give every host in the DSN and ask for
// the one that takes writes:
//
//	postgres://app@db1:5432,db2:5432/crm?target_session_attrs=read-write
//
// pgx tries the hosts in order and keeps the first that is not read-only,
// so after a failover the pool's new connections go to the promoted
// server without the driver being reopened; until one is promoted, calls
// retry as unavailable within the retry budget. A managed service's
// single failover address works the same way.
//
// Whether a write the driver acknowledged survives the loss of the
// primary is the server's setting, not the driver's. With
// synchronous_commit = on (the default) and the standby named in the
// primary's synchronous_standby_names, a commit returns only once the
// standby has it on disk: acknowledged writes survive a failover to that
// standby. With asynchronous replication (synchronous_standby_names empty,
// or synchronous_commit = local or off) a commit returns before the
// standby has it, and the last writes acknowledged before a crash can be
// missing after failover; the records then look older than they were
// (ErrConflict or ErrNotFound on later correct updates). Managed services
// document which of the two they run.
//
// A standby promoted with a copy of the primary's configuration may still
// name a synchronous standby of its own, which does not exist: every
// commit then waits for it, forever. Clear synchronous_standby_names on
// the promoted server. Until then, WithTimeout bounds each write; when it
// cancels the wait, PostgreSQL keeps the commit on the promoted server
// with a warning, and the driver reports the write as applied or as
// ErrOutcomeUnknown, depending on whether the answer arrived in time.
//
// The repository's failover test (.ci/failover.sh, TestFailover) runs a
// primary and a synchronous standby on one machine, kills the primary
// with SIGKILL under four writers, promotes the standby, and checks that
// every acknowledged write is on it; README.md says what it measured.
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
