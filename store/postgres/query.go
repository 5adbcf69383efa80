package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// statements are the fixed SQL texts for one schema, built once.
type statements struct {
	schema     string // quoted
	get        string
	createMany string
	insertOne  string
	// copyRecords and copyAttrs load a batch's creates (see copy.go).
	copyRecords string
	copyAttrs   string
	update      string
	delete      string
}

func newStatements(schema string) *statements {
	s := pgx.Identifier{schema}.Sanitize()
	return &statements{
		schema: s,
		get: fmt.Sprintf(`SELECT id, version, attrs, body, created, updated, empty
			FROM %s.records WHERE kind = $1 AND id = $2`, s),
		// The records that already exist are skipped, and their attribute
		// rows are not written (the join with r), so nothing fails.
		createMany: fmt.Sprintf(`WITH r AS (
				INSERT INTO %[1]s.records (kind, id, version, attrs, body, created, updated, empty)
				SELECT k, i, 1, a::jsonb, b, c, u, e
				FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::timestamptz[], $6::timestamptz[], $11::smallint[]) AS t(k, i, a, b, c, u, e)
				ON CONFLICT (kind, id) DO NOTHING
				RETURNING kind, id
			), x AS (
				INSERT INTO %[1]s.attrs (kind, id, attr, value)
				SELECT t.k, t.i, t.n, t.v
				FROM unnest($7::text[], $8::text[], $9::text[], $10::text[]) AS t(k, i, n, v)
				JOIN r ON r.kind = t.k AND r.id = t.i
			)
			SELECT kind, id FROM r`, s),
		// insertOne creates one record that is not expected to exist: plain
		// inserts, failing with a unique violation (23505) if it does. The
		// attribute rows come from the jsonb parameter itself, which costs
		// less on both sides than two array parameters for unnest.
		insertOne: fmt.Sprintf(`WITH r AS (
				INSERT INTO %[1]s.records (kind, id, version, attrs, body, created, updated, empty)
				VALUES ($1, $2, 1, $3::jsonb, $4, $5, $6, $7)
			)
			INSERT INTO %[1]s.attrs (kind, id, attr, value)
			SELECT $1, $2, key, value FROM jsonb_each_text($3::jsonb)`, s),
		copyRecords: fmt.Sprintf(`COPY %s.records (%s) FROM STDIN BINARY`, s, recordCols),
		copyAttrs:   fmt.Sprintf(`COPY %s.attrs (%s) FROM STDIN BINARY`, s, attrCols),
		// cur is the version before the statement, read in the same
		// snapshot, to tell not-found from conflict without a second round
		// trip. Attribute rows are diffed rather than rewritten: a statement
		// must not delete and insert one row (CockroachDB forbids it), and
		// unchanged attributes cost nothing.
		update: fmt.Sprintf(`WITH cur AS (
				SELECT version FROM %[1]s.records WHERE kind = $1 AND id = $2
			), u AS (
				UPDATE %[1]s.records SET version = version + 1, attrs = $4::jsonb, body = $5, updated = $6, empty = $9
				WHERE kind = $1 AND id = $2 AND version = $3
				RETURNING created
			), n AS (
				SELECT n, v FROM unnest($7::text[], $8::text[]) AS t(n, v)
			), d AS (
				DELETE FROM %[1]s.attrs a
				WHERE a.kind = $1 AND a.id = $2 AND EXISTS (SELECT 1 FROM u)
				AND NOT EXISTS (SELECT 1 FROM n WHERE n.n = a.attr AND n.v = a.value)
			), i AS (
				INSERT INTO %[1]s.attrs (kind, id, attr, value)
				SELECT $1, $2, n, v FROM n WHERE EXISTS (SELECT 1 FROM u)
				ON CONFLICT DO NOTHING
			)
			SELECT (SELECT created FROM u), (SELECT version FROM cur)`, s),
		delete: fmt.Sprintf(`WITH cur AS (
				SELECT version FROM %[1]s.records WHERE kind = $1 AND id = $2
			), d AS (
				DELETE FROM %[1]s.records WHERE kind = $1 AND id = $2 AND version = $3
				RETURNING id
			), a AS (
				DELETE FROM %[1]s.attrs WHERE kind = $1 AND id = $2 AND EXISTS (SELECT 1 FROM d)
			)
			SELECT (SELECT count(*) FROM d), (SELECT version FROM cur)`, s),
	}
}

