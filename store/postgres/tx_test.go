package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
	"github.com/cxkit/cxkit/store/storetest"
)

// crmTable creates the host application's own table next to the store's
// schema and returns its name.
func crmTable(t *testing.T, d *postgres.Driver) string {
	t.Helper()
	name := d.Schema() + ".crm_customers"
	if _, err := pool(t).Exec(context.Background(), `CREATE TABLE `+name+` (id text PRIMARY KEY, complaint text)`); err != nil {
		t.Fatal(err)
	}
	return name
}

// wantBoth checks that the CRM's row and the record are both there, or
// both not.
func wantBoth(t *testing.T, d *postgres.Driver, table, id string, want bool) {
	t.Helper()
	ctx := context.Background()
	var n int
	if err := pool(t).QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE id = $1`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	_, err := d.Get(ctx, "complaint", id)
	switch {
	case want && (n != 1 || err != nil):
		t.Fatalf("after commit: CRM rows %d, record: %v; want both", n, err)
	case !want && (n != 0 || !errors.Is(err, store.ErrNotFound)):
		t.Fatalf("after rollback: CRM rows %d, record: %v; want neither", n, err)
	}
}

// hostTx abstracts the two kinds of host transaction for the table test.
type hostTx struct {
	exec     func(sql string, args ...any) error
	driver   *postgres.Driver
	commit   func() error
	rollback func() error
}

func TestHostTransaction(t *testing.T) {
	ctx := context.Background()
	d := newDriver(t)
	table := crmTable(t, d)
	db := stdlib.OpenDBFromPool(pool(t))
	defer db.Close()

	kinds := map[string]func(t *testing.T) hostTx{
		"pgx.Tx": func(t *testing.T) hostTx {
			tx, err := pool(t).Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return hostTx{
				exec:     func(q string, args ...any) error { _, err := tx.Exec(ctx, q, args...); return err },
				driver:   d.WithTx(tx),
				commit:   func() error { return tx.Commit(ctx) },
				rollback: func() error { return tx.Rollback(ctx) },
			}
		},
		"sql.Tx": func(t *testing.T) hostTx {
			tx, err := db.BeginTx(ctx, &sql.TxOptions{})
			if err != nil {
				t.Fatal(err)
			}
			return hostTx{
				exec:     func(q string, args ...any) error { _, err := tx.ExecContext(ctx, q, args...); return err },
				driver:   d.WithSQLTx(tx),
				commit:   tx.Commit,
				rollback: tx.Rollback,
			}
		},
	}
	for name, begin := range kinds {
		for _, commit := range []bool{true, false} {
			what := "rollback"
			if commit {
				what = "commit"
			}
			t.Run(name+"/"+what, func(t *testing.T) {
				id := name[:3] + "-" + what
				h := begin(t)
				if err := h.exec(`INSERT INTO `+table+` (id, complaint) VALUES ($1, 'late delivery')`, id); err != nil {
					t.Fatal(err)
				}
				r, err := h.driver.Create(ctx, store.Record{Kind: "complaint", ID: id, Attrs: map[string]string{"status": "open"}, Body: []byte(`{}`)})
				if err != nil {
					t.Fatal(err)
				}
				// The record is visible inside the transaction, not outside.
				if _, err := h.driver.Get(ctx, "complaint", id); err != nil {
					t.Fatalf("Get inside the transaction: %v", err)
				}
				if _, err := d.Get(ctx, "complaint", id); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("Get outside the uncommitted transaction: %v, want ErrNotFound", err)
				}
				// A failing batch must leave the transaction usable and
				// change nothing (savepoint).
				stale := r
				stale.Version = 7
				_, err = h.driver.Batch(ctx, []store.Write{
					{Action: store.ActionCreate, Record: store.Record{Kind: "complaint", ID: id + "-b"}},
					{Action: store.ActionUpdate, Record: stale},
				})
				if !errors.Is(err, store.ErrConflict) {
					t.Fatalf("Batch with a stale version: %v, want ErrConflict", err)
				}
				if got, err := h.driver.Get(ctx, "complaint", id); err != nil || got.Version != 1 {
					t.Fatalf("after failed batch: %+v, %v; want version 1", got, err)
				}
				if _, err := h.driver.Get(ctx, "complaint", id+"-b"); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("after failed batch, its create: %v, want ErrNotFound", err)
				}
				if commit {
					err = h.commit()
				} else {
					err = h.rollback()
				}
				if err != nil {
					t.Fatal(err)
				}
				wantBoth(t, d, table, id, commit)
			})
		}
	}
}

// TestConformanceInTx runs the whole suite on a driver bound to a host's
// transaction, rolled back at the end: joining a transaction must not
// change the contract.
func TestConformanceInTx(t *testing.T) {
	testDSN(t)
	ctx := context.Background()
	storetest.Run(t, func(t *testing.T) store.Driver {
		d := newDriver(t)
		tx, err := pool(t).Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = tx.Rollback(ctx) })
		return d.WithTx(tx)
	})
}

// TestConformanceInSQLTx is TestConformanceInTx for a database/sql
// transaction through pgx's stdlib driver.
func TestConformanceInSQLTx(t *testing.T) {
	testDSN(t)
	ctx := context.Background()
	storetest.Run(t, func(t *testing.T) store.Driver {
		d := newDriver(t)
		db := stdlib.OpenDBFromPool(pool(t))
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = tx.Rollback()
			_ = db.Close()
		})
		return d.WithSQLTx(tx)
	})
}
