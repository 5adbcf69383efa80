package postgres

import "github.com/cxkit/cxkit/store"

// ListSQL and CountSQL expose the generated statements to the EXPLAIN test.
func (d *Driver) ListSQL(kind string, q store.Query, limit int) (string, []any) {
	return d.sql.listSQL(kind, q, limit)
}

func (d *Driver) CountSQL(kind string, filters []store.Filter, groupBy ...string) (string, []any) {
	return d.sql.countSQL(kind, filters, groupBy)
}

// UpdateSQL and DeleteSQL are the write statements with their arguments,
// for EXPLAIN ANALYZE inside a transaction the test rolls back.
func (d *Driver) UpdateSQL(r store.Record) (string, []any) {
	names, values := attrArrays(r.Attrs)
	return d.sql.update, []any{r.Kind, r.ID, r.Version, attrsJSON(r.Attrs), bodyOf(r), r.Updated, names, values, emptyOf(r)}
}

func (d *Driver) DeleteSQL(kind, id string, version int64) (string, []any) {
	return d.sql.delete, []any{kind, id, version}
}

// RangeSQL is the probe and the seek statement of a range list (see
// rangeSQL).
func (d *Driver) RangeSQL(kind string, q store.Query, limit int) (probe string, probeArgs []any, seek string, seekArgs []any) {
	return d.sql.rangeSQL(kind, q, limit)
}
