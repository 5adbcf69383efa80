package store_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
)

// Complaint is an application type: it embeds store.Meta, which carries
// the ID, version and timestamps, and the rest is encoded as JSON.
type Complaint struct {
	store.Meta
	Summary  string    `json:"summary"`
	Category string    `json:"category"`
	Received time.Time `json:"received"`
}

// Example_collection shows the life of a value in a Collection: create,
// optimistic update, filtered listing, a range over times and a grouped
// count.
func Example_collection() {
	ctx := context.Background()
	db := memory.New()
	defer db.Close()

	// The index names the attributes lists and counts can filter on;
	// TimeKey keeps times in an order every driver can compare.
	complaints := store.NewCollection(db, "complaint", func(c *Complaint) map[string]string {
		return map[string]string{"category": c.Category, "received": store.TimeKey(c.Received)}
	})

	day := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	for i, cat := range []string{"delivery", "billing", "delivery"} {
		if _, err := complaints.Create(ctx, Complaint{Summary: fmt.Sprint("complaint ", i), Category: cat, Received: day.AddDate(0, 0, i)}); err != nil {
			panic(err)
		}
	}

	// Update needs the version that was read: a stale one changes nothing.
	first, _, _ := complaints.List(ctx, store.Query{Limit: 1})
	c := first[0]
	c.Summary = "parcel arrived broken"
	updated, err := complaints.Update(ctx, c)
	fmt.Println("updated to version", updated.Version, err)
	_, err = complaints.Update(ctx, c)
	fmt.Println("stale update conflicts:", errors.Is(err, store.ErrConflict))

	// All pages of a filtered list, in order of arrival.
	for v, err := range complaints.All(ctx, store.Query{Filters: []store.Filter{store.Where("category", "delivery")}}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(v.Summary)
	}

	// A half-open time range, then counts grouped by category.
	since := store.Between("received", store.TimeKey(day.AddDate(0, 0, 1)), store.TimeKey(day.AddDate(0, 0, 7)))
	groups, _ := complaints.Count(ctx, since, "category")
	for _, g := range groups {
		fmt.Println(g.Values[0], g.Count)
	}
	// Output:
	// updated to version 2 <nil>
	// stale update conflicts: true
	// parcel arrived broken
	// complaint 2
	// billing 1
	// delivery 1
}

// Ticket is the type of the package doc's first snippet.
type Ticket struct {
	store.Meta        // ID, version and times, filled by the collection
	Title      string `json:"title"`
	Team       string `json:"team"`
}

// The package doc's first snippet, as it runs.
func Example() {
	ctx := context.Background()
	driver := memory.New()
	defer driver.Close()

	tickets := store.NewCollection(driver, "ticket", func(t *Ticket) map[string]string {
		return map[string]string{"team": t.Team} // what lists and counts filter on
	})
	t, err := tickets.Create(ctx, Ticket{Title: "Refund late", Team: "billing"})
	if err != nil {
		panic(err)
	}
	t, err = tickets.Mutate(ctx, t.ID, func(t *Ticket) error { t.Team = "payments"; return nil })
	if err != nil {
		panic(err)
	}
	for t, err := range tickets.All(ctx, store.Query{Filters: []store.Filter{store.Where("team", "payments")}}) {
		fmt.Println(t.Title, t.Version, err)
	}
	// Output: Refund late 2 <nil>
}

// ExampleCollection_Mutate shows a read-modify-write that retries when
// another writer got there first.
func ExampleCollection_Mutate() {
	ctx := context.Background()
	db := memory.New()
	defer db.Close()
	complaints := store.NewCollection[Complaint](db, "complaint", nil)

	c, _ := complaints.Create(ctx, Complaint{Summary: "no reply"})
	c, err := complaints.Mutate(ctx, c.ID, func(c *Complaint) error {
		c.Summary += " (escalated)"
		return nil
	})
	fmt.Println(c.Summary, c.Version, err)
	// Output: no reply (escalated) 2 <nil>
}

// ExampleCollection_CreateMany shows that batches need a driver that can
// apply them atomically, and fail honestly otherwise.
func ExampleCollection_CreateMany() {
	ctx := context.Background()
	db := memory.New() // a store.Batcher
	defer db.Close()
	complaints := store.NewCollection[Complaint](db, "complaint", nil)
	vs, err := complaints.CreateMany(ctx, []Complaint{{Summary: "a"}, {Summary: "b"}})
	fmt.Println(len(vs), err)

	// A driver without Batcher: nothing is written.
	type plainDriver struct{ store.Driver }
	plain := store.NewCollection[Complaint](plainDriver{db}, "complaint", nil)
	_, err = plain.CreateMany(ctx, []Complaint{{Summary: "c"}})
	fmt.Println(errors.Is(err, errors.ErrUnsupported))
	// Output:
	// 2 <nil>
	// true
}
