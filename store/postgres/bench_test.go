package postgres_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/oklog/ulid/v2"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/postgres"
)

// The benchmarks run the workload of internal/bench (the store benchmark:
// single creates, 16 writers, batches of 1,000, read all, 10k gets, a count
// grouped by category x month over 100k records) against two engines on the
// same server:
//
//   - driver: this package, through store.Driver.
//   - pgx-jsonb: the baseline a developer would write by hand with pgx: one
//     table with a jsonb attributes column and a jsonb body, plain INSERTs
//     sent in a pgx.Batch per transaction, GROUP BY on jsonb fields.
//
// They need CXKIT_POSTGRES_DSN (see .ci/postgres.sh) and report rates, so
// benchstat can compare runs:
//
//	go test -run '^$' -bench . -benchtime 1x -count 5 | tee new.txt
//	benchstat old.txt new.txt
var (
	flagN       = flag.Int("bench.n", 100_000, "records loaded for the batch and read benchmarks")
	flagCreates = flag.Int("bench.creates", 20_000, "records written one by one in the create benchmarks")
	flagWriters = flag.Int("bench.writers", 16, "concurrent writers")
	flagBatch   = flag.Int("bench.batch", 1000, "records per batch")
	flagGets    = flag.Int("bench.gets", 10_000, "random gets")
	flagBody    = flag.Int("bench.body", 1024, "aimed body size")
)

const benchKind = "complaint"

var (
	benchBase  = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	categories = []string{"billing", "delivery", "quality", "staff", "website", "returns", "warranty", "other"}
	words      = []string{"customer", "parcel", "refund", "late", "broken", "call", "centre", "waited", "manager", "invoice",
		"twice", "charged", "replacement", "promised", "never", "arrived", "polite", "rude", "email", "answer",
		"week", "order", "number", "store", "product", "quality", "poor", "excellent", "service", "again"}
)

// benchRecord is record i of the workload, generated as internal/bench does
// (same seed, same shape): a ULID arriving i ms after benchBase, attributes
// category and month, a JSON body of about -bench.body bytes.
func benchRecord(i int) store.Record {
	rng := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	ms := ulid.Timestamp(benchBase) + uint64(i)
	var ent [10]byte
	binary.BigEndian.PutUint64(ent[:8], rng.Uint64())
	binary.BigEndian.PutUint16(ent[8:], uint16(rng.Uint32()))
	var id ulid.ULID
	_ = id.SetTime(ms)
	_ = id.SetEntropy(ent[:])
	cat := categories[rng.IntN(len(categories))]
	month := time.Date(2024, time.Month(1+rng.IntN(24)), 1, 0, 0, 0, 0, time.UTC)
	created := ulid.Time(ms).UTC()
	body := struct {
		Customer string    `json:"customer"`
		Channel  string    `json:"channel"`
		Category string    `json:"category"`
		Received time.Time `json:"received"`
		Summary  string    `json:"summary"`
		Text     string    `json:"text"`
	}{
		Customer: fmt.Sprintf("cust-%06d", rng.IntN(50000)),
		Channel:  []string{"email", "phone", "web", "store"}[rng.IntN(4)],
		Category: cat,
		Received: month.Add(time.Duration(rng.IntN(28*24)) * time.Hour),
		Summary:  words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))],
	}
	text := make([]byte, 0, *flagBody)
	for len(text) < *flagBody-200 {
		if len(text) > 0 {
			text = append(text, ' ')
		}
		text = append(text, words[rng.IntN(len(words))]...)
	}
	body.Text = string(text)
	b, _ := json.Marshal(body)
	return store.Record{
		Kind: benchKind, ID: id.String(),
		Attrs: map[string]string{"category": cat, "month": month.Format("2006-01")},
		Body:  b, Created: created, Updated: created,
	}
}

func benchRecords(from, n int) []store.Record {
	rs := make([]store.Record, n)
	for i := range rs {
		rs[i] = benchRecord(from + i)
	}
	return rs
}

// engine is what the workload needs; both the driver and the baseline
// implement it.
type engine interface {
	create(ctx context.Context, r store.Record) error
	batch(ctx context.Context, rs []store.Record) error
	get(ctx context.Context, id string) (store.Record, error)
	scan(ctx context.Context, fn func(store.Record)) error
	count(ctx context.Context) ([]store.Group, error)
	// tables are the tables it writes, for VACUUM.
	tables() []string
}

// driverEngine is the driver under test.
type driverEngine struct{ d *postgres.Driver }

func (e driverEngine) create(ctx context.Context, r store.Record) error {
	_, err := e.d.Create(ctx, r)
	return err
}

