package file

import (
	"fmt"
	"os"
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
