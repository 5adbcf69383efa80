// Package bench compares the store drivers with SQLite (modernc.org/sqlite,
// WAL, synchronous FULL and NORMAL) and bbolt on one workload: ~1 KiB JSON
// records with two attributes (category, month), created one durable
// commit each from 1 and 16 writers, in batches of 1,000, then read all,
// read at random, counted by category × month, reopened, compacted, and
// opened at 1M records in a child process to measure memory.
//
// SQLite and bbolt take part twice: cxkit-shaped (sqlite-full,
// sqlite-normal, bbolt: a secondary index for the count, an attribute map
// per record read, as a store.Driver must give) and native (sqlite-native,
// bbolt-native: no secondary index, raw reads; see native.go), each in its
// best configuration for the phase it is compared on.
//
// It is its own module so that the root module never requires a database
// it does not ship. Engines are reached through the small Engine interface;
// a store.Driver joins the comparison with one line in Specs (DriverOpener).
//
// `go test ./...` here runs only a tiny smoke version (TestSmoke). The
// measurements are Go benchmarks, scaled by -bench.* flags:
//
//	go test -run '^$' -bench . -benchtime 1x -bench.n 100000
//
// and the command cmd/storebench, which runs the whole comparison once and
// prints the tables of BENCHMARKS.md with the ratios against the file
// driver's targets.
package bench
