package file

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

var errInjected = errors.New("injected I/O error")

// faultyFile fails on demand: a sync, or a write cut short half-way (as a
// full disk does).
type faultyFile struct {
	logFile
	failSync   atomic.Bool
	shortWrite atomic.Bool
	syncs      atomic.Int64
}

func (f *faultyFile) WriteAt(b []byte, off int64) (int, error) {
	if f.shortWrite.Load() {
		n, _ := f.logFile.WriteAt(b[:len(b)/2], off)
		return n, fmt.Errorf("%w: %w", io.ErrShortWrite, errInjected)
	}
	return f.logFile.WriteAt(b, off)
}

func (f *faultyFile) Sync() error {
	f.syncs.Add(1)
	if f.failSync.Load() {
		return errInjected
	}
	return f.logFile.Sync()
}

// openFaulty opens dir with every log file wrapped in a faultyFile and
// returns the driver and a function giving the current wrapper.
func openFaulty(t *testing.T, dir string, opts ...Option) (*Driver, func() *faultyFile) {
	var mu sync.Mutex
	var last *faultyFile
	wrap := withFileWrapper(func(f logFile) logFile {
		mu.Lock()
		defer mu.Unlock()
		last = &faultyFile{logFile: f}
		return last
	})
	d := mustOpen(t, dir, append(opts, wrap)...)
	return d, func() *faultyFile { mu.Lock(); defer mu.Unlock(); return last }
}

func TestFaults(t *testing.T) {
	for _, c := range []struct {
		name   string
		inject func(*faultyFile)
	}{
		{"FailedSync", func(f *faultyFile) { f.failSync.Store(true) }},
		{"ShortWrite", func(f *faultyFile) { f.shortWrite.Store(true) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			d, ff := openFaulty(t, dir)
			acked := fill(t, d, 5)
			c.inject(ff())
			_, err := d.Create(ctx, rec("doomed", "never acknowledged"))
			if !errors.Is(err, store.ErrReadOnly) || !errors.Is(err, errInjected) {
				t.Fatalf("write during fault = %v, want ErrReadOnly wrapping the cause", err)
			}
			var se *store.Error
			if !errors.As(err, &se) || se.Kind != "note" || se.ID != "doomed" {
				t.Fatalf("error %v does not name the record", err)
			}
			// The fault clears, but the driver never retries: every later
			// write fails the same way, whatever it is.
			ff().failSync.Store(false)
			ff().shortWrite.Store(false)
			syncs := ff().syncs.Load()
			if _, err := d.Create(ctx, rec("later", "x")); !errors.Is(err, store.ErrReadOnly) || !errors.Is(err, errInjected) {
				t.Fatalf("later create = %v", err)
			}
			up := acked[0]
			if _, err := d.Update(ctx, up); !errors.Is(err, store.ErrReadOnly) {
				t.Fatalf("later update = %v", err)
			}
			if err := d.Delete(ctx, "note", up.ID, up.Version); !errors.Is(err, store.ErrReadOnly) {
				t.Fatalf("later delete = %v", err)
			}
			if _, err := d.Batch(ctx, []store.Write{{Action: store.ActionCreate, Record: rec("b", "x")}}); !errors.Is(err, store.ErrReadOnly) {
				t.Fatalf("later batch = %v", err)
			}
			if err := d.Compact(ctx); !errors.Is(err, store.ErrReadOnly) {
				t.Fatalf("compact = %v", err)
			}
			if n := ff().syncs.Load(); n != syncs {
				t.Fatalf("driver synced %d more times after the failure", n-syncs)
			}
			if !d.Stats().ReadOnly {
				t.Fatal("Stats.ReadOnly is false")
			}
			// Reads go on, and the failed write is not visible.
			checkRecords(t, d, acked)
			if _, err := d.Get(ctx, "note", "doomed"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("Get of the failed write = %v", err)
			}
			d.Close()

			// Reopened, nothing acknowledged is lost.
			d2 := mustOpen(t, dir)
			for _, w := range acked {
				if _, err := d2.Get(ctx, "note", w.ID); err != nil {
					t.Fatal(err)
				}
			}
			if c.name == "ShortWrite" {
				checkRecords(t, d2, acked)
				if rep := d2.Recovery(); !rep.Truncated {
					t.Fatalf("half a frame was not cut: %+v", rep)
				}
			}
		})
	}
}

