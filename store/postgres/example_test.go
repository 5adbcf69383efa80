package postgres_test

import (
	"context"
	"fmt"
	"log"
	"os"

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
