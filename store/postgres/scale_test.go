package postgres_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/oklog/ulid/v2"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/postgres"
)

// BenchmarkScale times every operation the domain packages run through the
// store, on complaint-shaped records (13 attributes, as complaints keeps),
// in stores of each size of -scale.sizes: the store grows, the month stays
// at the same size (records arrive at a fixed rate, scaleMonth a month), so
// a per-request cost that grows with the store shows as growth between
// sizes. Each size is loaded once into the schema scale_<n> and kept for
// later runs (drop it to reload).
//
//	go test -run '^$' -bench Scale -benchtime 20x -scale.sizes 10000,100000,1000000
//
// The first 1M load takes a few minutes; the default sizes are 10k and 100k.
var flagScaleSizes = flag.String("scale.sizes", "10000,100000", "store sizes for BenchmarkScale, comma-separated")

const (
	scaleKind  = "complaint"
	scaleOrg   = "acme"
	scaleMonth = 5000 // records received per 30 days
	scaleSweep = 625  // due complaints a first sweep updates
)

var (
	scaleBase     = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	scaleInterval = 30 * 24 * time.Hour / scaleMonth
	scaleStatus   = []string{"received", "acknowledged", "investigating", "resolved", "closed"}
	scaleTeams    = []string{"billing", "delivery", "support", "stores", "web", "returns"}
)

// scaleRecord is complaint i: received scaleInterval after complaint i-1,
// its ID a ULID of that time, 5% of them still open.
func scaleRecord(i int) store.Record {
	rng := rand.New(rand.NewPCG(uint64(i), 0xc0)) // #nosec: reproducible workload
	at := scaleBase.Add(time.Duration(i) * scaleInterval)
	var ent [10]byte
	binary.BigEndian.PutUint64(ent[:8], rng.Uint64())
	binary.BigEndian.PutUint16(ent[8:], uint16(rng.Uint32()))
	var id ulid.ULID
	_ = id.SetTime(ulid.Timestamp(at))
	_ = id.SetEntropy(ent[:])
	open := rng.IntN(20) == 0
	status, openAttr := "closed", "0"
	if open {
		status, openAttr = scaleStatus[rng.IntN(3)], "1"
	}
	cust := fmt.Sprintf("cust-%06d", rng.IntN(max(i/5, 1)+1))
	attrs := map[string]string{
		"org":           scaleOrg,
		"received":      store.TimeKey(at),
		"day":           at.Format("2006-01-02"),
		"month":         at.Format("2006-01"),
		"category":      categories[rng.IntN(len(categories))],
		"made_by":       []string{"customer", "agent"}[rng.IntN(2)],
		"directed_at":   scaleTeams[rng.IntN(len(scaleTeams))],
		"channel":       []string{"email", "phone", "web", "store"}[rng.IntN(4)],
		"severity":      []string{"low", "medium", "high"}[rng.IntN(3)],
		"status":        status,
		"open":          openAttr,
		"customer":      cust,
		"first_contact": strconv.Itoa(rng.IntN(2)),
	}
	text := make([]byte, 0, 400)
	for len(text) < 380 {
		text = append(text, words[rng.IntN(len(words))]...)
		text = append(text, ' ')
	}
	body, _ := json.Marshal(map[string]any{"attrs": attrs, "text": string(text), "history": []string{"received"}})
	return store.Record{Kind: scaleKind, ID: id.String(), Attrs: attrs, Body: body, Created: at, Updated: at}
}

// periodFilters are the complaints package's period filters (org, and a
// half-open range of received times) over records [from, to).
func periodFilters(from, to int) []store.Filter {
	f := scaleBase.Add(time.Duration(from) * scaleInterval)
	t := scaleBase.Add(time.Duration(to) * scaleInterval)
	return append([]store.Filter{store.Where("org", scaleOrg)}, store.Between("received", store.TimeKey(f), store.TimeKey(t))...)
}

// openFilters are the filters of the SLA sweep and the due list.
var openFilters = []store.Filter{store.Where("org", scaleOrg), store.Where("open", "1")}

var scaleLoad sync.Mutex

