package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
)

// Complaint is an application type stored through the portable layer.
type Complaint struct {
	store.Meta
	Category string
	Summary  string
}

// Opening the driver from a DSN, in a schema of its own, and using it
// through store.Collection exactly as with the file driver. The example has
// no Output comment: it needs a server, so it is compiled but not run.
func Example() {
	ctx := context.Background()
	d, err := postgres.Open(ctx, os.Getenv("CXKIT_POSTGRES_DSN"), postgres.WithSchema("acme"))
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	complaints := store.NewCollection(d, "complaint", func(c *Complaint) map[string]string {
		return map[string]string{"category": c.Category}
	})
	c, err := complaints.Create(ctx, Complaint{Category: "delivery", Summary: "parcel late"})
	if err != nil {
		log.Fatal(err)
	}
	groups, err := complaints.Count(ctx, nil, "category") // GROUP BY in the database
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.ID != "", groups)
}

// Joining the host application's transaction: the CRM's own row and the
// complaint commit together or not at all.
func ExampleDriver_WithTx() {
	ctx := context.Background()
	d, err := postgres.Open(ctx, os.Getenv("CXKIT_POSTGRES_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	pool := d.Pool() // or the CRM's own *pgxpool.Pool

	tx, err := pool.Begin(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer tx.Rollback(ctx) // a no-op after Commit
	if _, err := tx.Exec(ctx, `UPDATE customers SET open_complaints = open_complaints + 1 WHERE id = $1`, "cust-42"); err != nil {
		log.Fatal(err)
	}
	complaints := store.NewCollection[Complaint](d.WithTx(tx), "complaint", nil)
	if _, err := complaints.Create(ctx, Complaint{Summary: "billed twice"}); err != nil {
		log.Fatal(err) // the transaction rolls back: no half-recorded complaint
	}
	if err := tx.Commit(ctx); err != nil {
		log.Fatal(err)
	}
}

// A primary and a standby: the DSN names both and asks for the one that
// takes writes, so the driver follows a failover without being reopened.
// The two outage errors say what the caller may do next.
func ExampleOpen_failover() {
	ctx := context.Background()
	d, err := postgres.Open(ctx, "postgres://app@db1:5432,db2:5432/crm?target_session_attrs=read-write",
		postgres.WithRetryBudget(time.Minute), // ride out a slow failover
		postgres.WithTimeout(10*time.Second))  // no write waits longer for an answer
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	r := store.Record{Kind: "complaint", ID: "01JD0000000000000000000000", Body: []byte(`{"summary":"parcel late"}`)}
	_, err = d.Create(ctx, r)
	switch {
	case errors.Is(err, store.ErrUnavailable):
		// Nothing was saved: try again later.
	case errors.Is(err, store.ErrOutcomeUnknown):
		// It may have been saved: read before writing again. (Repeating
		// this create is safe: finding its own record, it succeeds.)
	case err != nil:
		log.Fatal(err)
	}
}