// sqlArgs collects positional arguments while a statement is built.
type sqlArgs []any

// add appends v and returns its placeholder.
func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// filterSQL renders filters as conditions on the records row r, for
// counts: one EXISTS on the attrs primary key (kind, attr, value, id) per
// filtered attribute, with all of that attribute's comparisons in it, so
// that a range (two filters) is one index range. The planner either scans
// the index range and joins (selective filters), or probes attrs_record
// (kind, id, attr, value) for each record it reads; either way no record
// body is read to filter. A record lacking the attribute has no attrs row,
// so it matches no filter on it, as the contract says. Filters on one
// attribute can be merged because a record has one value per attribute.
func (s *statements) filterSQL(b *strings.Builder, args *sqlArgs, kindArg string, filters []store.Filter) {
	var attrs []string
	byAttr := map[string][]store.Filter{}
	for _, f := range filters {
		if byAttr[f.Attr] == nil {
			attrs = append(attrs, f.Attr)
		}
		byAttr[f.Attr] = append(byAttr[f.Attr], f)
	}
	for _, attr := range attrs {
		fmt.Fprintf(b, ` AND EXISTS (SELECT 1 FROM %s.attrs a WHERE a.kind = %s AND a.attr = %s AND a.id = r.id`,
			s.schema, kindArg, args.add(attr))
		for _, f := range byAttr[attr] {
			b.WriteString(" AND a.value ")
			writeCmp(b, args, f)
		}
		b.WriteString(")")
	}
}

// writeCmp writes f's comparison, its operand(s) as parameters.
func writeCmp(b *strings.Builder, args *sqlArgs, f store.Filter) {
	switch f.Op {
	case store.OpEq:
		b.WriteString("= " + args.add(f.Values[0]))
	case store.OpIn:
		b.WriteString("= ANY(" + args.add(f.Values) + "::text[])")
	case store.OpGt:
		b.WriteString("> " + args.add(f.Values[0]))
	case store.OpGte:
		b.WriteString(">= " + args.add(f.Values[0]))
	case store.OpLt:
		b.WriteString("< " + args.add(f.Values[0]))
	case store.OpLte:
		b.WriteString("<= " + args.add(f.Values[0]))
	}
}

