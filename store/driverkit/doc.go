// Package driverkit is for the authors of store drivers, and nobody else:
// the checks every driver applies to its arguments, the error builder that
// names the record an error is about, the in-memory reading of filters and
// counts, and Wrap, which keeps a wrapped driver's optional interfaces.
//
// A driver method starts with the check of its arguments and returns its
// error as is:
//
//	func (d *Driver) Create(ctx context.Context, r store.Record) (store.Record, error) {
//		if err := driverkit.CheckRecord("create", r); err != nil {
//			return store.Record{}, err
//		}
//		...
//	}
//
// The driver is the one place where the contract's rules are applied:
// store.Collection hands arguments on unchecked, and store/storetest calls
// drivers directly with bad input to see that each is refused with
// store.ErrInvalid and that nothing is written.
package driverkit
