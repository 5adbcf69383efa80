package postgres_test

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
)

func ajson(a map[string]string) string { b, _ := json.Marshal(a); return string(b) }

func TestExpBatch(t *testing.T) {
	if os.Getenv("EXP") == "" {
		t.Skip()
	}
	ctx := context.Background()
	n := 50_000
	if v := os.Getenv("EXPN"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	const bs = 1000
	batches := make([][]store.Record, 0, n/bs)
	for i := 0; i < n; i += bs {
		batches = append(batches, benchRecords(i, bs))
	}
	p := pool(t)
	type variant struct {
		name string
		run  func(schema string, rs []store.Record) error
	}
	cte := func(s string) string {
		return `WITH r AS (INSERT INTO ` + s + `.records (kind, id, version, attrs, body, created, updated)
			SELECT k, i, 1, a::jsonb, b, c, u FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::timestamptz[], $6::timestamptz[]) AS t(k, i, a, b, c, u))
			INSERT INTO ` + s + `.attrs (kind, id, attr, value) SELECT k, i, n, v FROM unnest($7::text[], $8::text[], $9::text[], $10::text[]) AS t(k, i, n, v)`
	}
	arrays := func(rs []store.Record) []any {
		n := len(rs)
		kinds, ids, attrs, bodies := make([]string, n), make([]string, n), make([]string, n), make([][]byte, n)
		cs, us := make([]time.Time, n), make([]time.Time, n)
		var ak, ai, an, av []string
		for i, r := range rs {
			kinds[i], ids[i], attrs[i], bodies[i], cs[i], us[i] = r.Kind, r.ID, ajson(r.Attrs), r.Body, r.Created, r.Updated
			for k, v := range r.Attrs {
				ak, ai, an, av = append(ak, r.Kind), append(ai, r.ID), append(an, k), append(av, v)
			}
		}
		return []any{kinds, ids, attrs, bodies, cs, us, ak, ai, an, av}
	}
	copyRecs := func(tx pgx.Tx, s string, rs []store.Record) error {
		recs := make([][]any, len(rs))
		for i, r := range rs {
			recs[i] = []any{r.Kind, r.ID, int64(1), ajson(r.Attrs), r.Body, r.Created, r.Updated}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{s, "records"}, []string{"kind", "id", "version", "attrs", "body", "created", "updated"}, pgx.CopyFromRows(recs))
		return err
	}
	copyAttrs := func(tx pgx.Tx, s string, rs []store.Record) error {
		var attrs [][]any
		for _, r := range rs {
			for k, v := range r.Attrs {
				attrs = append(attrs, []any{r.Kind, r.ID, k, v})
			}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{s, "attrs"}, []string{"kind", "id", "attr", "value"}, pgx.CopyFromRows(attrs))
		return err
	}
	drivers := map[string]*postgres.Driver{}
	vs := []variant{
		{"driver", func(s string, rs []store.Record) error {
			ws := make([]store.Write, len(rs))
			for i, r := range rs {
				ws[i] = store.Write{Action: store.ActionCreate, Record: r}
			}
			_, err := drivers[s].Batch(ctx, ws)
			return err
		}},
		{"jsonb", func(s string, rs []store.Record) error {
			return pgx.BeginFunc(ctx, p, func(tx pgx.Tx) error {
				var bt pgx.Batch
				for _, r := range rs {
					bt.Queue(`INSERT INTO `+s+`.complaints (id, attrs, body, created, updated) VALUES ($1, $2, $3, $4, $5)`, r.ID, r.Attrs, json.RawMessage(r.Body), r.Created, r.Updated)
				}
				return tx.SendBatch(ctx, &bt).Close()
			})
		}},
		{"copyrecs", func(s string, rs []store.Record) error {
			return pgx.BeginFunc(ctx, p, func(tx pgx.Tx) error { return copyRecs(tx, s, rs) })
		}},
		{"copyattrs", func(s string, rs []store.Record) error {
			return pgx.BeginFunc(ctx, p, func(tx pgx.Tx) error { return copyAttrs(tx, s, rs) })
		}},
		{"cte", func(s string, rs []store.Record) error {
			_, err := p.Exec(ctx, cte(s), arrays(rs)...)
			return err
		}},
		{"copyboth", func(s string, rs []store.Record) error {
			return pgx.BeginFunc(ctx, p, func(tx pgx.Tx) error {
				if err := copyRecs(tx, s, rs); err != nil {
					return err
				}
				return copyAttrs(tx, s, rs)
			})
		}},
		{"noidx", func(s string, rs []store.Record) error {
			return pgx.BeginFunc(ctx, p, func(tx pgx.Tx) error {
				if err := copyRecs(tx, s, rs); err != nil {
					return err
				}
				return copyAttrs(tx, s, rs)
			})
		}},
		{"pkinc", func(s string, rs []store.Record) error {
			return pgx.BeginFunc(ctx, p, func(tx pgx.Tx) error {
				if err := copyRecs(tx, s, rs); err != nil {
					return err
				}
				return copyAttrs(tx, s, rs)
			})
		}},
		{"attrsorted", func(s string, rs []store.Record) error {
			return pgx.BeginFunc(ctx, p, func(tx pgx.Tx) error {
				var attrs [][]any
				for _, r := range rs {
					for k, v := range r.Attrs {
						attrs = append(attrs, []any{r.Kind, r.ID, k, v})
					}
				}
				sort.Slice(attrs, func(i, j int) bool {
					a, b := attrs[i], attrs[j]
					for _, c := range []int{0, 2, 3, 1} {
						if a[c].(string) != b[c].(string) {
							return a[c].(string) < b[c].(string)
						}
					}
					return false
				})
				_, err := tx.CopyFrom(ctx, pgx.Identifier{s, "attrs"}, []string{"kind", "id", "attr", "value"}, pgx.CopyFromRows(attrs))
				return err
			})
		}},
		{"txonly", func(s string, rs []store.Record) error {
			return pgx.BeginFunc(ctx, p, func(tx pgx.Tx) error { return nil })
		}},
	}
	if f := os.Getenv("EXPV"); f != "" {
		var keep []variant
		for _, v := range vs {
			for _, w := range splitComma(f) {
				if v.name == w {
					keep = append(keep, v)
				}
			}
		}
		vs = keep
	}
	res := map[string][]float64{}
	srv := map[string][]float64{}
	cli := map[string][]float64{}
	mainPool := p
	rounds := 3
	if v := os.Getenv("EXPR"); v != "" {
		rounds, _ = strconv.Atoi(v)
	}
	for round := 0; round < rounds; round++ {
		for _, v := range vs {
			pc, _ := pgxpool.ParseConfig(os.Getenv("CXKIT_POSTGRES_DSN"))
			pc.MaxConns = 1
			p1, err := pgxpool.NewWithConfig(ctx, pc)
			if err != nil {
				t.Fatal(err)
			}
			p = p1
			var bpid int
			p.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&bpid)
			s := freshSchema(t)
			if v.name == "jsonb" {
				p.Exec(ctx, `CREATE SCHEMA `+s)
				p.Exec(ctx, `CREATE TABLE `+s+`.complaints (id text COLLATE "C" PRIMARY KEY, attrs jsonb NOT NULL, body jsonb NOT NULL, created timestamptz NOT NULL, updated timestamptz NOT NULL)`)
			} else {
				d, err := postgres.New(ctx, p, postgres.WithSchema(s))
				if err != nil {
					t.Fatal(err)
				}
				drivers[s] = d
				if v.name == "pkinc" {
					if _, err := p.Exec(ctx, `CREATE UNIQUE INDEX records_key ON `+s+`.records (kind, id) INCLUDE (attrs)`); err != nil {
						t.Fatal(err)
					}
					if _, err := p.Exec(ctx, `ALTER TABLE `+s+`.records DROP CONSTRAINT records_pkey, ADD CONSTRAINT records_pkey PRIMARY KEY USING INDEX records_key`); err != nil {
						t.Fatal(err)
					}
					if _, err := p.Exec(ctx, `DROP INDEX `+s+`.records_attrs`); err != nil {
						t.Fatal(err)
					}
				}
				if v.name == "noidx" {
					p.Exec(ctx, `DROP INDEX `+s+`.records_attrs`)
				}
			}
			var secs float64
			s0, c0 := procCPU(bpid), selfCPU()
			for _, rs := range batches {
				st := time.Now()
				if err := v.run(s, rs); err != nil {
					t.Fatal(v.name, err)
				}
				secs += time.Since(st).Seconds()
			}
			res[v.name] = append(res[v.name], float64(n)/secs)
			srv[v.name] = append(srv[v.name], (procCPU(bpid)-s0)/float64(n)*1e6)
			cli[v.name] = append(cli[v.name], (selfCPU()-c0)/float64(n)*1e6)
			p.Exec(ctx, `DROP SCHEMA `+s+` CASCADE`)
			p1.Close()
			p = mainPool
		}
	}
	for _, v := range vs {
		x := append([]float64(nil), res[v.name]...)
		sort.Float64s(x)
		t.Logf("%-10s median %8.0f rec/s  all %v", v.name, x[len(x)/2], fmtf(res[v.name]))
		t.Logf("%-10s server us/rec %.2f all %.2f ; client us/rec %.2f all %.2f", v.name, med(srv[v.name]), srv[v.name], med(cli[v.name]), cli[v.name])
	}
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func fmtf(x []float64) []int {
	out := make([]int, len(x))
	for i, v := range x {
		out[i] = int(v)
	}
	return out
}

func med(x []float64) float64 {
	y := append([]float64(nil), x...)
	sort.Float64s(y)
	return y[len(y)/2]
}

func procCPU(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+2:])
	u, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return float64(u+st) / 100
}

func selfCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