// listSQL is the keyset-paged list: the primary key (kind, id) gives the
// order and the cursor's start, so a page costs its own size divided by
// the share of records its filters keep, wherever the cursor is, provided
// the planner walks IDs in order and stops at the page's end rather than
// reading and sorting every match after the cursor (which made exporting
// a wide period quadratic). Two things keep it on the walk:
//
//   - An equality filter is an EXISTS on the attrs primary key, whose range
//     for one value lists the IDs in ID order from the cursor, so the
//     planner merge-joins it with the records walk, or drives from it with
//     a nested loop if the value is rare; the extended statistics on (attr,
//     value) (migration 3) tell it how common each value of each attribute
//     is. Two or more equality filters are listed by equalitySQL instead,
//     because merging their ranges reads the common one's entries.
//   - In and range filters are tested on the record's jsonb attributes,
//     byte-wise (COLLATE "C"), as the walk passes. Their index ranges are
//     in value order, not ID order, and the planner cannot estimate them
//     (every attribute shares one value column, and it has no statistics
//     on jsonb fields: it assumes a range keeps 0.5% of the rows and
//     concludes that sorting everything is cheaper than walking). Wrapped
//     in one CASE, they count as keeping half the rows, which is the
//     estimate that leads it to walk. A record lacking the attribute
//     yields NULL, so it does not match, as the contract says.
//
// One row beyond the limit tells whether there is a next page.
func (s *statements) listSQL(kind string, q store.Query, limit int) (string, sqlArgs) {
	var eqs []store.Filter
	for _, f := range q.Filters {
		if f.Op == store.OpEq {
			eqs = append(eqs, f)
		}
	}
	if len(eqs) > 1 {
		return s.equalitySQL(kind, q, eqs, limit)
	}
	var args sqlArgs
	var b strings.Builder
	k := args.add(kind)
	fmt.Fprintf(&b, `SELECT r.id, r.version, r.attrs, r.body, r.created, r.updated, r.empty FROM %s.records r WHERE r.kind = %s`, s.schema, k)
	dir, cmp := "ASC", ">"
	if q.Order == store.OrderDescending {
		dir, cmp = "DESC", "<"
	}
	cursor := ""
	if q.After != "" {
		cursor = cmp + " " + args.add(q.After)
		b.WriteString(" AND r.id " + cursor)
	}
	var rest []store.Filter
	for _, f := range q.Filters {
		if f.Op != store.OpEq {
			rest = append(rest, f)
			continue
		}
		fmt.Fprintf(&b, ` AND EXISTS (SELECT 1 FROM %s.attrs a WHERE a.kind = %s AND a.attr = %s AND a.value = %s AND a.id = r.id`,
			s.schema, k, args.add(f.Attr), args.add(f.Values[0]))
		if cursor != "" {
			// Repeated so that the index range starts at the cursor.
			b.WriteString(" AND a.id " + cursor)
		}
		b.WriteString(")")
	}
	rowFilters(&b, &args, rest)
	fmt.Fprintf(&b, " ORDER BY r.id %s LIMIT %d", dir, limit+1)
	return b.String(), args
}

// equalitySQL lists a page for a query with two or more equality filters
// (the due list: org, and open = 1). Left to itself, the planner
// merge-joins the filters' attribute ranges, reading the common value's
// entries up to the page's end (twenty per open complaint), or drives from
// the rarest value but reads all its entries after the cursor and sorts
// them. Instead, the page is driven from one filter's entries in the attrs
// primary key (kind, attr, value, id), which lists the IDs in order from the
// cursor; each entry's record is fetched by primary key and every filter is
// tested on its jsonb attributes (rowFilters), and the walk stops at the
// page's end. The record is read through a LATERAL subquery with OFFSET 0
// and the filters are in a CASE, so there is no join for the planner to
// reorder: its one choice is the driving scan, and with the LIMIT it walks.
//
// The driver is the filter with the fewest entries among the next
// equalityWindow(limit) records after the cursor (the window w), each count
// stopping at that size: an in-statement version of rangeSQL's bounded
// probe, which reads a quarter of a page of index entries for the window
// and as many for each common filter, before the walk. The chosen filter's
// attribute and value reach the driving scan as index conditions through
// array subscripts.
func (s *statements) equalitySQL(kind string, q store.Query, eqs []store.Filter, limit int) (string, sqlArgs) {
	var args sqlArgs
	var b strings.Builder
	k := args.add(kind)
	dir, cmp, inWindow, end := "ASC", ">", "<=", "max"
	if q.Order == store.OrderDescending {
		dir, cmp, inWindow, end = "DESC", "<", ">=", "min"
	}
	after, afterR := "", ""
	if q.After != "" {
		c := args.add(q.After)
		after, afterR = " AND a.id "+cmp+" "+c, " AND r.id "+cmp+" "+c
	}
	// The window ends at its last record after the cursor, or at the
	// kind's last record.
	fmt.Fprintf(&b, `WITH w AS MATERIALIZED (SELECT coalesce((SELECT r.id FROM %[1]s.records r WHERE r.kind = %[2]s%[3]s ORDER BY r.id %[4]s OFFSET %[5]d LIMIT 1), (SELECT %[6]s(r.id) FROM %[1]s.records r WHERE r.kind = %[2]s)) AS hi), d AS MATERIALIZED (SELECT i FROM (VALUES `,
		s.schema, k, afterR, dir, equalityWindow(limit)-1, end)
	names, values := make([]string, len(eqs)), make([]string, len(eqs))
	for i, f := range eqs {
		names[i], values[i] = f.Attr, f.Values[0]
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `(%d, (SELECT count(*) FROM (SELECT 1 FROM %s.attrs a WHERE a.kind = %s AND a.attr = %s AND a.value = %s%s AND a.id %s (SELECT hi FROM w) LIMIT %d) c))`,
			i+1, s.schema, k, args.add(f.Attr), args.add(f.Values[0]), after, inWindow, equalityWindow(limit))
	}
	fmt.Fprintf(&b, `) v(i, n) ORDER BY n, i LIMIT 1)
		SELECT r.id, r.version, r.attrs, r.body, r.created, r.updated, r.empty FROM %[1]s.attrs a
		CROSS JOIN LATERAL (SELECT * FROM %[1]s.records r WHERE r.kind = %[2]s AND r.id = a.id OFFSET 0) r
		WHERE a.kind = %[2]s AND a.attr = (%[3]s::text[])[(SELECT i FROM d)] AND a.value = (%[4]s::text[])[(SELECT i FROM d)]%[5]s`,
		s.schema, k, args.add(names), args.add(values), after)
	rowFilters(&b, &args, q.Filters)
	fmt.Fprintf(&b, " ORDER BY a.id %s LIMIT %d", dir, limit+1)
	return b.String(), args
}