// scaleDriver returns a driver on the schema scale_<n>, holding complaints
// 0..n-1 (and whatever earlier benchmark runs created after them), loading
// them with Batch if the schema lacks them.
func scaleDriver(tb testing.TB, n int) *postgres.Driver {
	tb.Helper()
	scaleLoad.Lock()
	defer scaleLoad.Unlock()
	ctx := context.Background()
	schema := fmt.Sprintf("scale_%d", n)
	d, err := postgres.New(ctx, pool(tb), postgres.WithSchema(schema))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := d.Get(ctx, scaleKind, scaleRecord(n-1).ID); err == nil {
		return d
	}
	tb.Logf("loading %d complaints into schema %s", n, schema)
	if _, err := pool(tb).Exec(ctx, fmt.Sprintf(`TRUNCATE %[1]s.records, %[1]s.attrs`, schema)); err != nil {
		tb.Fatal(err)
	}
	const batch = 2000
	for i := 0; i < n; i += batch {
		ws := make([]store.Write, 0, batch)
		for j := i; j < min(i+batch, n); j++ {
			ws = append(ws, store.Write{Action: store.ActionCreate, Record: scaleRecord(j)})
		}
		if _, err := d.Batch(ctx, ws); err != nil {
			tb.Fatal(err)
		}
	}
	for _, t := range []string{"records", "attrs"} {
		if _, err := pool(tb).Exec(ctx, `VACUUM ANALYZE `+schema+`.`+t); err != nil { // as autovacuum would
			tb.Fatal(err)
		}
	}
	return d
}

// listAll pages through q and returns how many records it read.
func listAll(tb testing.TB, d store.Driver, q store.Query) int {
	q.Limit = store.MaxLimit
	seen := 0
	for {
		p, err := d.List(context.Background(), scaleKind, q)
		if err != nil {
			tb.Fatal(err)
		}
		seen += len(p.Records)
		if p.Next == "" {
			return seen
		}
		q.After = p.Next
	}
}

// step is a workflow step: read the complaint, change its status and body,
// write it back at the next version.
func step(tb testing.TB, d store.Driver, id string, k int) {
	ctx := context.Background()
	r, err := d.Get(ctx, scaleKind, id)
	if err != nil {
		tb.Fatal(err)
	}
	r.Attrs["status"] = scaleStatus[k%len(scaleStatus)]
	r.Body = append(r.Body[:len(r.Body):len(r.Body)], ' ')
	r.Updated = time.Now()
	if _, err := d.Update(ctx, r); err != nil {
		tb.Fatal(err)
	}
}

func scaleSizes(tb testing.TB) []int {
	var ns []int
	for s := range strings.SplitSeq(*flagScaleSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 10000 {
			tb.Fatalf("-scale.sizes: %q is not a size of at least 10000", s)
		}
		ns = append(ns, n)
	}
	return ns
}

