package file

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// dump returns everything d holds of kinds, and the grouped counts a
// report would ask for, to compare two opens of one store.
func dump(t *testing.T, d *Driver, kinds ...string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, k := range kinds {
		var all []store.Record
		q := store.Query{Limit: store.MaxLimit}
		for {
			p, err := d.List(ctx, k, q)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, p.Records...)
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		out[k] = all
		gs, err := d.Count(ctx, k, store.Between("received", "2025-03", "2025-05"), "status")
		if err != nil {
			t.Fatal(err)
		}
		out[k+"/count"] = gs
	}
	return out
}

// copyDir copies the files of src into a new directory, as a crash would
// leave them (the driver in src stays open).
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() == lockName {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// churn writes n random creates, updates and deletes into kinds complaint
// and note.
func churn(t *testing.T, d *Driver, rng *rand.Rand, n int, next *int) {
	t.Helper()
	for range n {
		id := fmt.Sprintf("01K%023d", rng.IntN(*next+1))
		switch r, err := d.Get(ctx, "complaint", id); {
		case err != nil:
			r = rangeRec(rng, fmt.Sprintf("01K%023d", *next))
			*next++
			if _, err := d.Create(ctx, r); err != nil {
				t.Fatal(err)
			}
		case rng.IntN(3) == 0:
			if err := d.Delete(ctx, "complaint", id, r.Version); err != nil {
				t.Fatal(err)
			}
		default:
			r.Attrs = rangeRec(rng, id).Attrs
			if _, err := d.Update(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := d.Create(ctx, rec(fmt.Sprintf("n%06d", *next), "x")); err != nil {
		t.Fatal(err)
	}
	*next++
}

// fullReplay opens a copy of dir without its checkpoint.
func fullReplay(t *testing.T, dir string) *Driver {
	t.Helper()
	c := copyDir(t, dir)
	os.Remove(filepath.Join(c, ckptName))
	d := mustOpen(t, c)
	if d.ckptAt.Load() != 0 {
		t.Fatal("opened from a checkpoint that was removed")
	}
	return d
}

func fillRange(t *testing.T, d *Driver, n int, next *int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	var ws []store.Write
	for range n {
		ws = append(ws, store.Write{Action: store.ActionCreate, Record: rangeRec(rng, fmt.Sprintf("01K%023d", *next))})
		*next++
		if len(ws) == 500 {
			if _, err := d.Batch(ctx, ws); err != nil {
				t.Fatal(err)
			}
			ws = ws[:0]
		}
	}
	if len(ws) > 0 {
		if _, err := d.Batch(ctx, ws); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCheckpointCleanClose: after Close, Open loads the checkpoint (range
// index included) and replays nothing, and holds exactly what a full
// replay of the log gives.
func TestCheckpointCleanClose(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	next := 0
	fillRange(t, d, 3000, &next)
	churn(t, d, rand.New(rand.NewPCG(1, 2)), 300, &next)
	want := dump(t, d, "complaint", "note") // builds the range index
	d.Close()

	d = mustOpen(t, dir)
	if at := d.ckptAt.Load(); at != d.size && at+closeMarkLen != d.size {
		t.Fatalf("checkpoint covers %d of a log of %d", at, d.size)
	}
	if c := d.kinds["complaint"].col(mustCode(t, d, "received")); c.ri == nil {
		t.Fatal("range index not restored from the checkpoint")
	}
	if got := dump(t, d, "complaint", "note"); !reflect.DeepEqual(want, got) {
		t.Fatalf("after checkpoint open: %s", diffDump(want, got))
	}
	if got := dump(t, fullReplay(t, dir), "complaint", "note"); !reflect.DeepEqual(want, got) {
		t.Fatalf("full replay: %s", diffDump(want, got))
	}
	// Writes after a checkpoint open go on as usual.
	churn(t, d, rand.New(rand.NewPCG(3, 4)), 300, &next)
	want = dump(t, d, "complaint", "note")
	d.Close()
	d = mustOpen(t, dir)
	if got := dump(t, d, "complaint", "note"); !reflect.DeepEqual(want, got) {
		t.Fatalf("second reopen: %s", diffDump(want, got))
	}
}

func mustCode(t *testing.T, d *Driver, s string) uint32 {
	t.Helper()
	c, ok := d.strs.lookup(s)
	if !ok {
		t.Fatalf("%q not interned", s)
	}
	return c
}

// TestCheckpointTailAfterCrash: a store that crashes after a clean reopen
// opens from its checkpoint plus the frames written since, and holds what
// a full replay gives, including records created, updated and deleted
// after the checkpoint and a kind that did not exist at it.
func TestCheckpointTailAfterCrash(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	next := 0
	fillRange(t, d, 3000, &next)
	dump(t, d, "complaint", "note")
	d.Close()
	d = mustOpen(t, dir)
	covered := d.ckptAt.Load()
	churn(t, d, rand.New(rand.NewPCG(5, 6)), 600, &next)
	want := dump(t, d, "complaint", "note")
	crashed := copyDir(t, dir) // as a kill would leave it: no Close
	c := mustOpen(t, crashed)
	if c.ckptAt.Load() != covered || c.size <= covered {
		t.Fatalf("crash open: checkpoint covers %d (want %d), log %d", c.ckptAt.Load(), covered, c.size)
	}
	if got := dump(t, c, "complaint", "note"); !reflect.DeepEqual(want, got) {
		t.Fatalf("checkpoint + tail: %s", diffDump(want, got))
	}
	if got := dump(t, fullReplay(t, crashed), "complaint", "note"); !reflect.DeepEqual(want, got) {
		t.Fatalf("full replay: %s", diffDump(want, got))
	}
}

// TestCheckpointDistrusted: a damaged, truncated, stale or foreign
// checkpoint, or one whose offset is not a frame boundary, is not used:
// Open replays the whole log and loses nothing.
func TestCheckpointDistrusted(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	next := 0
	fillRange(t, d, 2500, &next)
	dump(t, d, "complaint", "note")
	d.Close()
	d = mustOpen(t, dir)
	churn(t, d, rand.New(rand.NewPCG(7, 8)), 200, &next)
	want := dump(t, d, "complaint", "note")
	gen, size := d.gen, d.size
	good := copyDir(t, dir)
	ck, err := os.ReadFile(filepath.Join(good, ckptName))
	if err != nil {
		t.Fatal(err)
	}
	// A checkpoint of another store with the same generation.
	other := t.TempDir()
	o := mustOpen(t, other)
	fillRange(t, o, 2500, new(int))
	o.Close()
	foreign, _ := os.ReadFile(filepath.Join(other, ckptName))

	cases := map[string]func(dir string){
		"bit flipped": func(dir string) {
			b := append([]byte(nil), ck...)
			b[len(b)/2] ^= 0x40
			os.WriteFile(filepath.Join(dir, ckptName), b, 0o644)
		},
		"truncated": func(dir string) { os.WriteFile(filepath.Join(dir, ckptName), ck[:len(ck)-100], 0o644) },
		"empty":     func(dir string) { os.WriteFile(filepath.Join(dir, ckptName), nil, 0o644) },
		"foreign":   func(dir string) { os.WriteFile(filepath.Join(dir, ckptName), foreign, 0o644) },
		"log shorter than it covers": func(dir string) {
			// The log replaced by an older copy of itself.
			os.Truncate(filepath.Join(dir, logName(gen)), int64(len(fileMagic))+100)
		},
		"other generation": func(dir string) {
			os.Rename(filepath.Join(dir, logName(gen)), filepath.Join(dir, logName(gen+1)))
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			c := copyDir(t, good)
			damage(c)
			d := mustOpen(t, c)
			if d.ckptAt.Load() != 0 {
				t.Fatalf("used a checkpoint covering %d", d.ckptAt.Load())
			}
			if name == "log shorter than it covers" {
				return // the records are gone with the log; only the refusal matters
			}
			if got := dump(t, d, "complaint", "note"); !reflect.DeepEqual(want, got) {
				t.Fatalf("%s", diffDump(want, got))
			}
		})
	}

	// A checkpoint whose offset falls inside a frame, though the bytes
	// before it match: the tail does not read as frames, and Open falls
	// back to the whole log.
	t.Run("offset inside a frame", func(t *testing.T) {
		c := copyDir(t, good)
		d := mustOpen(t, c)
		d.writeMu.Lock()
		s := d.indexSnapshot(gen, size-7, d.newSnapPool())
		var err error
		if s.tailCRC, err = tailCRC(d.f, size-7); err == nil {
			err = d.writeCheckpoint(s)
		}
		d.writeMu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		saved, _ := os.ReadFile(filepath.Join(c, ckptName))
		d.Close()
		os.WriteFile(filepath.Join(c, ckptName), saved, 0o644)
		d = mustOpen(t, c)
		if d.ckptAt.Load() != 0 {
			t.Fatalf("kept the index of a checkpoint covering %d", d.ckptAt.Load())
		}
		if got := dump(t, d, "complaint", "note"); !reflect.DeepEqual(want, got) {
			t.Fatalf("%s", diffDump(want, got))
		}
	})
}

// FuzzDecodeCheckpoint: no input makes the decoder panic or accept
// references out of bounds.
func FuzzDecodeCheckpoint(f *testing.F) {
	dir := f.TempDir()
	d, err := Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	for i := range 50 {
		r := rec(fmt.Sprintf("r%03d", i), "x")
		r.Attrs["received"] = fmt.Sprint(i)
		d.Create(ctx, r)
	}
	d.Close()
	ck, _ := os.ReadFile(filepath.Join(dir, ckptName))
	f.Add(ck)
	f.Fuzz(func(t *testing.T, b []byte) {
		// Seal the input with a good checksum, so that the fuzzer reaches
		// the decoding behind it.
		if len(b) >= 4 {
			binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli))
		}
		x, err := decodeCheckpoint(b)
		if err != nil {
			return
		}
		for _, tb := range x.kinds {
			for _, s := range tb.sorted {
				_ = tb.id(s)
				for _, c := range tb.cols {
					if v, ok := c.code(s); ok {
						_ = x.strs.str(v)
					}
				}
			}
		}
	})
}

// diffDump says where two dumps first differ.
func diffDump(want, got map[string]any) string {
	for k, w := range want {
		g := got[k]
		if reflect.DeepEqual(w, g) {
			continue
		}
		if wr, ok := w.([]store.Record); ok {
			gr, _ := g.([]store.Record)
			for i := range min(len(wr), len(gr)) {
				if !reflect.DeepEqual(wr[i], gr[i]) {
					return fmt.Sprintf("%s: record %d is %+v, want %+v", k, i, gr[i], wr[i])
				}
			}
			return fmt.Sprintf("%s: %d records, want %d", k, len(gr), len(wr))
		}
		return fmt.Sprintf("%s: %+v, want %+v", k, g, w)
	}
	return "equal"
}

// TestCheckpointWhileRunning: a store that is never closed still gets
// checkpoints as its log grows, so a crash replays only the log written
// since the last one.
func TestCheckpointWhileRunning(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir, WithSyncInterval(-1), withCheckpointGrowth(256<<10))
	next := 0
	fillRange(t, d, 2000, &next) // about 300 KiB of log
	deadline := time.Now().Add(10 * time.Second)
	for d.ckptAt.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint after the log grew past the threshold")
		}
		time.Sleep(5 * time.Millisecond)
	}
	churn(t, d, rand.New(rand.NewPCG(9, 9)), 100, &next)
	want := dump(t, d, "complaint", "note")
	c := mustOpen(t, copyDir(t, dir))
	if at := c.ckptAt.Load(); at == 0 || at >= c.size {
		t.Fatalf("crash open: checkpoint covers %d of a log of %d", at, c.size)
	}
	if got := dump(t, c, "complaint", "note"); !reflect.DeepEqual(want, got) {
		t.Fatalf("%s", diffDump(want, got))
	}
}

// TestCheckpointHoldsOnlyLiveStrings: a value no record holds any more (an
// erased customer reference, a received time changed) is not written to
// the checkpoint, though the running index still interns it; and the
// renumbered strings load back to the same records.
func TestCheckpointHoldsOnlyLiveStrings(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir, WithSyncInterval(-1))
	next := 0
	fillRange(t, d, 2500, &next)
	dump(t, d, "complaint", "note") // builds the range index on received
	r, err := d.Get(ctx, "complaint", fmt.Sprintf("01K%023d", 7))
	if err != nil {
		t.Fatal(err)
	}
	r.Attrs["customer"] = "secret-customer-ref"
	r.Attrs["received"] = "2031-01-01T00:00:00.000000Z"
	if r, err = d.Update(ctx, r); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d = mustOpen(t, dir, WithSyncInterval(-1))
	r.Attrs["customer"] = "erased"
	r.Attrs["received"] = "2025-06-01T00:00:00.000000Z"
	if _, err = d.Update(ctx, r); err != nil {
		t.Fatal(err)
	}
	want := dump(t, d, "complaint", "note")
	if err := d.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	d.Close()
	for _, name := range []string{ckptName, logName(2)} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, gone := range []string{"secret-customer-ref", "2031-01-01T00:00:00.000000Z"} {
			if bytes.Contains(b, []byte(gone)) {
				t.Errorf("%s still holds %q", name, gone)
			}
		}
	}
	d = mustOpen(t, dir)
	if d.ckptAt.Load() == 0 {
		t.Fatal("reopen did not use the checkpoint")
	}
	if got := dump(t, d, "complaint", "note"); !reflect.DeepEqual(want, got) {
		t.Fatalf("%s", diffDump(want, got))
	}
}
