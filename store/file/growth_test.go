package file

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// The growth measurement: the operations behind the domain packages'
// reports and workflow steps, on stores of growing size whose month of
// interest holds the same number of complaints, so that any growth is the
// store's doing. It runs at the smallest size in the normal suite (a
// second or two) and prints what it measures; larger sizes are asked for
// with -growth.sizes, and -growth.dir keeps the stores between runs:
//
//	go test ./store/file -run '^TestGrowth$' -v -growth.sizes 10000,100000,1000000 -growth.dir /var/tmp/growth
//
// It asserts only what the operations return, never how long they take.

var (
	growthSizes = flag.String("growth.sizes", "10000", "store sizes TestGrowth measures, comma-separated")
	growthDir   = flag.String("growth.dir", "", "directory TestGrowth keeps its stores in (default: a temporary one)")
)

// perMonth is the complaints of each month, whatever the store's size:
// record i is received i*period/perMonth after the first.
const perMonth = 10_000

var growthStart = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)

// complaintAt returns complaint i as the complaints package would store
// it: fourteen or fifteen attributes, the received time among them, and a
// JSON body of about 600 bytes.
func complaintAt(i int) store.Record {
	rng := rand.New(rand.NewPCG(uint64(i), 0xc0))
	month := growthStart.AddDate(0, i/perMonth, 0)
	next := month.AddDate(0, 1, 0)
	received := month.Add(time.Duration(int64(next.Sub(month)/time.Millisecond)*int64(i%perMonth)/perMonth) * time.Millisecond)
	status := []string{"received", "acknowledged", "investigating", "resolved", "closed", "escalated"}[rng.IntN(6)]
	open := "1"
	if status == "resolved" || status == "closed" {
		open = "0"
	}
	attrs := map[string]string{
		"org":         "acme",
		"received":    store.TimeKey(received),
		"day":         received.Format(time.DateOnly),
		"month":       received.Format("2006-01"),
		"category":    []string{"billing", "delivery", "quality", "staff", "website", "returns", "warranty", "other"}[rng.IntN(8)],
		"made_by":     []string{"customer", "representative", "regulator"}[rng.IntN(3)],
		"directed_at": []string{"organisation", "staff", "product", "partner"}[rng.IntN(4)],
		"channel":     []string{"email", "phone", "web", "store", "letter"}[rng.IntN(5)],
		"severity":    []string{"low", "medium", "high", "critical"}[rng.IntN(4)],
		"status":      status,
		"open":        open,
		"customer":    fmt.Sprintf("cust-%06d", rng.IntN(50_000)),
		"escalated":   strconv.Itoa(rng.IntN(2)),
		"external":    strconv.Itoa(rng.IntN(2)),
	}
	if open == "0" {
		attrs["first_contact"] = strconv.Itoa(rng.IntN(2))
	}
	body := fmt.Sprintf(`{"org":"acme","received":%q,"category":%q,"channel":%q,"customer":{"ref":%q,"name":"Customer %d"},"summary":"complaint %d","text":%q}`,
		received.Format(time.RFC3339Nano), attrs["category"], attrs["channel"], attrs["customer"], i, i, strings.Repeat("words of the complaint ", 20))
	return store.Record{Kind: "complaint", ID: fmt.Sprintf("01J%023d", i), Attrs: attrs, Body: []byte(body), Created: received, Updated: received}
}

