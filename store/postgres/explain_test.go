package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
)

// TestExplainPlans logs EXPLAIN ANALYZE of the statements the domain
// packages run most, on CXKIT_PG_EXPLAIN complaints of the BenchmarkScale
// workload (loaded into scale_<n> if missing, and kept): a workflow step's
// update and a delete (run in a transaction that is rolled back), pages of
// 1,000 at several cursors with and without the period filters, a month's
// page (the probe and the page found from the range), the due list (open
// complaints), a customer's complaints, and grouped counts.
// These are the plans quoted in BENCHMARKS.md.
//
//	CXKIT_PG_EXPLAIN=100000 go test -run TestExplainPlans -v
func TestExplainPlans(t *testing.T) {
	testDSN(t)
	n := scaleExplain(t)
	ctx := context.Background()
	d := scaleDriver(t, n)
	mid, late := scaleRecord(n/2).ID, scaleRecord(n-2000).ID
	r, err := d.Get(ctx, scaleKind, scaleRecord(n/3).ID)
	if err != nil {
		t.Fatal(err)
	}
	r.Attrs["status"] = "escalated"
	r.Body = append(r.Body, ' ')
	month := periodFilters(n/2, n/2+scaleMonth)
	cases := []explained{
		write("update (a workflow step)")(d.UpdateSQL(r)),
		write("delete")(d.DeleteSQL(scaleKind, r.ID, r.Version)),
		list("page of 1000, first", d, store.Query{}),
		list("page of 1000 after the middle", d, store.Query{After: mid}),
		list("page of 1000 near the end", d, store.Query{After: late}),
		list("period page (org, received in a range covering all), first", d, store.Query{Filters: periodFilters(0, 2*n)}),
		list("period page after the middle", d, store.Query{Filters: periodFilters(0, 2*n), After: mid}),
		probe("one month (org, received in one month): the probe", d, store.Query{Filters: month}),
		seek("one month, first page, found from the range (the probe's choice)", d, store.Query{Filters: month}),
		probe("period page after the middle: the probe", d, store.Query{Filters: periodFilters(0, 2*n), After: mid}),
		list("due list (org, open = 1), first page", d, store.Query{Filters: openFilters}),
		list("due list after the middle", d, store.Query{Filters: openFilters, After: mid}),
		list("a customer's complaints (org, customer)", d, store.Query{Filters: []store.Filter{store.Where("org", scaleOrg), store.Where("customer", r.Attrs["customer"])}}),
		count("count of one month by category", d, month, "category"),
		count("count of one month by category, status", d, month, "category", "status"),
	}
	for _, c := range cases {
		tx, err := pool(t).Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// A custom plan, as the driver gets (see customPlans).
		rows, err := tx.Query(ctx, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) "+c.sql, append([]any{pgx.QueryExecModeCacheDescribe}, c.args...)...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(line, "Planning Time") {
				plan = append(plan, "    "+line)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_ = tx.Rollback(ctx)
		t.Logf("%s:\n%s", c.name, strings.Join(plan, "\n"))
	}
}

type explained struct {
	name string
	sql  string
	args []any
}

func write(name string) func(sql string, args []any) explained {
	return func(sql string, args []any) explained { return explained{name, sql, args} }
}

func list(name string, d *postgres.Driver, q store.Query) explained {
	sql, args := d.ListSQL(scaleKind, q, store.MaxLimit)
	return explained{name, sql, args}
}

func count(name string, d *postgres.Driver, fs []store.Filter, groupBy ...string) explained {
	sql, args := d.CountSQL(scaleKind, fs, groupBy...)
	return explained{name, sql, args}
}

func probe(name string, d *postgres.Driver, q store.Query) explained {
	sql, args, _, _ := d.RangeSQL(scaleKind, q, store.MaxLimit)
	return explained{name, sql, args}
}

func seek(name string, d *postgres.Driver, q store.Query) explained {
	_, _, sql, args := d.RangeSQL(scaleKind, q, store.MaxLimit)
	return explained{name, sql, args}
}