// equalityWindow is how many records after the cursor equalitySQL samples
// to choose its driver: a quarter of a page, enough to tell a filter that
// keeps one record in twenty (12 entries) from one that keeps them all,
// while a page whose walk reads only its own matches (a customer's ten
// complaints) does not pay a page's worth of probing.
func equalityWindow(limit int) int { return max(1, (limit+1)/4) }

// rangeSQL prepares the other way of listing a page, for a query with a
// range on an attribute that few records near the cursor fall into (one
// month of years of complaints): walking IDs from the cursor (listSQL)
// would pass every record before the range to reach it, so the page is
// found from the range instead.
//
// probe tells which way to go, in one round trip with two bounded counts:
// dense samples the records after the cursor (probeSample), reading
// attributes from the covering index records_attrs, and says whether one
// in twenty or more match; only if not, narrow counts the range's index
// entries after the cursor, stopping at seekAfter(limit). Seek when the
// matches are rare near the cursor (or the kind ends) and the range is
// narrow: seek reads the range's entries (kind, attr, value range) after
// the cursor from the attrs primary key, fetches each record by primary
// key, tests the other filters on its attributes and keeps the first
// limit+1 by ID, so a page costs at most twenty pages' worth of index
// entries and fetches. A wide range with a rare equality filter (one
// customer's complaints over years) stays with listSQL, which drives from
// the rare value. The statements are fenced (LIMIT or OFFSET 0, and
// LATERAL), so the planner's guesses about the range cannot turn them into
// something else. Without a range filter, all four are empty.
func (s *statements) rangeSQL(kind string, q store.Query, limit int) (probe string, probeArgs sqlArgs, seek string, seekArgs sqlArgs) {
	attr := ""
	var bounds, rest []store.Filter
	for _, f := range q.Filters {
		switch {
		case f.Op == store.OpEq || f.Op == store.OpIn:
			rest = append(rest, f)
		case attr == "" || f.Attr == attr:
			attr = f.Attr
			bounds = append(bounds, f)
		default:
			rest = append(rest, f)
		}
	}
	if attr == "" {
		return "", nil, "", nil
	}
	dir, cmp := "ASC", ">"
	if q.Order == store.OrderDescending {
		dir, cmp = "DESC", "<"
	}
	var b strings.Builder
	k := probeArgs.add(kind)
	// The range is counted only when the walk falls short: an uncorrelated
	// subquery runs when its value is first needed, and a CASE branch not
	// taken never needs it.
	fmt.Fprintf(&b, `SELECT dense, CASE WHEN dense THEN FALSE ELSE (SELECT count(*) < %d FROM (SELECT 1 FROM %s.attrs a WHERE a.kind = %s AND a.attr = %s`,
		seekAfter(limit), s.schema, k, probeArgs.add(attr))
	for _, f := range bounds {
		b.WriteString(" AND a.value ")
		writeCmp(&b, &probeArgs, f)
	}
	if q.After != "" {
		fmt.Fprintf(&b, " AND a.id %s %s", cmp, probeArgs.add(q.After))
	}
	sample, enough := probeSample(limit)
	fmt.Fprintf(&b, ` LIMIT %d) s) END FROM (SELECT (SELECT count(*) >= %d FROM (SELECT 1 FROM (SELECT r.attrs FROM %s.records r WHERE r.kind = %s`,
		seekAfter(limit), enough, s.schema, k)
	if q.After != "" {
		fmt.Fprintf(&b, " AND r.id %s %s", cmp, probeArgs.add(q.After))
	}
	fmt.Fprintf(&b, " ORDER BY r.id %s LIMIT %d) r WHERE TRUE", dir, sample)
	rowFilters(&b, &probeArgs, q.Filters)
	fmt.Fprintf(&b, " LIMIT %d) s) AS dense OFFSET 0) p", enough)
	probe = b.String()

	b.Reset()
	k = seekArgs.add(kind)
	fmt.Fprintf(&b, `SELECT r.id, r.version, r.attrs, r.body, r.created, r.updated, r.empty FROM (SELECT a.id FROM %s.attrs a WHERE a.kind = %s AND a.attr = %s`,
		s.schema, k, seekArgs.add(attr))
	for _, f := range bounds {
		b.WriteString(" AND a.value ")
		writeCmp(&b, &seekArgs, f)
	}
	if q.After != "" {
		fmt.Fprintf(&b, " AND a.id %s %s", cmp, seekArgs.add(q.After))
	}
	fmt.Fprintf(&b, ` OFFSET 0) a CROSS JOIN LATERAL (SELECT * FROM %s.records r WHERE r.kind = %s AND r.id = a.id OFFSET 0) r WHERE TRUE`, s.schema, k)
	rowFilters(&b, &seekArgs, rest)
	fmt.Fprintf(&b, " ORDER BY r.id %s LIMIT %d", dir, limit+1)
	return probe, probeArgs, b.String(), seekArgs
}

