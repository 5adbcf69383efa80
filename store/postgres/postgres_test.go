package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
	"github.com/cxkit/cxkit/store/storetest"
)

// dsnEnv names the variable that points the tests at a server; .ci/postgres.sh
// starts a throwaway one and sets it.
const dsnEnv = "CXKIT_POSTGRES_DSN"

// testDSN returns the server's DSN or skips the test, loudly: without a
// server these tests prove nothing, and must not look as if they passed.
func testDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		tb.Skipf("%s is not set: skipping the tests that need PostgreSQL (run .ci/postgres.sh to start a throwaway server and run them)", dsnEnv)
	}
	return dsn
}

// testPool is one pool per test binary, shared by the tests that do not
// own theirs, so that the suite does not open hundreds of connections.
var testPool *pgxpool.Pool

func pool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	dsn := testDSN(tb)
	if testPool == nil {
		p, err := pgxpool.New(context.Background(), dsn)
		if err != nil {
			tb.Fatal(err)
		}
		testPool = p
	}
	return testPool
}

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(migrateHelper())
	}
	code := m.Run()
	if testPool != nil {
		testPool.Close()
	}
	os.Exit(code)
}

// freshSchema returns a new schema name and drops the schema when the test
// ends, so that tests never see each other's records.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	p := pool(tb)
	tb.Cleanup(func() {
		if _, err := p.Exec(context.Background(), `DROP SCHEMA IF EXISTS `+name+` CASCADE`); err != nil {
			tb.Errorf("dropping schema %s: %v", name, err)
		}
	})
	return name
}

// newDriver opens a driver on the shared pool in a fresh schema.
func newDriver(tb testing.TB) *postgres.Driver {
	tb.Helper()
	d, err := postgres.New(context.Background(), pool(tb), postgres.WithSchema(freshSchema(tb)))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestConformance(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) store.Driver { return newDriver(t) })
}

// TestConformanceOpen runs the suite on a driver from Open (its own pool,
// from a DSN), which is how most programs start.
func TestConformanceOpen(t *testing.T) {
	dsn := testDSN(t)
	storetest.Run(t, func(t *testing.T) store.Driver {
		d, err := postgres.Open(context.Background(), dsn, postgres.WithSchema(freshSchema(t)))
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}
