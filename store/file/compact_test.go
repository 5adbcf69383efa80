package file

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// TestCompact: compaction keeps exactly the live records, shrinks the log,
// moves to the next generation and survives a reopen.
func TestCompact(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	rs := fill(t, d, 50)
	for round := range 5 {
		for i := range rs {
			up := rs[i]
			up.Body = []byte(fmt.Sprintf("round %d of %s", round, up.ID))
			var err error
			if rs[i], err = d.Update(ctx, up); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, r := range rs[40:] {
		if err := d.Delete(ctx, "note", r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
	}
	rs = rs[:40]
	before := d.Stats()
	if err := d.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	after := d.Stats()
	if after.LogBytes >= before.LogBytes/3 || after.LogBytes != after.LiveBytes || after.Records != 40 {
		t.Fatalf("before %+v, after %+v", before, after)
	}
	if _, err := os.Stat(logPath(dir, 1)); !os.IsNotExist(err) {
		t.Fatalf("old generation still there: %v", err)
	}
	if got := fileSize(t, logPath(dir, 2)); got != after.LogBytes {
		t.Fatalf("log file is %d bytes, stats say %d", got, after.LogBytes)
	}
	checkRecords(t, d, rs)
	// Writes go on in the new generation.
	rs = append(rs, mustCreate(t, d, rec("after", "compaction")))
	d.Close()
	d = mustOpen(t, dir)
	checkRecords(t, d, rs)
	if rep := d.Recovery(); rep.File != logName(2) || rep.Truncated {
		t.Fatalf("recovery %+v", rep)
	}
}

// TestCompactConcurrent: reads, writes and compactions at once (run with
// -race); nothing acknowledged goes missing and reads never see a record
// that is not the one they asked for.
func TestCompactConcurrent(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir, WithAutoCompact(0.2, 16<<10))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var mu sync.Mutex
	final := map[string]int64{}
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := mustCreate(t, d, rec(fmt.Sprintf("w%d-%05d", w, i), fmt.Sprintf("v1 %d", i)))
				up := r
				up.Body = []byte(fmt.Sprintf("v2 %d", i))
				r2, err := d.Update(ctx, up)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				final[r2.ID] = r2.Version
				mu.Unlock()
			}
		})
	}
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			p, err := d.List(ctx, "note", store.Query{Limit: 200})
			if err != nil {
				t.Error(err)
				return
			}
			for _, r := range p.Records {
				if g, err := d.Get(ctx, "note", r.ID); err != nil || g.ID != r.ID {
					t.Errorf("Get %s: %v", r.ID, err)
					return
				}
			}
		}
	})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				if err := d.Compact(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		}
	})
	time.Sleep(400 * time.Millisecond)
	close(stop)
	wg.Wait()
	d.Close()
	d = mustOpen(t, dir)
	for id, v := range final {
		g, err := d.Get(ctx, "note", id)
		if err != nil || g.Version != v {
			t.Fatalf("%s: v%d %v, want v%d", id, g.Version, err, v)
		}
	}
	t.Logf("%d records, now generation %s", len(final), d.Recovery().File)
}

// TestCompactWritersGoOn: writes made while compaction copies (updates and
// deletes of records it is copying, new records, a new kind), enough to
// need a round of copying frames before the switch and some for the
// switch itself, are all in the new generation, as they are after a
// reopen from its checkpoint and after a full replay.
func TestCompactWritersGoOn(t *testing.T) {
	dir := t.TempDir()
	var d *Driver
	want := map[string]store.Record{}
	var mu sync.Mutex
	body := strings.Repeat("x", 1000)
	write := func(from, to int) {
		for i := from; i < to; i++ {
			id := fmt.Sprintf("r%05d", i%700)
			mu.Lock()
			r, ok := want[id]
			mu.Unlock()
			var err error
			deleted := false
			switch {
			case !ok:
				r, err = d.Create(ctx, rec(id, body))
			case i%5 == 0:
				err = d.Delete(ctx, "note", id, r.Version)
				deleted = true
			default:
				r.Body = []byte(fmt.Sprintf("%s v%d", body, r.Version+1))
				r, err = d.Update(ctx, r)
			}
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			if deleted {
				delete(want, id)
			} else {
				want[id] = r
			}
			mu.Unlock()
		}
	}
	phases := map[string]int{}
	d = mustOpen(t, dir, WithSyncInterval(-1), withCompactHook(func(phase string) {
		phases[phase]++
		switch {
		case phase == "copy":
			write(0, 900) // well over compactTailBytes
			if _, err := d.Create(ctx, store.Record{Kind: "other", ID: "o1", Body: []byte("new kind")}); err != nil {
				t.Error(err)
			}
		case phase == "tail" && phases["tail"] == 1:
			write(900, 950) // left for the switch
		}
	}))
	write(0, 700)
	if err := d.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if phases["tail"] < 2 {
		t.Fatalf("phases %v: no round of copying frames before the switch", phases)
	}
	check := func(d *Driver, when string) {
		t.Helper()
		for id, w := range want {
			g, err := d.Get(ctx, "note", id)
			if err != nil || g.Version != w.Version || string(g.Body) != string(w.Body) {
				t.Fatalf("%s: %s = v%d %.20q, %v; want v%d %.20q", when, id, g.Version, g.Body, err, w.Version, w.Body)
			}
		}
		gs, err := d.Count(ctx, "note", nil)
		if err != nil || gs[0].Count != int64(len(want)) {
			t.Fatalf("%s: count %v, %v; want %d", when, gs, err, len(want))
		}
		if o, err := d.Get(ctx, "other", "o1"); err != nil || string(o.Body) != "new kind" {
			t.Fatalf("%s: other/o1 = %v, %v", when, o, err)
		}
	}
	check(d, "after compaction")
	if st := d.Stats(); st.LiveBytes > st.LogBytes || st.LogBytes-st.LiveBytes < 100_000 {
		// The versions overwritten during the copy are garbage now.
		t.Fatalf("stats %+v: the copies overwritten meanwhile are not counted as garbage", st)
	}
	d.Close()
	d2 := mustOpen(t, dir)
	if d2.ckptAt.Load() == 0 || d2.gen != 2 {
		t.Fatalf("reopen: gen %d, checkpoint covers %d", d2.gen, d2.ckptAt.Load())
	}
	check(d2, "reopen")
	d2.Close()
	check(fullReplay(t, dir), "full replay")
}