// growthStore returns the directory of a store of n complaints, building it
// unless -growth.dir holds it already.
func growthStore(t *testing.T, n int) string {
	t.Helper()
	base := *growthDir
	if base == "" {
		base = t.TempDir()
	}
	dir := filepath.Join(base, fmt.Sprintf("complaints-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "built")); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	// Two thirds, then a checkpoint kept aside, then the rest: the kept
	// checkpoint is what a crash finds in the worst case, since a running
	// store checkpoints whenever its log grows by half.
	add := func(from, to int) {
		d, err := Open(dir, WithSyncInterval(-1))
		if err != nil {
			t.Fatal(err)
		}
		ws := make([]store.Write, 0, 1000)
		for i := from; i < to; i++ {
			ws = append(ws, store.Write{Action: store.ActionCreate, Record: complaintAt(i)})
			if len(ws) == cap(ws) || i == to-1 {
				if _, err := d.Batch(ctx, ws); err != nil {
					t.Fatal(err)
				}
				ws = ws[:0]
			}
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
	}
	add(0, 2*n/3)
	b, err := os.ReadFile(filepath.Join(dir, ckptName))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "two-thirds.ckpt"), b, 0o644)
	add(2*n/3, n)
	os.WriteFile(filepath.Join(dir, "built"), nil, 0o644)
	return dir
}

// median runs f k times and returns the median duration of one run.
func median(k int, f func()) time.Duration {
	ds := make([]time.Duration, k)
	for i := range ds {
		start := time.Now()
		f()
		ds[i] = time.Since(start)
	}
	slices.Sort(ds)
	return ds[k/2]
}

// heapInUse is the live heap after a collection, and the process's
// resident memory after returning what it can to the system.
func heapInUse() (heap, rss int64) {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			rss = kb << 10
		}
	}
	return int64(m.HeapAlloc), rss
}

type growthRow struct {
	n                                   int
	openClean, openFull                 time.Duration
	openCleanCPU, openFullCPU           time.Duration
	openCrash, openCrashCPU             time.Duration
	heapPer, rssPer, heapRange          float64
	pareto, trend, summary, page, page2 time.Duration
	get, update                         time.Duration
}

func TestGrowth(t *testing.T) {
	var rows []growthRow
	for _, s := range strings.Split(*growthSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < perMonth {
			t.Fatalf("-growth.sizes: %q is not a size of at least %d", s, perMonth)
		}
		rows = append(rows, measureGrowth(t, n))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%9s %10s %10s %8s %8s %8s %9s %9s %9s %9s %9s %8s %8s\n", "records", "open", "open-full", "heap/rec", "+range", "rss/rec", "pareto", "trend", "summary", "page1", "page5", "get", "update")
	for _, r := range rows {
		fmt.Fprintf(&b, "%9d %10v %10v %8.0f %8.0f %8.0f %9v %9v %9v %9v %9v %8v %8v\n", r.n, r.openClean.Round(time.Microsecond), r.openFull.Round(time.Millisecond),
			r.heapPer, r.heapRange, r.rssPer, r.pareto.Round(time.Microsecond), r.trend.Round(time.Microsecond), r.summary.Round(time.Microsecond),
			r.page.Round(time.Microsecond), r.page2.Round(time.Microsecond), r.get.Round(10*time.Nanosecond), r.update.Round(time.Microsecond))
	}
	if len(rows) > 1 {
		r0 := rows[0]
		ratio := func(a, b time.Duration) string { return fmt.Sprintf("%.2fx", float64(a)/float64(b)) }
		for _, r := range rows[1:] {
			fmt.Fprintf(&b, "%9s %10s %10s %8.2f %8.2f %8.2f %9s %9s %9s %9s %9s %8s %8s\n", fmt.Sprintf("%dx", r.n/r0.n),
				ratio(r.openClean, r0.openClean), ratio(r.openFull, r0.openFull), r.heapPer/r0.heapPer, r.heapRange/r0.heapRange, r.rssPer/r0.rssPer,
				ratio(r.pareto, r0.pareto), ratio(r.trend, r0.trend), ratio(r.summary, r0.summary), ratio(r.page, r0.page), ratio(r.page2, r0.page2),
				ratio(r.get, r0.get), ratio(r.update, r0.update))
		}
	}
	b.WriteString("\nOpens, wall and CPU time (a busy machine stretches the first, not the second):\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%9d records: open %v (%v CPU), after a crash %v (%v CPU), with no checkpoint %v CPU\n", r.n,
			r.openClean.Round(time.Millisecond), r.openCleanCPU.Round(time.Millisecond), r.openCrash.Round(time.Millisecond), r.openCrashCPU.Round(time.Millisecond), r.openFullCPU.Round(time.Millisecond))
	}
	t.Log(b.String())
}