func BenchmarkScale(b *testing.B) {
	testDSN(b)
	ctx := context.Background()
	for _, n := range scaleSizes(b) {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			d := scaleDriver(b, n)
			rng := rand.New(rand.NewPCG(uint64(n), 1))
			random := func() string { return scaleRecord(rng.IntN(n)).ID }
			// New records arrive after the loaded ones, as they would.
			fresh := func() store.Record {
				r := scaleRecord(n + rng.IntN(n))
				r.ID = ulid.MustNew(ulid.Timestamp(r.Created), ulid.DefaultEntropy()).String()
				return r
			}
			// Single-record calls run scaleCalls times per iteration, so
			// that a few iterations give a steady figure: us/call.
			b.Run("get", func(b *testing.B) {
				for b.Loop() {
					for range scaleCalls {
						if _, err := d.Get(ctx, scaleKind, random()); err != nil {
							b.Fatal(err)
						}
					}
				}
				perCall(b)
			})
			b.Run("create", func(b *testing.B) {
				for b.Loop() {
					for range scaleCalls {
						if _, err := d.Create(ctx, fresh()); err != nil {
							b.Fatal(err)
						}
					}
				}
				perCall(b)
			})
			b.Run("step-get-update", func(b *testing.B) {
				k := 0
				for b.Loop() {
					for range scaleCalls {
						k++
						step(b, d, random(), k)
					}
				}
				perCall(b)
			})
			b.Run("delete", func(b *testing.B) {
				var took time.Duration
				for b.Loop() {
					rs := make([]store.Record, scaleCalls)
					for i := range rs {
						r, err := d.Create(ctx, fresh())
						if err != nil {
							b.Fatal(err)
						}
						rs[i] = r
					}
					start := time.Now()
					for _, r := range rs {
						if err := d.Delete(ctx, scaleKind, r.ID, r.Version); err != nil {
							b.Fatal(err)
						}
					}
					took += time.Since(start)
				}
				b.ReportMetric(float64(took.Microseconds())/float64(b.N*scaleCalls), "us/call")
			})
			b.Run("batch-1000-creates", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					ws := make([]store.Write, 1000)
					for i := range ws {
						ws[i] = store.Write{Action: store.ActionCreate, Record: fresh()}
					}
					b.StartTimer()
					if _, err := d.Batch(ctx, ws); err != nil {
						b.Fatal(err)
					}
				}
			})
			for _, c := range []struct {
				name    string
				filters []store.Filter
			}{{"page-1000", nil}, {"page-1000-period", periodFilters(0, 2*n)}} {
				for _, at := range []int{0, n / 2, n - 2000} {
					b.Run(fmt.Sprintf("%s/cursor=%d", c.name, at), func(b *testing.B) {
						q := store.Query{Filters: c.filters, Limit: store.MaxLimit}
						if at > 0 {
							q.After = scaleRecord(at).ID
						}
						for b.Loop() {
							p, err := d.List(ctx, scaleKind, q)
							if err != nil || len(p.Records) != store.MaxLimit {
								b.Fatalf("page at %d: %d records, %v", at, len(p.Records), err)
							}
						}
					})
				}
			}
			// The due list's pages: at 10k there are fewer than 1,000 open
			// complaints after any cursor, so its pages are not full.
			for _, at := range []int{0, n / 2, n - 2000} {
				b.Run(fmt.Sprintf("page-1000-due/cursor=%d", at), func(b *testing.B) {
					q := store.Query{Filters: openFilters, Limit: store.MaxLimit}
					if at > 0 {
						q.After = scaleRecord(at).ID
					}
					got := 0
					for b.Loop() {
						p, err := d.List(ctx, scaleKind, q)
						if err != nil || len(p.Records) == 0 {
							b.Fatalf("due page at %d: %d records, %v", at, len(p.Records), err)
						}
						got = len(p.Records)
					}
					b.ReportMetric(float64(got), "records/page")
				})
			}
			b.Run("export-period-all", func(b *testing.B) {
				// One connection, so that the server's CPU time is that
				// backend's: on a loaded machine, CPU time per record (this
				// process's plus the backend's) is steadier than wall time.
				one := onePool(b)
				d1, err := postgres.New(ctx, one, postgres.WithSchema(d.Schema()))
				if err != nil {
					b.Fatal(err)
				}
				var backend int
				if err := one.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
					b.Fatal(err)
				}
				cpu0, srv0 := processCPU(), backendCPU(b, backend)
				for b.Loop() {
					if got := listAll(b, d1, store.Query{Filters: periodFilters(0, n)}); got != n {
						b.Fatalf("exported %d, want %d", got, n)
					}
				}
				client, server := processCPU()-cpu0, backendCPU(b, backend)-srv0
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
				b.ReportMetric(float64(client+server)/float64(n*b.N), "cpu-ns/record")
				b.ReportMetric(float64(server)/float64(n*b.N), "server-cpu-ns/record")
			})
			b.Run("list-month", func(b *testing.B) {
				for b.Loop() {
					if got := listAll(b, d, store.Query{Filters: periodFilters(n/2, n/2+scaleMonth)}); got != scaleMonth {
						b.Fatalf("listed %d, want %d", got, scaleMonth)
					}
				}
			})
			b.Run("list-open", func(b *testing.B) {
				for b.Loop() {
					if listAll(b, d, store.Query{Filters: openFilters}) == 0 {
						b.Fatal("no open complaints")
					}
				}
			})
			b.Run("list-customer", func(b *testing.B) {
				for b.Loop() {
					r := scaleRecord(rng.IntN(n))
					if listAll(b, d, store.Query{Filters: []store.Filter{store.Where("org", scaleOrg), store.Where("customer", r.Attrs["customer"])}}) == 0 {
						b.Fatal("customer has no complaints")
					}
				}
			})
			b.Run("sweep-625", func(b *testing.B) {
				k := 0
				for b.Loop() {
					var due []string
					q := store.Query{Filters: openFilters, Limit: store.MaxLimit}
					for {
						p, err := d.List(ctx, scaleKind, q)
						if err != nil {
							b.Fatal(err)
						}
						for _, r := range p.Records {
							if len(due) < scaleSweep {
								due = append(due, r.ID)
							}
						}
						if q.After = p.Next; q.After == "" {
							break
						}
					}
					for _, id := range due {
						k++
						step(b, d, id, k)
					}
				}
			})
			b.Run("count-month-by-category", func(b *testing.B) {
				fs := periodFilters(n/2, n/2+scaleMonth)
				for b.Loop() {
					if _, err := d.Count(ctx, scaleKind, fs, "category"); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("count-20-runs-one-connection", func(b *testing.B) {
				one := onePool(b)
				d1, err := postgres.New(ctx, one, postgres.WithSchema(d.Schema()))
				if err != nil {
					b.Fatal(err)
				}
				fs := periodFilters(n/2, n/2+scaleMonth)
				var worst, first time.Duration
				for b.Loop() {
					for i := range 20 {
						start := time.Now()
						if _, err := d1.Count(ctx, scaleKind, fs, "category", "status"); err != nil {
							b.Fatal(err)
						}
						el := time.Since(start)
						if i == 0 {
							first = el
						}
						worst = max(worst, el)
					}
				}
				b.ReportMetric(float64(worst)/float64(first), "slowest/first")
			})
			if n <= 100_000 {
				b.Run("export-period-all-file-store", func(b *testing.B) {
					fd := fileStore(b, n)
					cpu0 := processCPU()
					for b.Loop() {
						if got := listAll(b, fd, store.Query{Filters: periodFilters(0, n)}); got != n {
							b.Fatalf("exported %d, want %d", got, n)
						}
					}
					b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
					b.ReportMetric(float64(processCPU()-cpu0)/float64(n*b.N), "cpu-ns/record")
				})
			}
		})
	}
}

