package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
)

// helperEnv, when set to a schema name, makes the test binary migrate that
// schema and exit instead of running tests: TestConcurrentMigrationProcesses
// runs two such processes at once.
const helperEnv = "CXKIT_PG_MIGRATE_HELPER"

func migrateHelper() int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := postgres.Open(ctx, os.Getenv(dsnEnv), postgres.WithSchema(os.Getenv(helperEnv)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "migrate helper:", err)
		return 1
	}
	_ = d.Close()
	return 0
}

// wantMigratedOnce checks that schema is at the driver's version and that
// each migration was applied exactly once.
func wantMigratedOnce(t *testing.T, schema string) {
	t.Helper()
	rows, err := pool(t).Query(context.Background(), `SELECT version FROM `+schema+`.cxkit_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != postgres.SchemaVersion || vs[len(vs)-1] != postgres.SchemaVersion {
		t.Fatalf("migrations table of %s: %v, want 1..%d once each", schema, vs, postgres.SchemaVersion)
	}
}

func TestConcurrentMigrationProcesses(t *testing.T) {
	testDSN(t)
	schema := freshSchema(t)
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"="+schema)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i])
		}
	}
	wantMigratedOnce(t, schema)
}

func TestConcurrentMigrationGoroutines(t *testing.T) {
	schema := freshSchema(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			d, err := postgres.New(context.Background(), pool(t), postgres.WithSchema(schema))
			if err == nil {
				err = d.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrator %d: %v", i, err)
		}
	}
	wantMigratedOnce(t, schema)
}

// lockRecord holds a row lock on kind/id in a transaction of its own until
// the test ends, so that a write to it blocks.
func lockRecord(t *testing.T, schema, kind, id string) {
	t.Helper()
	ctx := context.Background()
	tx, err := pool(t).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback(ctx) })
	if _, err := tx.Exec(ctx, `SELECT 1 FROM `+schema+`.records WHERE kind = $1 AND id = $2 FOR UPDATE`, kind, id); err != nil {
		t.Fatal(err)
	}
}

func TestContextDeadline(t *testing.T) {
	d := newDriver(t)
	ctx := context.Background()
	r, err := d.Create(ctx, store.Record{Kind: "c", ID: "x", Body: []byte("1")})
	if err != nil {
		t.Fatal(err)
	}
	lockRecord(t, d.Schema(), "c", "x")
	dctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = d.Update(dctx, r)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Update blocked past its deadline: %v, want an error wrapping context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("Update returned %v after its 200ms deadline", el)
	}
	t.Logf("deadline error: %v", err)
}

func TestStatementTimeout(t *testing.T) {
	cfg, err := pgxpool.ParseConfig(testDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "200"
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	d, err := postgres.New(context.Background(), p, postgres.WithSchema(freshSchema(t)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, err := d.Create(ctx, store.Record{Kind: "c", ID: "x", Body: []byte("1")})
	if err != nil {
		t.Fatal(err)
	}
	lockRecord(t, d.Schema(), "c", "x")
	start := time.Now()
	_, err = d.Update(ctx, r)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Update past statement_timeout: %v, want an error wrapping context.DeadlineExceeded", err)
	}
	var se *store.Error
	if !errors.As(err, &se) || se.Kind != "c" || se.ID != "x" {
		t.Fatalf("statement timeout error %v does not name c/x", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("statement timeout surfaced after %v: it must not be retried", el)
	}
	t.Logf("statement timeout error: %v", err)
}

// TestServerRestart writes records while the server restarts: the driver
// must reconnect on its own, and every write it acknowledged must be there
// afterwards. Writes that failed during the restart may or may not have
// happened; that is what an error means.
func TestServerRestart(t *testing.T) {
	dsn := testDSN(t)
	restart := os.Getenv("CXKIT_POSTGRES_RESTART")
	if restart == "" {
		t.Skip("CXKIT_POSTGRES_RESTART is not set: skipping the server restart test (.ci/postgres.sh sets it)")
	}
	ctx := context.Background()
	schema := freshSchema(t)
	d, err := postgres.Open(ctx, dsn, postgres.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	const writers = 4
	var (
		acked     sync.Map // id -> true
		nAcked    atomic.Int64
		nFailed   atomic.Int64
		restarted atomic.Bool
		afterOK   atomic.Int64 // acknowledged after the restart
		stop      = make(chan struct{})
		wg        sync.WaitGroup
	)
	for w := range writers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("w%d-%06d", w, i)
				wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				_, err := d.Create(wctx, store.Record{Kind: "r", ID: id, Attrs: map[string]string{"w": fmt.Sprint(w)}, Body: []byte(id)})
				cancel()
				if err != nil {
					nFailed.Add(1)
					continue
				}
				acked.Store(id, true)
				nAcked.Add(1)
				if restarted.Load() {
					afterOK.Add(1)
				}
			}
		})
	}
	startTime := func() (t time.Time) {
		if err := d.Pool().QueryRow(ctx, `SELECT pg_postmaster_start_time()`).Scan(&t); err != nil {
			t = time.Time{}
		}
		return t
	}
	before := startTime()
	time.Sleep(300 * time.Millisecond)
	out, err := exec.Command(restart).CombinedOutput()
	if err != nil {
		close(stop)
		wg.Wait()
		t.Fatalf("restarting the server: %v\n%s", err, out)
	}
	restarted.Store(true)
	if testPool != nil {
		testPool.Reset() // the shared pool's connections died with the server
	}
	deadline := time.Now().Add(20 * time.Second)
	for afterOK.Load() < 100 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if afterOK.Load() < 100 {
		t.Fatalf("only %d writes succeeded in 20s after the restart: the driver did not reconnect", afterOK.Load())
	}
	if after := startTime(); !after.After(before) {
		t.Fatalf("server start time %v, before the restart %v: it did not restart", after, before)
	}
	var lost []string
	acked.Range(func(k, _ any) bool {
		if _, err := d.Get(ctx, "r", k.(string)); err != nil {
			lost = append(lost, fmt.Sprintf("%s: %v", k, err))
		}
		return len(lost) < 10
	})
	if len(lost) > 0 {
		t.Fatalf("acknowledged writes lost after the restart: %v", lost)
	}
	t.Logf("%d writes acknowledged (%d after the restart), %d failed during it; none lost", nAcked.Load(), afterOK.Load(), nFailed.Load())
}