func measureGrowth(t *testing.T, n int) growthRow {
	dir := growthStore(t, n)
	row := growthRow{n: n}

	// Open with no usable checkpoint, as after a crash of a store never
	// closed cleanly: the whole log is replayed. Close writes the
	// checkpoint again.
	os.Remove(filepath.Join(dir, ckptName))
	start, cpu := time.Now(), cpuTime()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	row.openFull, row.openFullCPU = time.Since(start), cpuTime()-cpu
	d.Close()

	// Open after a crash: the checkpoint of two thirds of the log and the
	// last third replayed.
	b, err := os.ReadFile(filepath.Join(dir, "two-thirds.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ckptName), b, 0o644)
	start, cpu = time.Now(), cpuTime()
	if d, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	row.openCrash, row.openCrashCPU = time.Since(start), cpuTime()-cpu
	if d.ckptAt.Load() == 0 || d.ckptAt.Load() == d.size {
		t.Fatalf("crash open: checkpoint covers %d of %d", d.ckptAt.Load(), d.size)
	}
	d.Close()

	h0, r0 := heapInUse()
	start, cpu = time.Now(), cpuTime()
	d, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	row.openClean, row.openCleanCPU = time.Since(start), cpuTime()-cpu
	defer d.Close()
	if d.ckptAt.Load() == 0 {
		t.Fatal("clean open did not use the checkpoint")
	}
	h1, r1 := heapInUse()
	row.heapPer, row.rssPer = float64(h1-h0)/float64(n), float64(r1-r0)/float64(n)

	// The last whole month, which holds perMonth complaints at every size.
	m := growthStart.AddDate(0, n/perMonth-1, 0)
	month := append([]store.Filter{store.Where("org", "acme")}, store.Between("received", store.TimeKey(m), store.TimeKey(m.AddDate(0, 1, 0)))...)
	count := func(groupBy ...string) []store.Group {
		gs, err := d.Count(ctx, "complaint", month, groupBy...)
		if err != nil {
			t.Fatal(err)
		}
		return gs
	}
	var total int64
	for _, g := range count() {
		total += g.Count
	}
	if total != perMonth {
		t.Fatalf("%d records: the month holds %d complaints, want %d", n, total, perMonth)
	}
	h2, _ := heapInUse() // with the range index the first count built
	row.heapRange = float64(h2-h0) / float64(n)
	row.pareto = median(7, func() { count("category") })             // a Pareto of the month
	row.trend = median(7, func() { count("day") })                   // a daily trend of the month
	row.summary = median(7, func() { count("channel", "severity") }) // a summary by two attributes
	var cursor string
	row.page = median(7, func() {
		p, err := d.List(ctx, "complaint", store.Query{Filters: month, Limit: store.MaxLimit})
		if err != nil || len(p.Records) != store.MaxLimit {
			t.Fatalf("page: %d records, %v", len(p.Records), err)
		}
		cursor = p.Records[len(p.Records)-1].ID
	})
	// A later page: four pages on.
	after := fmt.Sprintf("01J%023d", n-perMonth+4*store.MaxLimit-1)
	_ = cursor
	row.page2 = median(7, func() {
		p, err := d.List(ctx, "complaint", store.Query{Filters: month, Limit: store.MaxLimit, After: after})
		if err != nil || len(p.Records) != store.MaxLimit {
			t.Fatalf("page 5: %d records, %v", len(p.Records), err)
		}
	})
	rng := rand.New(rand.NewPCG(1, 2))
	const gets = 2000
	row.get = median(3, func() {
		for range gets {
			if _, err := d.Get(ctx, "complaint", fmt.Sprintf("01J%023d", rng.IntN(n))); err != nil {
				t.Fatal(err)
			}
		}
	}) / gets
	const updates = 50
	row.update = median(3, func() {
		for range updates {
			r, err := d.Get(ctx, "complaint", fmt.Sprintf("01J%023d", n-1-rng.IntN(perMonth)))
			if err != nil {
				t.Fatal(err)
			}
			r.Attrs["status"] = "investigating"
			if _, err := d.Update(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
	}) / updates
	return row
}
