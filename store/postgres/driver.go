package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// DefaultSchema is the schema the driver uses when no WithSchema is given.
const DefaultSchema = "cxkit"

// Driver is a store.Driver on PostgreSQL. It also implements store.Counter
// and store.Batcher. It is safe for concurrent use.
type Driver struct {
	cfg    config
	sql    *statements
	q      querier
	pool   *pgxpool.Pool // nil for a driver bound to a host's transaction
	owns   bool          // Close closes pool
	inTx   bool          // q is a host transaction: no retries, savepoints for batches
	txMu   *sync.Mutex   // with inTx: one operation at a time (see WithTx)
	closed *atomic.Bool
}

var (
	_ store.Driver  = (*Driver)(nil)
	_ store.Counter = (*Driver)(nil)
	_ store.Batcher = (*Driver)(nil)
)

type config struct {
	schema      string
	retryBudget time.Duration
	timeout     time.Duration
}

// An Option configures Open and New.
type Option func(*config)

// WithSchema makes the driver keep its tables in the named schema, created
// on first use. Tenants sharing one database each get their own schema.
// The name must be lower-case letters, digits and '_' (no quoting needed),
// and not a reserved or system schema (public, information_schema, or
// anything starting with pg_): Open and New refuse it with store.ErrInvalid
// before touching the database. The default is DefaultSchema.
func WithSchema(name string) Option { return func(c *config) { c.schema = name } }

// WithRetryBudget sets how long the driver keeps retrying an operation
// that failed where retrying is safe: the server unreachable, restarting or
// not yet promoted (nothing was applied), a serialization failure or a
// deadlock (rolled back). Retries back off exponentially, with jitter, and
// stop when the caller's context ends. When the budget is spent the last
// error is returned, wrapping store.ErrUnavailable for an outage. 0
// disables retries; the default is DefaultRetryBudget.
func WithRetryBudget(d time.Duration) Option {
	return func(c *config) { c.retryBudget = max(d, 0) }
}

// WithTimeout bounds each attempt of an operation: a statement, or a
// batch's transaction including its commit. A write whose attempt times
// out after it was sent fails with store.ErrOutcomeUnknown, since the
// server may have committed it; a read is retried. It is what keeps a
// commit from waiting forever on a synchronous standby that will not
// answer (see the package doc on failover). 0 leaves attempts bounded only
// by the caller's context; the default is DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = max(d, 0) }
}

// Open connects to the database named by dsn (a URL or key=value string, as
// pgxpool.ParseConfig accepts), creates or migrates the schema, and returns
// a driver that owns the pool: Close closes it.
func Open(ctx context.Context, dsn string, opts ...Option) (*Driver, error) {
	pc, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	d, err := New(ctx, pool, opts...)
	if err != nil {
		pool.Close()
		return nil, err
	}
	d.owns = true
	return d, nil
}

