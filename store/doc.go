// Package store is cxkit's storage contract: a small, domain-free Driver
// interface that storage adapters implement, and a portable generic layer,
// Collection, that the domain packages use on top of any driver.
//
// # For adapter authors
//
// A Driver stores Records: a kind (like a table), an ID, a version, a few
// string attributes that can be filtered and grouped on, an opaque body, and
// created and updated times. It offers get, create, update-if-version,
// delete-if-version, a filtered list paged by cursor, and close; context
// first in every method. Two optional interfaces are found by type
// assertion, database/sql style: Counter (grouped counts without reading
// bodies) and Batcher (several writes, atomically). Errors wrap the
// sentinels of this package (ErrNotFound, ErrConflict, ...) with %w.
//
// Drivers that talk to a server have two more outcomes to report, and
// must tell them apart: ErrUnavailable (nothing was applied; repeating
// the call is safe) and ErrOutcomeUnknown (a write was sent and its
// answer lost; it may have been applied, so read before writing again).
// An embedded driver (store/file, store/memory) never returns the second.
//
// The package store/storetest checks an adapter against the whole contract
// in one line:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Driver { return mydriver.Open(t.TempDir()) })
//	}
//
// # For applications
//
// A Collection[T] stores values of a type that embeds Meta. It encodes them
// as JSON, assigns ULID IDs (so ID order is arrival order), checks versions
// (optimistic concurrency: a stale write fails with ErrConflict and changes
// nothing), validates arguments before a driver sees them, iterates over
// all pages with All, and counts through the driver's Counter or, lacking
// one, by streaming. It never fakes atomicity: CreateMany and Batch need a
// Batcher and otherwise fail with errors.ErrUnsupported.
//
// Attributes compare byte by byte; TimeKey and IntKey encode times and
// numbers so that byte order is their natural order, which makes ranges
// (Between) work on every driver.
//
// The drivers that ship with cxkit are store/memory (tests, examples,
// caches), store/file (the embedded default, a directory on disk) and
// store/postgres (its own module, for several hosts).
package store