// seekAfter is how many range entries the probe counts before it calls the
// range wide: twenty pages' worth.
func seekAfter(limit int) int { return 20 * (limit + 1) }

// probeSample is how many records the probe walks from the cursor (two
// pages' worth), and how many matches among them make the walk worth it:
// one in twenty, the rate at which a walk fills a page within seekAfter
// records. The count stops at enough, so where most records match, the
// probe reads a tenth of a page.
func probeSample(limit int) (sample, enough int) {
	return 2 * (limit + 1), max(1, (limit+1)/10)
}

// rowFilters writes filters as one condition on the jsonb attributes of
// r, wrapped in a CASE, which the planner counts as keeping half the rows
// (see listSQL): its own guess for a range on an expression is 0.5%, which
// makes it plan to read a whole kind and sort it rather than walk an
// index in order and stop at the page's end.
func rowFilters(b *strings.Builder, args *sqlArgs, filters []store.Filter) {
	if len(filters) == 0 {
		return
	}
	b.WriteString(" AND CASE WHEN TRUE")
	for _, f := range filters {
		fmt.Fprintf(b, ` AND (r.attrs->>%s) COLLATE "C" `, args.add(f.Attr))
		writeCmp(b, args, f)
	}
	b.WriteString(" THEN TRUE ELSE FALSE END")
}