// TestFaultBackgroundSync: in the interval mode a failed background sync
// turns the driver read-only too.
func TestFaultBackgroundSync(t *testing.T) {
	d, ff := openFaulty(t, t.TempDir(), WithSyncInterval(time.Millisecond))
	fill(t, d, 2)
	ff().failSync.Store(true)
	mustCreate(t, d, rec("unsynced", "x"))
	for i := 0; ; i++ {
		_, err := d.Create(ctx, rec(fmt.Sprintf("x%d", i), "x"))
		if errors.Is(err, store.ErrReadOnly) && errors.Is(err, errInjected) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestFaultCompaction: a compaction whose new file fails to sync changes
// nothing: the old generation stays live and writable.
func TestFaultCompaction(t *testing.T) {
	dir := t.TempDir()
	var n atomic.Int32
	d := mustOpen(t, dir, withFileWrapper(func(f logFile) logFile {
		ff := &faultyFile{logFile: f}
		// Files opened: generation 1 (its temporary name, then its final
		// one), then the compaction's temporary file.
		if n.Add(1) == 3 {
			ff.failSync.Store(true)
		}
		return ff
	}))
	rs := fill(t, d, 10)
	if err := d.Compact(ctx); !errors.Is(err, errInjected) {
		t.Fatalf("Compact = %v", err)
	}
	rs = append(rs, mustCreate(t, d, rec("after", "still writable")))
	checkRecords(t, d, rs)
	d.Close()
	d = mustOpen(t, dir)
	checkRecords(t, d, rs)
	if rep := d.Recovery(); rep.File != logName(1) || len(rep.Removed) != 0 {
		t.Fatalf("recovery %+v", rep)
	}
}

// TestGroupCommit: concurrent writers share syncs.
func TestGroupCommit(t *testing.T) {
	d, ff := openFaulty(t, t.TempDir())
	const writers, each = 16, 40
	before := ff().syncs.Load()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if _, err := d.Create(ctx, rec(fmt.Sprintf("w%02d-%03d", w, i), "x")); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	syncs := ff().syncs.Load() - before
	t.Logf("%d writes, %d syncs", writers*each, syncs)
	if syncs >= writers*each/2 {
		t.Fatalf("%d syncs for %d writes: no group commit", syncs, writers*each)
	}
}

// sizeFile records the largest write.
type sizeFile struct {
	logFile
	largest atomic.Int64
}

func (f *sizeFile) WriteAt(b []byte, off int64) (int, error) {
	for {
		cur := f.largest.Load()
		if int64(len(b)) <= cur || f.largest.CompareAndSwap(cur, int64(len(b))) {
			break
		}
	}
	return f.logFile.WriteAt(b, off)
}

// TestGroupLimit: concurrent large writes are not grouped past
// maxGroupBytes, so that no frame grows without bound; each still commits.
func TestGroupLimit(t *testing.T) {
	dir := t.TempDir()
	var sf *sizeFile
	d := mustOpen(t, dir, withFileWrapper(func(f logFile) logFile { sf = &sizeFile{logFile: f}; return sf }))
	big := make([]byte, 3<<20)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			mustCreate(t, d, store.Record{Kind: "blob", ID: fmt.Sprintf("b%d", i), Body: big})
		})
	}
	wg.Wait()
	if got := sf.largest.Load(); got > maxGroupBytes {
		t.Fatalf("a write of %d bytes: groups exceed %d", got, maxGroupBytes)
	}
	d.Close()
	d = mustOpen(t, dir)
	for i := range 8 {
		if r, err := d.Get(ctx, "blob", fmt.Sprintf("b%d", i)); err != nil || len(r.Body) != len(big) {
			t.Fatalf("b%d: %v", i, err)
		}
	}
}
