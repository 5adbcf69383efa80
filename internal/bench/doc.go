// Package bench compares the store drivers with SQLite and bbolt on one
// workload. It is its own module so that the root module never requires a
// database it does not ship.
package bench