// New returns a driver on an existing pool, after creating or migrating the
// schema. The pool stays the caller's: Close leaves it open.
func New(ctx context.Context, pool *pgxpool.Pool, opts ...Option) (*Driver, error) {
	cfg := config{schema: DefaultSchema, retryBudget: DefaultRetryBudget, timeout: DefaultTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	if err := checkSchemaName(cfg.schema); err != nil {
		return nil, fmt.Errorf("postgres: %w: WithSchema: schema name %w", store.ErrInvalid, err)
	}
	if err := migrate(ctx, pool, cfg.schema, cfg.retryBudget); err != nil {
		return nil, wrapErr(ctx, "open", "", "", fmt.Errorf("postgres: migrating schema %s: %w", cfg.schema, err))
	}
	return &Driver{
		cfg:    cfg,
		sql:    newStatements(cfg.schema),
		q:      poolQuerier{pool},
		pool:   pool,
		closed: new(atomic.Bool),
	}, nil
}

// Pool returns the connection pool the driver runs on, for the
// application's own queries and transactions (see WithTx); nil for a driver
// bound to a transaction. The pool belongs to whoever created it: do not
// close it while the driver is in use.
func (d *Driver) Pool() *pgxpool.Pool { return d.pool }

// Schema returns the name of the schema the driver stores into.
func (d *Driver) Schema() string { return d.cfg.schema }

// ready fails a call on a closed driver or a done context before any SQL
// runs, so that both are reported the same way on every path.
func (d *Driver) ready(ctx context.Context, op, kind, id string) error {
	if err := ctx.Err(); err != nil {
		return &store.Error{Op: op, Kind: kind, ID: id, Err: err}
	}
	if d.closed.Load() {
		return errClosed(op, kind, id)
	}
	return nil
}

// Get implements store.Driver.
func (d *Driver) Get(ctx context.Context, kind, id string) (store.Record, error) {
	if err := driverkit.CheckGet(kind, id); err != nil {
		return store.Record{}, err
	}
	if err := d.ready(ctx, "get", kind, id); err != nil {
		return store.Record{}, err
	}
	defer d.enter()()
	var recs []store.Record
	err := d.retry(ctx, false, false, func(ctx context.Context) (err error) {
		recs, err = d.scanRecords(ctx, d.q.query, kind, 1, d.sql.get, kind, id)
		return err
	})
	if err != nil {
		return store.Record{}, wrapErr(ctx, "get", kind, id, err)
	}
	if len(recs) == 0 {
		return store.Record{}, &store.Error{Op: "get", Kind: kind, ID: id, Err: store.ErrNotFound}
	}
	return recs[0], nil
}

// Create implements store.Driver.
func (d *Driver) Create(ctx context.Context, r store.Record) (store.Record, error) {
	if err := driverkit.CheckRecord("create", r); err != nil {
		return store.Record{}, err
	}
	if err := d.ready(ctx, "create", r.Kind, r.ID); err != nil {
		return store.Record{}, err
	}
	defer d.enter()()
	var ok bool
	err := d.retry(ctx, true, true, func(ctx context.Context) (err error) {
		if !d.inTx {
			// A unique violation names the record: the plain insert is
			// enough, and cheapest.
			ok, err = d.createOne(ctx, d.q, r)
			return err
		}
		// In a host's transaction a failed statement would abort it.
		created, err := d.createMany(ctx, d.q, []store.Record{r}, true)
		ok = created[key{r.Kind, r.ID}]
		return err
	})
	if err != nil {
		return store.Record{}, wrapErr(ctx, "create", r.Kind, r.ID, err)
	}
	if !ok {
		if same, err := d.sameCreated(ctx, r); err != nil || !same {
			if err != nil {
				return store.Record{}, wrapErr(ctx, "create", r.Kind, r.ID, err)
			}
			return store.Record{}, &store.Error{Op: "create", Kind: r.Kind, ID: r.ID, Err: store.ErrAlreadyExists}
		}
	}
	return stored(r, 1, r.Created, nil), nil
}

// sameCreated reports whether the stored kind/id is r as Create would have
// stored it: version 1, the same attributes and body. That is what a
// create finds when it is repeated after its first attempt was applied
// but its answer lost (ErrOutcomeUnknown), by the driver's retry or by the
// caller's: reporting ErrAlreadyExists then would turn a success into a
// failure. A record created with the same ID but other content, or
// updated since, is another record, and stays ErrAlreadyExists.
func (d *Driver) sameCreated(ctx context.Context, r store.Record) (bool, error) {
	var recs []store.Record
	err := d.retry(ctx, false, false, func(ctx context.Context) (err error) {
		recs, err = d.scanRecords(ctx, d.q.query, r.Kind, 1, d.sql.get, r.Kind, r.ID)
		return err
	})
	if err != nil || len(recs) == 0 {
		return false, err
	}
	got := recs[0]
	return got.Version == 1 && bytes.Equal(got.Body, r.Body) && maps.Equal(got.Attrs, r.Attrs), nil
}

// Update implements store.Driver.
func (d *Driver) Update(ctx context.Context, r store.Record) (store.Record, error) {
	if err := driverkit.CheckRecord("update", r); err != nil {
		return store.Record{}, err
	}
	if err := d.ready(ctx, "update", r.Kind, r.ID); err != nil {
		return store.Record{}, err
	}
	defer d.enter()()
	var out store.Record
	err := d.retry(ctx, true, false, func(ctx context.Context) (err error) {
		out, err = d.update(ctx, d.q, "update", r)
		return err
	})
	if err != nil {
		return store.Record{}, wrapErr(ctx, "update", r.Kind, r.ID, err)
	}
	return out, nil
}

// Delete implements store.Driver.
func (d *Driver) Delete(ctx context.Context, kind, id string, version int64) error {
	if err := driverkit.CheckDelete(kind, id, version); err != nil {
		return err
	}
	if err := d.ready(ctx, "delete", kind, id); err != nil {
		return err
	}
	defer d.enter()()
	err := d.retry(ctx, true, false, func(ctx context.Context) error { return d.delete(ctx, d.q, "delete", kind, id, version) })
	return wrapErr(ctx, "delete", kind, id, err)
}

// Close implements store.Driver. A driver from Open closes its pool; one
// from New or WithTx leaves the pool or transaction to its owner.
func (d *Driver) Close() error {
	if d.closed.Swap(true) {
		return errClosed("close", "", "")
	}
	if d.owns {
		d.pool.Close()
	}
	return nil
}

// key names a record.
type key struct{ kind, id string }

// stored is what the database holds after a write of r: the given version
// and created time, and times cut to the microsecond as PostgreSQL keeps
// them (pgx truncates when it encodes), so that a write returns exactly what
// a later Get reads. The result shares no memory with r; with an arena, its
// body is copied into the arena's current chunk.
func stored(r store.Record, version int64, created time.Time, arena *bodyArena) store.Record {
	s := r
	if r.Attrs != nil {
		s.Attrs = maps.Clone(r.Attrs)
	}
	s.Body = arena.copy(r.Body)
	if s.Body == nil && r.Body != nil {
		s.Body = []byte{} // empty, not nil, as given
	}
	s.Version = version
	s.Created = created.Truncate(time.Microsecond)
	s.Updated = r.Updated.Truncate(time.Microsecond)
	return s
}

// bodyArena copies a batch's bodies into shared chunks: one allocation per
// chunk instead of one per record. A chunk is small, so that a record the
// caller keeps does not pin much memory besides its own body. The zero
// value, and a nil *bodyArena, are ready to use (nil allocates per body).
type bodyArena struct{ free []byte }

const arenaChunk = 64 << 10

// copy returns a copy of b, capacity-capped so that appending to it cannot
// overwrite a neighbour; empty bodies come back nil, as store.Record.Clone
// makes them.
func (a *bodyArena) copy(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	if a == nil || len(b) > arenaChunk/4 {
		return append([]byte(nil), b...)
	}
	if len(b) > cap(a.free)-len(a.free) {
		a.free = make([]byte, 0, arenaChunk)
	}
	start := len(a.free)
	a.free = append(a.free, b...)
	return a.free[start:len(a.free):len(a.free)]
}

// createMany inserts rs (all new records, distinct keys) and reports which
// were created; the others existed already. A nil map means all of them.
//
// With careful, it is one statement in which existing records are skipped
// with ON CONFLICT DO NOTHING rather than failing it, so that a duplicate
// never aborts a host's transaction and a batch can name its first
// duplicate. Without it, on a querier that can COPY, the records and their
// attribute rows are loaded with COPY, which PostgreSQL writes as
// multi-row inserts; a duplicate then fails the load with a unique
// violation, reported as errDuplicate, and the caller runs the careful
// statement in a fresh transaction to find out which record it was.
func (d *Driver) createMany(ctx context.Context, q querier, rs []store.Record, careful bool) (map[key]bool, error) {
	if cp, ok := q.(copier); ok && !careful {
		return nil, d.copyMany(ctx, cp, rs)
	}
	n := len(rs)
	kinds, ids, attrs, bodies := make([]string, n), make([]string, n), make([]string, n), make([][]byte, n)
	createds, updateds, empties := make([]time.Time, n), make([]time.Time, n), make([]int16, n)
	var ak, ai, an, av []string
	for i, r := range rs {
		kinds[i], ids[i], createds[i], updateds[i], empties[i] = r.Kind, r.ID, r.Created, r.Updated, emptyOf(r)
		attrs[i] = attrsJSON(r.Attrs)
		bodies[i] = bodyOf(r)
		for name, v := range r.Attrs {
			ak, ai, an, av = append(ak, r.Kind), append(ai, r.ID), append(an, name), append(av, v)
		}
	}
	res, err := q.query(ctx, d.sql.createMany, kinds, ids, attrs, bodies, createds, updateds, ak, ai, an, av, empties)
	if err != nil {
		return nil, err
	}
	defer res.Close()
	created := make(map[key]bool, n)
	for res.Next() {
		var k key
		if err := res.Scan(&k.kind, &k.id); err != nil {
			return nil, err
		}
		created[k] = true
	}
	if err := res.Err(); sqlState(err) == codeUniqueViolation {
		return nil, errDuplicate
	} else if err != nil {
		return nil, err
	}
	return created, nil
}

// copyMany loads new records and their attribute rows with COPY, in two
// binary streams the driver encodes as they are sent (see copy.go).
func (d *Driver) copyMany(ctx context.Context, cp copier, rs []store.Record) error {
	err := cp.copyFrom(ctx, d.sql.copyRecords, &copyStream{rs: rs})
	if err == nil && hasAttrs(rs) {
		err = cp.copyFrom(ctx, d.sql.copyAttrs, &copyStream{rs: rs, attrs: true})
	}
	if sqlState(err) == codeUniqueViolation {
		return errDuplicate
	}
	return err
}

// hasAttrs reports whether any of rs has attributes.
func hasAttrs(rs []store.Record) bool {
	for i := range rs {
		if len(rs[i].Attrs) > 0 {
			return true
		}
	}
	return false
}

// createOne creates one record that is not expected to exist, in one
// statement; ok is false if it did exist.
func (d *Driver) createOne(ctx context.Context, q querier, r store.Record) (ok bool, err error) {
	err = q.exec(ctx, d.sql.insertOne, r.Kind, r.ID, attrsJSON(r.Attrs), bodyOf(r), r.Created, r.Updated, emptyOf(r))
	if sqlState(err) == codeUniqueViolation {
		return false, nil
	}
	return err == nil, err
}

// The bits of the records.empty column: which of Attrs and Body were
// empty but not nil (see migration 4).
const (
	emptyAttrs = 1 << iota
	emptyBody
)

// emptyOf is r's records.empty value.
func emptyOf(r store.Record) int16 {
	var e int16
	if r.Attrs != nil && len(r.Attrs) == 0 {
		e |= emptyAttrs
	}
	if r.Body != nil && len(r.Body) == 0 {
		e |= emptyBody
	}
	return e
}

// bodyOf is r's body for the NOT NULL bytea column: nil is stored as empty
// (and read back as nil).
func bodyOf(r store.Record) []byte {
	if r.Body == nil {
		return []byte{}
	}
	return r.Body
}

// errDuplicate is createMany's report that a plain insert met an existing
// record: see createMany.
var errDuplicate = errors.New("postgres: a record of the batch exists already")

// update applies one versioned update in one statement. When nothing was
// updated, the version the statement saw tells a missing record
// (ErrNotFound) from a stale version (ErrConflict).
func (d *Driver) update(ctx context.Context, q querier, op string, r store.Record) (store.Record, error) {
	names, values := attrArrays(r.Attrs)
	res, err := q.query(ctx, d.sql.update, r.Kind, r.ID, r.Version, attrsJSON(r.Attrs), bodyOf(r), r.Updated, names, values, emptyOf(r))
	if err != nil {
		return store.Record{}, err
	}
	defer res.Close()
	var created *time.Time
	var cur *int64
	for res.Next() {
		if err := res.Scan(&created, &cur); err != nil {
			return store.Record{}, err
		}
	}
	if err := res.Err(); err != nil {
		return store.Record{}, err
	}
	switch {
	case created != nil:
		return stored(r, r.Version+1, *created, nil), nil
	case cur == nil:
		return store.Record{}, &store.Error{Op: op, Kind: r.Kind, ID: r.ID, Err: store.ErrNotFound}
	default:
		return store.Record{}, driverkit.Errorf(op, r.Kind, r.ID, store.ErrConflict, "stored version is %d, write expected %d", *cur, r.Version)
	}
}

// delete removes one record if its version matches, in one statement, and
// tells ErrNotFound from ErrConflict as update does.
func (d *Driver) delete(ctx context.Context, q querier, op, kind, id string, version int64) error {
	res, err := q.query(ctx, d.sql.delete, kind, id, version)
	if err != nil {
		return err
	}
	defer res.Close()
	var deleted int64
	var cur *int64
	for res.Next() {
		if err := res.Scan(&deleted, &cur); err != nil {
			return err
		}
	}
	if err := res.Err(); err != nil {
		return err
	}
	switch {
	case deleted > 0:
		return nil
	case cur == nil:
		return &store.Error{Op: op, Kind: kind, ID: id, Err: store.ErrNotFound}
	default:
		return driverkit.Errorf(op, kind, id, store.ErrConflict, "stored version is %d, delete expected %d", *cur, version)
	}
}

// queryFunc is querier.query or querier.queryCustom.
type queryFunc func(ctx context.Context, sql string, args ...any) (rows, error)

// scanRecords runs a query returning the record columns (id, version,
// attrs, body, created, updated) of kind and reads every row; limit is the
// expected count, to size the slice.
func (d *Driver) scanRecords(ctx context.Context, query queryFunc, kind string, limit int, sql string, args ...any) ([]store.Record, error) {
	res, err := query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer res.Close()
	out := make([]store.Record, 0, limit)
	for res.Next() {
		r := store.Record{Kind: kind}
		var attrs []byte
		var empty int16
		if err := res.Scan(&r.ID, &r.Version, &attrs, &r.Body, &r.Created, &r.Updated, &empty); err != nil {
			return nil, err
		}
		var err error
		if r.Attrs, err = decodeAttrs(attrs); err != nil {
			return nil, fmt.Errorf("postgres: attributes of %s/%s: %w", kind, r.ID, err)
		}
		if r.Attrs == nil && empty&emptyAttrs != 0 {
			r.Attrs = map[string]string{}
		}
		switch {
		case len(r.Body) > 0:
		case empty&emptyBody != 0:
			r.Body = []byte{}
		default:
			r.Body = nil
		}
		r.Created, r.Updated = r.Created.UTC(), r.Updated.UTC()
		out = append(out, r)
	}
	return out, res.Err()
}

// attrsJSON encodes attributes for the jsonb column.
func attrsJSON(a map[string]string) string {
	if len(a) == 0 {
		return "{}"
	}
	return string(appendAttrsJSON(make([]byte, 0, 16*len(a)+2), a))
}

// attrArrays lists attributes as two parallel arrays for unnest.
func attrArrays(a map[string]string) (names, values []string) {
	names, values = make([]string, 0, len(a)), make([]string, 0, len(a))
	for k, v := range a {
		names, values = append(names, k), append(values, v)
	}
	return names, values
}

// Batch implements store.Batcher: all writes run in one transaction (a
// savepoint inside a host's transaction), the creates loaded together (see
// createMany), and the first failing write, in the order given, is reported
// after everything is rolled back.
func (d *Driver) Batch(ctx context.Context, writes []store.Write) ([]store.Record, error) {
	if err := driverkit.CheckBatch(writes); err != nil {
		return nil, err
	}
	if err := d.ready(ctx, "batch", "", ""); err != nil {
		return nil, err
	}
	defer d.enter()()
	var out []store.Record
	careful := d.inTx // a savepoint could redo it, but a host's transaction is rarely a bulk load
	err := d.retry(ctx, true, false, func(ctx context.Context) error {
		err := d.atomically(ctx, func(q querier) (err error) {
			out, err = d.batch(ctx, q, writes, careful)
			return err
		})
		if err == errDuplicate && !careful {
			careful = true // rolled back: find which write it was
			err = d.atomically(ctx, func(q querier) (err error) {
				out, err = d.batch(ctx, q, writes, careful)
				return err
			})
		}
		return err
	})
	if err != nil {
		return nil, wrapErr(ctx, "batch", "", "", err)
	}
	return out, nil
}

func (d *Driver) batch(ctx context.Context, q querier, writes []store.Write, careful bool) ([]store.Record, error) {
	out := make([]store.Record, len(writes))
	first, firstErr := len(writes), error(nil)
	fail := func(i int, err error) {
		if i < first {
			first, firstErr = i, err
		}
	}
	var creates []store.Record
	for _, w := range writes {
		if w.Action == store.ActionCreate {
			creates = append(creates, w.Record)
		}
	}
	if len(creates) > 0 {
		// The copies of the created records that the batch returns are made
		// while the server loads them, on another core if there is one.
		copied := make(chan struct{})
		go func() {
			defer close(copied)
			var arena bodyArena
			for i, w := range writes {
				if w.Action == store.ActionCreate {
					out[i] = stored(w.Record, 1, w.Record.Created, &arena)
				}
			}
		}()
		created, err := d.createMany(ctx, q, creates, careful)
		<-copied
		if err != nil {
			return nil, err
		}
		for i, w := range writes {
			if r := w.Record; w.Action == store.ActionCreate && created != nil && !created[key{r.Kind, r.ID}] {
				fail(i, &store.Error{Op: "batch", Kind: r.Kind, ID: r.ID, Err: fmt.Errorf("write %d (create): %w", i, store.ErrAlreadyExists)})
			}
		}
	}
	for i, w := range writes {
		if i > first {
			break // the batch fails anyway: no need to run the rest
		}
		r := w.Record
		var err error
		switch w.Action {
		case store.ActionUpdate:
			out[i], err = d.update(ctx, q, "update", r)
		case store.ActionDelete:
			err = d.delete(ctx, q, "delete", r.Kind, r.ID, r.Version)
		default:
			continue
		}
		if se := (*store.Error)(nil); err != nil && errors.As(err, &se) {
			fail(i, &store.Error{Op: "batch", Kind: r.Kind, ID: r.ID, Err: fmt.Errorf("write %d (%s): %w", i, w.Action, se.Err)})
		} else if err != nil {
			return nil, err
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

// atomically runs fn in a transaction: a new one on the pool, or a
// savepoint in the host's transaction, so that a failure undoes fn's writes
// and nothing else (and leaves the host's transaction usable).
func (d *Driver) atomically(ctx context.Context, fn func(q querier) error) (err error) {
	if d.inTx {
		if err := d.q.exec(ctx, `SAVEPOINT cxkit_batch`); err != nil {
			return err
		}
		if err = fn(d.q); err != nil {
			if rerr := d.q.exec(context.WithoutCancel(ctx), `ROLLBACK TO SAVEPOINT cxkit_batch`); rerr == nil {
				_ = d.q.exec(context.WithoutCancel(ctx), `RELEASE SAVEPOINT cxkit_batch`)
			}
			return err
		}
		return d.q.exec(ctx, `RELEASE SAVEPOINT cxkit_batch`)
	}
	tx, err := d.pool.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return err
	}
	if err = fn(pgxTxQuerier{tx: tx}); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	return tx.Commit(ctx)
}
