// Package growth measures how cxkit's domain operations grow with the
// store: a complaints log of 10k, 100k and 1M complaints, on the file store
// and on PostgreSQL, with the month every report reads held at the same
// complaints at every size. A one-month report, a workflow step or a sweep
// that costs what it touches costs the same at 1M as at 10k; one that walks
// the history does not. Everything goes through the domain packages'
// public API (complaints, feedback), as an application would use it.
//
//	go run ./internal/bench/cmd/growth -sizes 10000,100000,1000000 -drivers file,postgres
//
// prints each operation's median cost at each size and the growth ratios
// (the cost at 100k and at 1M divided by the cost at 10k). Each size is
// loaded once through the bulk path (complaints.Service.ImportMany):
// closed complaints received before the month at the month's own rate (a
// bigger store is an older one: 1M complaints at 2,000 a month go back 41
// years), then the month's complaints, a quarter of them still open and
// most of those late at the benchmark's present, so that the due list and the first sweep
// have the same work at every size. Opening the store and the memory it
// then holds are measured in child processes (call ChildMain first thing
// in main or TestMain).
//
// Feedback is measured the same way on a store of feedback items of each
// size (bulk intake through feedback.Service.IntakeBatch, one item taken
// in, the one-month summary and a summary of the whole store).
//
// The run checks that the month's reports give the same answers at every
// size, so that the ratios compare like with like.
package growth
