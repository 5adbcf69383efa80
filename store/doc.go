// Package store keeps an application's values in any storage driver:
//
//	type Ticket struct {
//		store.Meta        // ID, version and times, filled by the collection
//		Title      string `json:"title"`
//		Team       string `json:"team"`
//	}
//
//	tickets := store.NewCollection(driver, "ticket", func(t *Ticket) map[string]string {
//		return map[string]string{"team": t.Team} // what lists and counts filter on
//	})
//	t, err := tickets.Create(ctx, Ticket{Title: "Refund late", Team: "billing"})
//	t, err = tickets.Mutate(ctx, t.ID, func(t *Ticket) error { t.Team = "payments"; return nil })
//	for t, err := range tickets.All(ctx, store.Query{Filters: []store.Filter{store.Where("team", "payments")}}) {
//		fmt.Println(t.Title, t.Version, err)
//	}
//
// The driver is store/file (a directory on disk, the embedded default),
// store/memory (tests, examples, caches) or store/postgres (its own module,
// for several hosts).
//
// # Collections
//
// A Collection[T] stores values of a type that embeds Meta. It encodes them
// as JSON, assigns ULID IDs (so ID order is arrival order), and checks
// versions: a stale write fails with ErrConflict and changes nothing, and
// Mutate reads, changes and writes again until it wins or runs out of
// attempts (WithRetryAttempts). It counts through the driver's Counter or,
// lacking one, by streaming. It never fakes atomicity: CreateMany and Batch
// need a Batcher and otherwise fail with errors.ErrUnsupported.
//
// Attributes compare byte by byte; TimeKey and IntKey encode times and
// numbers so that byte order is their natural order, which makes ranges
// (Between) work on every driver.
//
// Errors wrap the sentinels of this package (ErrNotFound, ErrConflict,
// ErrInvalid, ...): test them with errors.Is.
//
// # Drivers
//
// A Driver stores Records: a kind (like a table), an ID, a version, a few
// string attributes, an opaque body, and created and updated times. It
// offers get, create, update-if-version, delete-if-version, a filtered list
// paged by cursor, and close; context first in every method. Two optional
// interfaces are found by type assertion, database/sql style: Counter and
// Batcher.
//
// Drivers that talk to a server have two more outcomes to report, and
// must tell them apart: ErrUnavailable (nothing was applied; repeating the
// call is safe) and ErrOutcomeUnknown (a write was sent and its answer
// lost; it may have been applied, so read before writing again). An
// embedded driver (store/file, store/memory) never returns the second.
//
// The driver is the one place where arguments are checked: Collection
// passes them on, and the driver refuses what breaks the contract with
// ErrInvalid, writing nothing. Driver authors find those checks, and Wrap
// for drivers that wrap another, in store/driverkit; store/storetest checks
// a driver against the whole contract in one line:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Driver { return mydriver.Open(t.TempDir()) })
//	}
package store
