package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// TestRangeListBothWays pages through range queries whose pages are found
// both ways (see rangeSQL): walking IDs while matches are common after the
// cursor, seeking from the range when they are rare there and the range is
// narrow ("at" follows the ID order, so its ranges are stretches of IDs).
// With limits of 1, 5 and 1000 the choice changes within one listing, in
// both orders; every listing must return exactly the matching records, in
// order.
func TestRangeListBothWays(t *testing.T) {
	d := newDriver(t)
	ctx := context.Background()
	ws := make([]store.Write, 300)
	for i := range ws {
		ws[i] = store.Write{Action: store.ActionCreate, Record: store.Record{
			Kind: "k", ID: fmt.Sprintf("id%04d", i),
			Attrs: map[string]string{"t": fmt.Sprintf("%04d", (i*7)%300), "p": fmt.Sprint(i % 3), "q": fmt.Sprint(i % 2), "at": fmt.Sprintf("%04d", i)},
		}}
	}
	if _, err := d.Batch(ctx, ws); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		filters []store.Filter
	}{
		{"range", store.Between("t", "0050", "0250")},
		{"range and equality", append(store.Between("t", "0050", "0250"), store.Where("p", "1"))},
		{"range, equality and in", append(store.Between("t", "0010", "0290"), store.Where("p", "2"), store.WhereIn("q", "1"))},
		{"one-sided range", []store.Filter{{Attr: "t", Op: store.OpGt, Values: []string{"0200"}}}},
		{"two ranges", append(store.Between("t", "0000", "0280"), store.Filter{Attr: "p", Op: store.OpLte, Values: []string{"1"}})},
		// Matches in one stretch of IDs, far from the start: found from
		// the range's index entries.
		{"narrow range late", store.Between("at", "0250", "0262")},
		{"narrow range early, with equality", append(store.Between("at", "0010", "0030"), store.Where("p", "1"))},
		{"narrow range in the middle, with a second range", append(store.Between("at", "0140", "0160"), store.Filter{Attr: "t", Op: store.OpGte, Values: []string{"0100"}})},
	} {
		checkListing(t, d, c.name, ws, c.filters, []int{1, 5, 1000})
	}
}

// checkListing pages through the records of kind "k" that filters keep, in
// both orders at each of limits, and checks each listing returns exactly
// the records of ws that filters match, in order.
func checkListing(t *testing.T, d store.Driver, name string, ws []store.Write, filters []store.Filter, limits []int) {
	t.Helper()
	ctx := context.Background()
	var want []string
	for _, w := range ws {
		if driverkit.MatchAll(filters, w.Record.Attrs) {
			want = append(want, w.Record.ID)
		}
	}
	for _, order := range []store.Order{store.OrderAscending, store.OrderDescending} {
		for _, limit := range limits {
			q := store.Query{Filters: filters, Order: order, Limit: limit}
			var got []string
			for {
				p, err := d.List(ctx, "k", q)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range p.Records {
					got = append(got, r.ID)
				}
				if p.Next == "" {
					break
				}
				q.After = p.Next
			}
			w := slices.Clone(want)
			if order == store.OrderDescending {
				slices.Reverse(w)
			}
			if !slices.Equal(got, w) {
				t.Errorf("%s, order %s, limit %d: got %d records %v, want %d %v", name, order, limit, len(got), got, len(w), w)
			}
		}
	}
}
