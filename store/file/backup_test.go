package file

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// writers runs n goroutines, each creating w<g>-<seq> in order until stop
// is closed, and returns how many each had acknowledged.
type writers struct {
	acked []atomic.Int64
	stop  chan struct{}
	wg    sync.WaitGroup
	err   atomic.Pointer[error]
}

func startWriters(d *Driver, n int) *writers {
	w := &writers{acked: make([]atomic.Int64, n), stop: make(chan struct{})}
	for g := range n {
		w.wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-w.stop:
					return
				default:
				}
				r := rec(fmt.Sprintf("w%02d-%06d", g, i), fmt.Sprintf("writer %d, record %d", g, i))
				if _, err := d.Create(context.Background(), r); err != nil {
					w.err.Store(&err)
					return
				}
				w.acked[g].Store(int64(i + 1))
			}
		})
	}
	return w
}

func (w *writers) counts() []int64 {
	out := make([]int64, len(w.acked))
	for i := range w.acked {
		out[i] = w.acked[i].Load()
	}
	return out
}

func (w *writers) finish(t *testing.T) []int64 {
	close(w.stop)
	w.wg.Wait()
	if p := w.err.Load(); p != nil {
		t.Fatal(*p)
	}
	return w.counts()
}

// checkPrefix fails unless d holds, of each writer's records, exactly the
// first k for some k between before[g] and after[g].
func checkPrefix(t *testing.T, d *Driver, before, after []int64) {
	t.Helper()
	have := map[string]bool{}
	for q := (store.Query{Limit: store.MaxLimit}); ; {
		p, err := d.List(ctx, "note", q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Records {
			if want := "writer "; !bytes.HasPrefix(r.Body, []byte(want)) {
				t.Fatalf("%s holds %q", r.ID, r.Body)
			}
			have[r.ID] = true
		}
		if p.Next == "" {
			break
		}
		q.After = p.Next
	}
	total := 0
	for g := range before {
		k := int64(0)
		for have[fmt.Sprintf("w%02d-%06d", g, k)] {
			k++
		}
		if k < before[g] || k > after[g] {
			t.Fatalf("writer %d: backup holds its first %d records; %d were acknowledged before the backup, %d by the end", g, k, before[g], after[g])
		}
		total += int(k)
	}
	if total != len(have) {
		t.Fatalf("backup holds %d records, %d of them beyond a writer's prefix", len(have), len(have)-total)
	}
}

// TestBackupUnderWriters: a backup taken while 16 writers go on opens,
// verifies, and holds of each writer a prefix of its acknowledged writes,
// at least all acknowledged before the backup began; so does a stream
// backup restored.
func TestBackupUnderWriters(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir, WithAutoCompact(0, 0))
	w := startWriters(d, 16)
	for total := int64(0); total < 300; time.Sleep(5 * time.Millisecond) {
		total = 0
		for _, c := range w.counts() {
			total += c
		}
	}
	before := w.counts()
	dest := filepath.Join(t.TempDir(), "backup")
	info, err := d.BackupDir(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	before2 := w.counts()
	var stream bytes.Buffer
	if _, err := d.Backup(ctx, &stream); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	after := w.finish(t)

	if got, err := VerifyBackup(ctx, dest); err != nil || got.SHA256 != info.SHA256 {
		t.Fatalf("VerifyBackup = %+v, %v", got, err)
	}
	b := mustOpen(t, dest)
	if n := b.Stats().Records; n != info.Records {
		t.Fatalf("backup opens with %d records, BACKUP says %d", n, info.Records)
	}
	checkPrefix(t, b, before, after)

	restored := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(ctx, &stream, restored); err != nil {
		t.Fatal(err)
	}
	checkPrefix(t, mustOpen(t, restored), before2, after)
}

// TestRestoreChecks: a stream cut short or damaged is refused and leaves
// no log behind; a live or non-empty directory is never overwritten.
func TestRestoreChecks(t *testing.T) {
	src := mustOpen(t, t.TempDir())
	fill(t, src, 20)
	var stream bytes.Buffer
	if _, err := src.Backup(ctx, &stream); err != nil {
		t.Fatal(err)
	}
	full := stream.Bytes()
	for _, cut := range []int{0, 8, len(full) / 2, len(full) - trailerLen, len(full) - 1} {
		dir := t.TempDir()
		if _, err := Restore(ctx, bytes.NewReader(full[:cut]), dir); !errors.Is(err, ErrBadBackup) {
			t.Fatalf("stream cut at %d: Restore = %v, want ErrBadBackup", cut, err)
		}
		if _, err := os.Stat(logPath(dir, 1)); !os.IsNotExist(err) {
			t.Fatalf("stream cut at %d: a log was left behind", cut)
		}
	}
	b := bytes.Clone(full)
	b[100] ^= 1
	if _, err := Restore(ctx, bytes.NewReader(b), t.TempDir()); !errors.Is(err, ErrBadBackup) {
		t.Fatalf("damaged stream: Restore = %v", err)
	}

	live := t.TempDir()
	mustOpen(t, live)
	if _, err := Restore(ctx, bytes.NewReader(full), live); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("Restore into an open store = %v, want ErrLocked", err)
	}
	used := t.TempDir()
	os.WriteFile(filepath.Join(used, "notes.txt"), []byte("mine"), 0o644)
	if _, err := Restore(ctx, bytes.NewReader(full), used); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("Restore into a non-empty directory = %v, want ErrNotEmpty", err)
	}
	if _, err := src.BackupDir(ctx, used); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("BackupDir into a non-empty directory = %v, want ErrNotEmpty", err)
	}

	// A backup directory restores too, and one without its BACKUP file is
	// refused.
	bdir := filepath.Join(t.TempDir(), "b")
	if _, err := src.BackupDir(ctx, bdir); err != nil {
		t.Fatal(err)
	}
	into := t.TempDir()
	if info, err := RestoreDir(ctx, bdir, into); err != nil || info.Records != 20 {
		t.Fatalf("RestoreDir = %+v, %v", info, err)
	}
	if n := mustOpen(t, into).Stats().Records; n != 20 {
		t.Fatalf("restored store holds %d records", n)
	}
	os.Remove(filepath.Join(bdir, backupMarker))
	if _, err := VerifyBackup(ctx, bdir); !errors.Is(err, ErrBadBackup) {
		t.Fatalf("VerifyBackup without BACKUP = %v", err)
	}
}

// TestBackupStoreLive: a backup taken from outside, without the lock,
// while the owner writes, holds a prefix of each writer's acknowledged
// writes and verifies.
func TestBackupStoreLive(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	w := startWriters(d, 4)
	for total := int64(0); total < 100; time.Sleep(5 * time.Millisecond) {
		total = 0
		for _, c := range w.counts() {
			total += c
		}
	}
	before := w.counts()
	dest := filepath.Join(t.TempDir(), "b")
	info, err := BackupStore(ctx, dir, dest)
	if err != nil {
		t.Fatal(err)
	}
	after := w.finish(t)
	if _, err := VerifyBackup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	b := mustOpen(t, dest)
	if b.Stats().Records != info.Records {
		t.Fatalf("backup opens with %d records, BACKUP says %d", b.Stats().Records, info.Records)
	}
	checkPrefix(t, b, before, after)
}
