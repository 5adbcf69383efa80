package postgres

import "github.com/cxkit/cxkit/store"

// ListSQL and CountSQL expose the generated statements to the EXPLAIN test.
func (d *Driver) ListSQL(kind string, q store.Query, limit int) (string, []any) {
	return d.sql.listSQL(kind, q, limit)
}

func (d *Driver) CountSQL(kind string, filters []store.Filter, groupBy ...string) (string, []any) {
	return d.sql.countSQL(kind, filters, groupBy)
}
