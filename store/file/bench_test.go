package file

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// Benchmarks of the workloads the project compares against SQLite and
// bbolt (internal/bench runs the comparison).

var statuses = []string{"open", "investigating", "resolved", "closed", "escalated"}

func benchRecord(i int, body []byte) store.Record {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return store.Record{
		Kind: "complaint", ID: fmt.Sprintf("01J%023d", i),
		Attrs:   map[string]string{"status": statuses[i%len(statuses)], "channel": strconv.Itoa(i % 4)},
		Body:    body,
		Created: t0, Updated: t0,
	}
}

func benchBody(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return b
}

func BenchmarkCreate(b *testing.B) {
	d := mustOpen(b, b.TempDir())
	body := benchBody(512)
	b.SetBytes(512)
	i := 0
	for b.Loop() {
		if _, err := d.Create(ctx, benchRecord(i, body)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkCreateParallel16(b *testing.B) {
	d := mustOpen(b, b.TempDir())
	body := benchBody(512)
	b.SetBytes(512)
	b.SetParallelism(16 / max(1, runtime.GOMAXPROCS(0)))
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := d.Create(ctx, benchRecord(int(n.Add(1)), body)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkBatch1000(b *testing.B) {
	d := mustOpen(b, b.TempDir())
	body := benchBody(512)
	b.SetBytes(512 * 1000)
	i := 0
	ws := make([]store.Write, 1000)
	for b.Loop() {
		for k := range ws {
			ws[k] = store.Write{Action: store.ActionCreate, Record: benchRecord(i, body)}
			i++
		}
		if _, err := d.Batch(ctx, ws); err != nil {
			b.Fatal(err)
		}
	}
}

// benchFilled returns a driver holding n records of 512-byte bodies.
func benchFilled(b *testing.B, n int) *Driver {
	dir := b.TempDir()
	d := mustOpen(b, dir)
	body := benchBody(512)
	ws := make([]store.Write, 0, 1000)
	for i := range n {
		ws = append(ws, store.Write{Action: store.ActionCreate, Record: benchRecord(i, body)})
		if len(ws) == cap(ws) || i == n-1 {
			if _, err := d.Batch(ctx, ws); err != nil {
				b.Fatal(err)
			}
			ws = ws[:0]
		}
	}
	return d
}

func BenchmarkGet(b *testing.B) {
	const n = 100_000
	d := benchFilled(b, n)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = benchRecord(i, nil).ID
	}
	i := 0
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := d.Get(ctx, "complaint", ids[(i*7919)%n]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// reportCPU starts measuring the process's CPU time; the function it
// returns reports it per op as cpu-ns/op. Call it after the setup, as
// defer reportCPU(b)().
func reportCPU(b *testing.B) func() {
	c0 := cpuTime()
	return func() {
		if c := cpuTime() - c0; c > 0 && b.N > 0 {
			b.ReportMetric(float64(c.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

func BenchmarkListAll(b *testing.B) {
	const n = 100_000
	d := benchFilled(b, n)
	b.SetBytes(512 * n)
	defer reportCPU(b)()
	for b.Loop() {
		got := 0
		for q := (store.Query{Limit: store.MaxLimit}); ; {
			p, err := d.List(ctx, "complaint", q)
			if err != nil {
				b.Fatal(err)
			}
			got += len(p.Records)
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		if got != n {
			b.Fatalf("listed %d", got)
		}
	}
}

func BenchmarkCountGrouped(b *testing.B) {
	const n = 100_000
	d := benchFilled(b, n)
	for b.Loop() {
		if _, err := d.Count(ctx, "complaint", []store.Filter{store.WhereIn("status", "open", "escalated")}, "channel"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOpenMillion measures the open time and index memory of a million
// records. It takes a while and some 700 MB of disk, so it runs only with
// CXKIT_FILE_BIG=1.
func TestOpenMillion(t *testing.T) {
	if os.Getenv("CXKIT_FILE_BIG") == "" {
		t.Skip("set CXKIT_FILE_BIG=1 to run")
	}
	const n = 1_000_000
	bodyLen := 512
	if s := os.Getenv("CXKIT_FILE_BODY"); s != "" {
		bodyLen, _ = strconv.Atoi(s)
	}
	dir := t.TempDir()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	body := benchBody(bodyLen)
	var payload int64
	ws := make([]store.Write, 0, 1000)
	for i := range n {
		r := benchRecord(i, body)
		payload += int64(len(r.ID) + len(r.Body) + len(r.Kind))
		for k, v := range r.Attrs {
			payload += int64(len(k) + len(v))
		}
		ws = append(ws, store.Write{Action: store.ActionCreate, Record: r})
		if len(ws) == cap(ws) {
			if _, err := d.Batch(ctx, ws); err != nil {
				t.Fatal(err)
			}
			ws = ws[:0]
		}
	}
	d.Close()
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	start := time.Now()
	d, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&m1)
	heap := int64(m1.HeapAlloc) - int64(m0.HeapAlloc)
	t.Logf("open %d records (%d MB log, %d MB payload): %v; heap after open %d MB = %.2fx payload, %d B/record",
		n, d.Stats().LogBytes>>20, payload>>20, el, heap>>20, float64(heap)/float64(payload), heap/n)
	d.Close()
}