func (e driverEngine) batch(ctx context.Context, rs []store.Record) error {
	ws := make([]store.Write, len(rs))
	for i, r := range rs {
		ws[i] = store.Write{Action: store.ActionCreate, Record: r}
	}
	_, err := e.d.Batch(ctx, ws)
	return err
}

func (e driverEngine) get(ctx context.Context, id string) (store.Record, error) {
	return e.d.Get(ctx, benchKind, id)
}

func (e driverEngine) scan(ctx context.Context, fn func(store.Record)) error {
	q := store.Query{Limit: store.MaxLimit}
	for {
		p, err := e.d.List(ctx, benchKind, q)
		if err != nil {
			return err
		}
		for _, r := range p.Records {
			fn(r)
		}
		if p.Next == "" {
			return nil
		}
		q.After = p.Next
	}
}

func (e driverEngine) count(ctx context.Context) ([]store.Group, error) {
	return e.d.Count(ctx, benchKind, nil, "category", "month")
}

func (e driverEngine) tables() []string {
	return []string{e.d.Schema() + ".records", e.d.Schema() + ".attrs"}
}

// jsonbEngine is the hand-written pgx + jsonb baseline.
type jsonbEngine struct {
	p     *pgxpool.Pool
	table string
}

func newJSONB(b *testing.B) jsonbEngine {
	s := freshSchema(b)
	e := jsonbEngine{p: pool(b), table: s + ".complaints"}
	ctx := context.Background()
	if _, err := e.p.Exec(ctx, `CREATE SCHEMA `+s); err != nil {
		b.Fatal(err)
	}
	if _, err := e.p.Exec(ctx, `CREATE TABLE `+e.table+` (
		id text COLLATE "C" PRIMARY KEY, attrs jsonb NOT NULL, body jsonb NOT NULL,
		created timestamptz NOT NULL, updated timestamptz NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	return e
}

func (e jsonbEngine) insertSQL() string {
	return `INSERT INTO ` + e.table + ` (id, attrs, body, created, updated) VALUES ($1, $2, $3, $4, $5)`
}

func (e jsonbEngine) create(ctx context.Context, r store.Record) error {
	_, err := e.p.Exec(ctx, e.insertSQL(), r.ID, r.Attrs, json.RawMessage(r.Body), r.Created, r.Updated)
	return err
}

func (e jsonbEngine) batch(ctx context.Context, rs []store.Record) error {
	return pgx.BeginFunc(ctx, e.p, func(tx pgx.Tx) error {
		var bt pgx.Batch
		for _, r := range rs {
			bt.Queue(e.insertSQL(), r.ID, r.Attrs, json.RawMessage(r.Body), r.Created, r.Updated)
		}
		return tx.SendBatch(ctx, &bt).Close()
	})
}

func (e jsonbEngine) get(ctx context.Context, id string) (store.Record, error) {
	r := store.Record{Kind: benchKind, ID: id}
	err := e.p.QueryRow(ctx, `SELECT attrs, body, created, updated FROM `+e.table+` WHERE id = $1`, id).
		Scan(&r.Attrs, &r.Body, &r.Created, &r.Updated)
	return r, err
}

func (e jsonbEngine) scan(ctx context.Context, fn func(store.Record)) error {
	after := ""
	for {
		rows, err := e.p.Query(ctx, `SELECT id, attrs, body, created, updated FROM `+e.table+` WHERE id > $1 ORDER BY id LIMIT 1000`, after)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			r := store.Record{Kind: benchKind}
			if err := rows.Scan(&r.ID, &r.Attrs, &r.Body, &r.Created, &r.Updated); err != nil {
				rows.Close()
				return err
			}
			fn(r)
			after = r.ID
			n++
		}
		if err := rows.Err(); err != nil || n < 1000 {
			return err
		}
	}
}

func (e jsonbEngine) count(ctx context.Context) ([]store.Group, error) {
	rows, err := e.p.Query(ctx, `SELECT attrs->>'category', attrs->>'month', count(*) FROM `+e.table+` GROUP BY 1, 2`)
	if err != nil {
		return nil, err
	}
	var gs []store.Group
	for rows.Next() {
		var c, m string
		var n int64
		if err := rows.Scan(&c, &m, &n); err != nil {
			return nil, err
		}
		gs = append(gs, store.Group{Values: []string{c, m}, Count: n})
	}
	return gs, rows.Err()
}

func (e jsonbEngine) tables() []string { return []string{e.table} }

// engines opens a fresh, empty instance of each engine per call.
var engines = []struct {
	name string
	open func(b *testing.B) engine
}{
	{"driver", func(b *testing.B) engine { return driverEngine{newDriver(b)} }},
	{"pgx-jsonb", func(b *testing.B) engine { return newJSONB(b) }},
}

func reportRate(b *testing.B, n int, seconds float64, unit string) {
	b.ReportMetric(float64(n)*float64(b.N)/seconds, unit)
}

// BenchmarkCreate: -bench.creates creates, one commit each, from 1 and from
// -bench.writers goroutines.
func BenchmarkCreate(b *testing.B) {
	ctx := context.Background()
	recs := benchRecords(0, *flagCreates)
	for _, en := range engines {
		for _, w := range []int{1, *flagWriters} {
			b.Run(fmt.Sprintf("%s/writers=%d", en.name, w), func(b *testing.B) {
				testDSN(b)
				var secs float64
				for b.Loop() {
					b.StopTimer()
					e := en.open(b)
					var next atomic.Int64
					var wg sync.WaitGroup
					var failed atomic.Value
					start := time.Now()
					b.StartTimer()
					for range w {
						wg.Go(func() {
							for {
								i := int(next.Add(1) - 1)
								if i >= len(recs) {
									return
								}
								if err := e.create(ctx, recs[i]); err != nil {
									failed.Store(err)
									return
								}
							}
						})
					}
					wg.Wait()
					secs += time.Since(start).Seconds()
					if err := failed.Load(); err != nil {
						b.Fatal(err)
					}
				}
				reportRate(b, len(recs), secs, "records/s")
			})
		}
	}
}

// load writes records 0..n-1 in batches and returns the commit time.
func load(tb testing.TB, ctx context.Context, e engine, n, batch int) float64 {
	var secs float64
	for i := 0; i < n; i += batch {
		rs := benchRecords(i, min(batch, n-i))
		start := time.Now()
		if err := e.batch(ctx, rs); err != nil {
			tb.Fatal(err)
		}
		secs += time.Since(start).Seconds()
	}
	return secs
}

// BenchmarkBatch: -bench.n creates in transactions of -bench.batch; only
// the commits are timed, not generating the records.
func BenchmarkBatch(b *testing.B) {
	ctx := context.Background()
	for _, en := range engines {
		b.Run(en.name, func(b *testing.B) {
			testDSN(b)
			var secs float64
			for b.Loop() {
				b.StopTimer()
				e := en.open(b)
				secs += load(b, ctx, e, *flagN, *flagBatch)
				b.StartTimer()
			}
			reportRate(b, *flagN, secs, "records/s")
		})
	}
}

// BenchmarkRead: on -bench.n records, read all in ID order, -bench.gets
// random gets, and the count grouped by category and month.
func BenchmarkRead(b *testing.B) {
	ctx := context.Background()
	n := *flagN
	for _, en := range engines {
		b.Run(en.name, func(b *testing.B) {
			testDSN(b)
			e := en.open(b)
			load(b, ctx, e, n, *flagBatch)
			// What autovacuum does after a bulk load (its insert threshold is
			// 20% of the table): statistics, and the visibility map that
			// index-only scans need. Both engines get it.
			for _, t := range e.tables() {
				if _, err := pool(b).Exec(ctx, `VACUUM ANALYZE `+t); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("all", func(b *testing.B) {
				for b.Loop() {
					seen, prev := 0, ""
					if err := e.scan(ctx, func(r store.Record) {
						if r.ID <= prev {
							b.Fatalf("%s after %s", r.ID, prev)
						}
						prev = r.ID
						seen++
					}); err != nil {
						b.Fatal(err)
					}
					if seen != n {
						b.Fatalf("read %d records, want %d", seen, n)
					}
				}
				reportRate(b, n, b.Elapsed().Seconds(), "records/s")
			})
			b.Run("get", func(b *testing.B) {
				rng := rand.New(rand.NewPCG(7, 7))
				ids := make([]string, *flagGets)
				for i := range ids {
					ids[i] = benchRecord(rng.IntN(n)).ID
				}
				for b.Loop() {
					for _, id := range ids {
						if _, err := e.get(ctx, id); err != nil {
							b.Fatal(err)
						}
					}
				}
				reportRate(b, len(ids), b.Elapsed().Seconds(), "gets/s")
			})
			b.Run("count", func(b *testing.B) {
				for b.Loop() {
					gs, err := e.count(ctx)
					if err != nil {
						b.Fatal(err)
					}
					var total int64
					for _, g := range gs {
						total += g.Count
					}
					if total != int64(n) || len(gs) != len(categories)*24 {
						b.Fatalf("count: %d groups, total %d", len(gs), total)
					}
				}
			})
		})
	}
}