// List implements store.Driver.
func (d *Driver) List(ctx context.Context, kind string, q store.Query) (store.Page, error) {
	limit, err := driverkit.CheckQuery(kind, q)
	if err != nil {
		return store.Page{}, err
	}
	if err := d.ready(ctx, "list", kind, ""); err != nil {
		return store.Page{}, err
	}
	defer d.enter()()
	sql, args := d.sql.listSQL(kind, q, limit)
	probeSQL, probeArgs, seekSQL, seekArgs := d.sql.rangeSQL(kind, q, limit)
	var recs []store.Record
	err = d.retry(ctx, false, false, func(ctx context.Context) (err error) {
		sql, args := sql, args
		if probeSQL != "" {
			var dense, narrow bool
			if err := queryRow(ctx, d.q, probeSQL, probeArgs, &dense, &narrow); err != nil {
				return err
			}
			if !dense && narrow {
				sql, args = seekSQL, seekArgs
			}
		}
		recs, err = d.scanRecords(ctx, d.q.queryCustom, kind, limit+1, sql, args...)
		return err
	})
	if err != nil {
		return store.Page{}, wrapErr(ctx, "list", kind, "", err)
	}
	var p store.Page
	if len(recs) > limit {
		recs = recs[:limit]
		p.Next = recs[limit-1].ID
	}
	if len(recs) > 0 {
		p.Records = recs
	}
	return p, nil
}

// countSQL groups in the database, reading the attributes from the
// records_attrs index (kind, id) INCLUDE (attrs) with an index-only scan, and
// filtering as List does. A missing attribute groups as "", as the contract
// says.
func (s *statements) countSQL(kind string, filters []store.Filter, groupBy []string) (string, sqlArgs) {
	var args sqlArgs
	var b strings.Builder
	k := args.add(kind)
	b.WriteString("SELECT ")
	for _, g := range groupBy {
		fmt.Fprintf(&b, "coalesce(r.attrs->>%s, ''), ", args.add(g))
	}
	fmt.Fprintf(&b, "count(*) FROM %s.records r WHERE r.kind = %s", s.schema, k)
	s.filterSQL(&b, &args, k, filters)
	if len(groupBy) > 0 {
		b.WriteString(" GROUP BY ")
		for i := range groupBy {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(i + 1))
		}
	}
	return b.String(), args
}

// Count implements store.Counter.
func (d *Driver) Count(ctx context.Context, kind string, filters []store.Filter, groupBy ...string) ([]store.Group, error) {
	if err := driverkit.CheckCount(kind, filters, groupBy); err != nil {
		return nil, err
	}
	if err := d.ready(ctx, "count", kind, ""); err != nil {
		return nil, err
	}
	defer d.enter()()
	sql, args := d.sql.countSQL(kind, filters, groupBy)
	var gs []store.Group
	err := d.retry(ctx, false, false, func(ctx context.Context) error {
		res, err := d.q.queryCustom(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer res.Close()
		gs = gs[:0]
		vals := make([]string, len(groupBy))
		dest := make([]any, len(groupBy)+1)
		for i := range vals {
			dest[i] = &vals[i]
		}
		for res.Next() {
			var n int64
			dest[len(groupBy)] = &n
			if err := res.Scan(dest...); err != nil {
				return err
			}
			gs = append(gs, store.Group{Values: append([]string{}, vals...), Count: n})
		}
		return res.Err()
	})
	if err != nil {
		return nil, wrapErr(ctx, "count", kind, "", err)
	}
	driverkit.SortGroups(gs)
	return gs, nil
}