// processCPU is this process's CPU time (user and system), in ns.
func processCPU() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// backendCPU is the CPU time of a server process on this machine, in ns,
// from /proc (utime and stime, fields 14 and 15, in clock ticks of 10 ms:
// coarse, so measure over seconds).
func backendCPU(tb testing.TB, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		tb.Skipf("the server's CPU time needs it on this machine: %v", err)
	}
	// The command name (field 2) may hold spaces: count from its ")".
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return (ut + st) * int64(10*time.Millisecond)
}

// scaleCalls is how many single-record calls one iteration makes.
const scaleCalls = 200

// perCall reports the time per single-record call.
func perCall(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*scaleCalls), "us/call")
}

// onePool is a pool of one connection, so that repeated statements run on
// the same server session (and its prepared statements).
func onePool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	cfg, err := pgxpool.ParseConfig(testDSN(tb))
	if err != nil {
		tb.Fatal(err)
	}
	cfg.MaxConns = 1
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(p.Close)
	return p
}

// fileStore loads the same n complaints into a file store in a temp dir.
func fileStore(tb testing.TB, n int) *file.Driver {
	tb.Helper()
	fd, err := file.Open(filepath.Join(tb.TempDir(), "store"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = fd.Close() })
	for i := 0; i < n; i += 2000 {
		ws := make([]store.Write, 0, 2000)
		for j := i; j < min(i+2000, n); j++ {
			ws = append(ws, store.Write{Action: store.ActionCreate, Record: scaleRecord(j)})
		}
		if _, err := fd.Batch(context.Background(), ws); err != nil {
			tb.Fatal(err)
		}
	}
	return fd
}

// TestCountPlanStable runs a grouped count 20 times on one connection and
// checks that PostgreSQL never ran it with a generic plan: prepared
// statements switch to one after five runs, and for the grouped count that
// plan was a nested loop a thousand times slower (issue 13). The server's
// own counters say which plans ran (pg_prepared_statements.generic_plans).
func TestCountPlanStable(t *testing.T) {
	testDSN(t)
	ctx := context.Background()
	one := onePool(t)
	d, err := postgres.New(ctx, one, postgres.WithSchema(freshSchema(t)))
	if err != nil {
		t.Fatal(err)
	}
	ws := make([]store.Write, 2000)
	for i := range ws {
		ws[i] = store.Write{Action: store.ActionCreate, Record: scaleRecord(i)}
	}
	if _, err := d.Batch(ctx, ws); err != nil {
		t.Fatal(err)
	}
	fs := periodFilters(0, 1000)
	var want []store.Group
	for i := range 20 {
		gs, err := d.Count(ctx, scaleKind, fs, "category")
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			want = gs
		} else if !slices.EqualFunc(gs, want, func(a, b store.Group) bool { return a.Count == b.Count && slices.Equal(a.Values, b.Values) }) {
			t.Fatalf("run %d counted %v, first run %v", i+1, gs, want)
		}
	}
	var generic int64
	if err := one.QueryRow(ctx, `SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements WHERE statement LIKE '%count(*)%' AND statement NOT LIKE '%pg_prepared_statements%'`).Scan(&generic); err != nil {
		t.Fatal(err)
	}
	if generic != 0 {
		t.Fatalf("the grouped count ran %d times with a generic plan on one connection; every run must be planned for its arguments", generic)
	}
}

// scaleExplain is TestExplainPlans's workload size, from CXKIT_PG_EXPLAIN.
func scaleExplain(t *testing.T) int {
	n, _ := strconv.Atoi(os.Getenv("CXKIT_PG_EXPLAIN"))
	if n == 0 {
		t.Skip("set CXKIT_PG_EXPLAIN=<records> (e.g. 100000) to load them and log the query plans")
	}
	return n
}
