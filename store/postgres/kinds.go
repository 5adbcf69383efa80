package postgres

import (
	"context"
	"fmt"

	"github.com/cxkit/cxkit/store"
)

var _ store.KindLister = (*Driver)(nil)

// kindsSQL walks the primary key (kind, id) from one kind to the next, a
// handful of index probes however many records each kind holds, where
// SELECT DISTINCT would read every row.
const kindsSQL = `WITH RECURSIVE k AS (
		SELECT min(kind) AS kind FROM %[1]s.records
		UNION ALL
		SELECT (SELECT min(kind) FROM %[1]s.records WHERE kind > k.kind) FROM k WHERE k.kind IS NOT NULL
	)
	SELECT kind FROM k WHERE kind IS NOT NULL`

// Kinds implements store.KindLister.
func (d *Driver) Kinds(ctx context.Context) ([]string, error) {
	if err := d.ready(ctx, "kinds", "", ""); err != nil {
		return nil, err
	}
	defer d.enter()()
	var out []string
	err := d.retry(ctx, false, false, func(ctx context.Context) error {
		out = out[:0]
		res, err := d.q.query(ctx, fmt.Sprintf(kindsSQL, d.sql.schema))
		if err != nil {
			return err
		}
		defer res.Close()
		for res.Next() {
			var k string
			if err := res.Scan(&k); err != nil {
				return err
			}
			out = append(out, k)
		}
		return res.Err()
	})
	if err != nil {
		return nil, wrapErr(ctx, "kinds", "", "", err)
	}
	return out, nil
}