var compactN = flag.Int("compact.n", 100_000, "records BenchmarkCompactWriteLatency compacts")

// BenchmarkCompactWriteLatency compacts a store of -compact.n records (half
// of them overwritten once, so that a third of the log is garbage) while
// one writer updates random records, and reports the writer's longest,
// 99th-percentile and median update during the compactions (what a
// compaction costs the writers, scheduling noise of a busy machine
// included), and the longest of the compactions' three pauses of writers
// (max-pause-ms: what compaction itself holds them up), each pause apart,
// and the longest update of the same writer for as long with no compaction
// (the machine's and the disk's own noise).
// The writer syncs every update (durable, the default) or leaves it to
// the system (relaxed: WithSyncInterval(-1)), where what is measured is
// the compaction's pause, not the disk's.
//
//	go test ./store/file -run '^$' -bench CompactWriteLatency -benchtime 3x -compact.n 1000000
func BenchmarkCompactWriteLatency(b *testing.B) {
	for _, mode := range []struct {
		name string
		sync time.Duration
	}{{"durable", 0}, {"relaxed", -1}} {
		b.Run(mode.name, func(b *testing.B) { benchCompactWrites(b, mode.sync) })
	}
}

func benchCompactWrites(b *testing.B, sync time.Duration) {
	n := *compactN
	d := mustOpen(b, b.TempDir(), WithSyncInterval(sync), WithAutoCompact(0, 0))
	body := benchBody(512)
	ws := make([]store.Write, 0, 1000)
	flush := func() {
		if _, err := d.Batch(ctx, ws); err != nil {
			b.Fatal(err)
		}
		ws = ws[:0]
	}
	for i := range n {
		ws = append(ws, store.Write{Action: store.ActionCreate, Record: benchRecord(i, body)})
		if len(ws) == cap(ws) {
			flush()
		}
	}
	for i := 0; i < n; i += 2 {
		r := benchRecord(i, body)
		r.Version = 1
		ws = append(ws, store.Write{Action: store.ActionUpdate, Record: r})
		if len(ws) == cap(ws) {
			flush()
		}
	}
	if len(ws) > 0 {
		flush()
	}
	var lats []time.Duration
	var compactTime time.Duration
	var maxPause [3]time.Duration
	rng := rand.New(rand.NewPCG(1, 2))
	// writer updates random records until stop is closed, noting each
	// update's latency in *into.
	writer := func(stop <-chan struct{}, into *[]time.Duration) <-chan struct{} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				r, err := d.Get(ctx, "complaint", benchRecord(rng.IntN(n), nil).ID)
				if err != nil {
					b.Error(err)
					return
				}
				start := time.Now()
				if _, err := d.Update(ctx, r); err != nil {
					b.Error(err)
					return
				}
				*into = append(*into, time.Since(start))
			}
		}()
		return done
	}
	var idle []time.Duration
	for b.Loop() {
		stop := make(chan struct{})
		done := writer(stop, &lats)
		start := time.Now()
		if err := d.Compact(ctx); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		compactTime += took
		for i, p := range d.compactPauses {
			maxPause[i] = max(maxPause[i], p)
		}
		close(stop)
		<-done
		// The same writer for as long, without a compaction: the machine's
		// and the disk's own noise, to set the figures above against.
		b.StopTimer()
		stop = make(chan struct{})
		done = writer(stop, &idle)
		time.Sleep(took)
		close(stop)
		<-done
		b.StartTimer()
	}
	if len(idle) > 0 {
		b.ReportMetric(float64(slices.Max(idle))/1e6, "max-write-no-compaction-ms")
	}
	slices.Sort(lats)
	if len(lats) > 0 {
		b.ReportMetric(float64(lats[len(lats)-1])/1e6, "max-write-ms")
		b.ReportMetric(float64(lats[len(lats)*99/100])/1e6, "p99-write-ms")
		b.ReportMetric(float64(lats[len(lats)/2])/1e3, "p50-write-µs")
		b.ReportMetric(float64(len(lats))/float64(b.N), "writes/compaction")
	}
	b.ReportMetric(compactTime.Seconds()/float64(b.N), "compact-s")
	b.ReportMetric(float64(max(maxPause[0], maxPause[1], maxPause[2]))/1e6, "max-pause-ms")
	b.ReportMetric(float64(maxPause[0])/1e6, "pause-start-ms")
	b.ReportMetric(float64(maxPause[1])/1e6, "pause-switch-ms")
	b.ReportMetric(float64(maxPause[2])/1e6, "pause-ckpt-ms")
}
