package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cxkit/cxkit/store"
)

// TestEqualityListReadsOnePage lists with two equality filters (the due
// list's shape: org, and open = 1 on one record in twenty), and checks two
// things: every page is right, in both orders, and a page reads O(page)
// attribute rows wherever its cursor is, as EXPLAIN ANALYZE counts them.
// Merging the two attribute ranges (the plan the planner chose before the
// list drove from one filter) reads about twenty org entries per open
// record, and a hash join reads them all.
func TestEqualityListReadsOnePage(t *testing.T) {
	d := newDriver(t)
	ctx := context.Background()
	const n, limit = 3000, 20
	ws := make([]store.Write, n)
	for i := range ws {
		open := "0"
		if i%20 == 7 {
			open = "1"
		}
		ws[i] = store.Write{Action: store.ActionCreate, Record: store.Record{
			Kind: "k", ID: fmt.Sprintf("id%05d", i),
			Attrs: map[string]string{"org": "acme", "open": open, "p": fmt.Sprint(i % 3)},
		}}
	}
	if _, err := d.Batch(ctx, ws); err != nil {
		t.Fatal(err)
	}
	// The statistics a settled table has, so that the planner plans on
	// counts rather than on an empty table's defaults.
	for _, tab := range []string{"records", "attrs"} {
		if _, err := pool(t).Exec(ctx, "ANALYZE "+pgx.Identifier{d.Schema(), tab}.Sanitize()); err != nil {
			t.Fatal(err)
		}
	}
	due := []store.Filter{store.Where("org", "acme"), store.Where("open", "1")}
	for _, c := range []struct {
		name    string
		filters []store.Filter
	}{
		{"org and open", due},
		{"open and org", []store.Filter{due[1], due[0]}},
		{"org, open and in", append(slices.Clone(due), store.WhereIn("p", "0", "2"))},
		{"org, open and range", append(slices.Clone(due), store.Filter{Attr: "p", Op: store.OpLte, Values: []string{"1"}})},
		{"open and a value nobody has", []store.Filter{due[1], store.Where("org", "other")}},
	} {
		checkListing(t, d, c.name, ws, c.filters, []int{1, 7, limit, 1000})
	}

	// Attribute rows a page of the due list reads, at the start, in the
	// middle and near the end, both ways round.
	for _, order := range []store.Order{store.OrderAscending, store.OrderDescending} {
		for _, after := range []string{"", ws[n/2].Record.ID, ws[n-n/10].Record.ID, ws[n/10].Record.ID} {
			if order == store.OrderAscending && after == ws[n/10].Record.ID || order == store.OrderDescending && after == ws[n-n/10].Record.ID {
				continue
			}
			sql, args := d.ListSQL("k", store.Query{Filters: due, Order: order, After: after}, limit)
			read := attrRowsRead(t, sql, args)
			t.Logf("order %d, after %q: %d attribute rows read", order, after, read)
			// The driver's window probe reads a quarter of a page's worth of
			// each filter's entries at most, and the page as many again as
			// it returns.
			if bound := 2 * (limit + 1); read > bound {
				t.Errorf("order %d, after %q: the page read %d attribute rows, want at most %d (O(page))", order, after, read, bound)
			}
		}
	}
}

// attrRowsRead runs EXPLAIN ANALYZE of sql and sums the rows that the
// plan's scans of the attrs table returned.
func attrRowsRead(t *testing.T, sql string, args []any) int {
	t.Helper()
	var out []byte
	err := pool(t).QueryRow(context.Background(), "EXPLAIN (ANALYZE, FORMAT JSON) "+sql, append([]any{pgx.QueryExecModeCacheDescribe}, args...)...).Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		Relation string  `json:"Relation Name"`
		Rows     float64 `json:"Actual Rows"`
		Loops    float64 `json:"Actual Loops"`
		Plans    []node  `json:"Plans"`
	}
	var plans []struct {
		Plan node `json:"Plan"`
	}
	if err := json.Unmarshal(out, &plans); err != nil {
		t.Fatal(err)
	}
	var sum func(n node) float64
	sum = func(n node) float64 {
		s := 0.0
		if n.Relation == "attrs" {
			s = n.Rows * n.Loops
		}
		for _, c := range n.Plans {
			s += sum(c)
		}
		return s
	}
	total := 0
	for _, p := range plans {
		total += int(sum(p.Plan))
	}
	return total
}
