package postgres_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
)

// TestExplainPlans loads CXKIT_PG_EXPLAIN records (e.g. 300000) of the
// benchmark workload into the schema "explain" (kept, and reused when it
// already holds them) and logs EXPLAIN ANALYZE of the list and count
// statements: the plans quoted in the package documentation.
//
//	CXKIT_PG_EXPLAIN=300000 go test -run TestExplainPlans -v
func TestExplainPlans(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CXKIT_PG_EXPLAIN"))
	if n == 0 {
		t.Skip("set CXKIT_PG_EXPLAIN=<records> to load them and log the query plans")
	}
	ctx := context.Background()
	d, err := postgres.New(ctx, pool(t), postgres.WithSchema("explain"))
	if err != nil {
		t.Fatal(err)
	}
	var have int
	if err := pool(t).QueryRow(ctx, `SELECT count(*) FROM explain.records`).Scan(&have); err != nil {
		t.Fatal(err)
	}
	if have != n {
		t.Logf("loading %d records into schema explain", n)
		if _, err := pool(t).Exec(ctx, `TRUNCATE explain.records, explain.attrs`); err != nil {
			t.Fatal(err)
		}
		load(t, ctx, driverEngine{d}, n, 1000)
		for _, table := range []string{"explain.records", "explain.attrs"} {
			if _, err := pool(t).Exec(ctx, `VACUUM ANALYZE `+table); err != nil { // as autovacuum would
				t.Fatal(err)
			}
		}
	}
	mid := benchRecord(n / 2).ID
	for _, c := range []explained{
		list("list, first page", d, store.Query{}),
		list("list, page after a cursor, descending", d, store.Query{After: mid, Order: store.OrderDescending}),
		list("list where category = 'billing'", d, store.Query{Filters: []store.Filter{store.Where("category", "billing")}, After: mid}),
		list("list where month in (2024-03, 2024-04)", d, store.Query{Filters: []store.Filter{store.WhereIn("month", "2024-03", "2024-04")}}),
		list("list where category = 'staff' and month in [2024-01, 2024-03)", d, store.Query{Filters: append([]store.Filter{store.Where("category", "staff")}, store.Between("month", "2024-01", "2024-03")...)}),
		count("count by category", d, nil, "category"),
		count("count by category, month", d, nil, "category", "month"),
		count("count where month in [2024-01, 2024-04) by category", d, store.Between("month", "2024-01", "2024-04"), "category"),
	} {
		rows, err := pool(t).Query(ctx, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "+c.sql, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, "    "+line)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		t.Logf("%s:\n%s", c.name, strings.Join(plan, "\n"))
	}
}

type explained struct {
	name string
	sql  string
	args []any
}

func list(name string, d *postgres.Driver, q store.Query) explained {
	sql, args := d.ListSQL(benchKind, q, store.DefaultLimit)
	return explained{name, sql, args}
}

func count(name string, d *postgres.Driver, fs []store.Filter, groupBy ...string) explained {
	sql, args := d.CountSQL(benchKind, fs, groupBy...)
	return explained{name, sql, args}
}
