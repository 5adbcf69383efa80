package file

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/store"
)

// damageLog writes a durable log of frames, one record each, with bodies
// of a few sectors and no zero bytes, and returns the directory, the log's
// bytes and where each frame starts (plus the end).
func damageLog(t *testing.T, n int) (string, []byte, []int64) {
	t.Helper()
	dir := t.TempDir()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	offs := []int64{d.Stats().LogBytes}
	for i := range n {
		body := strings.Repeat(fmt.Sprintf("frame %d, durable; ", i), 80)
		mustCreate(t, d, rec(fmt.Sprintf("f%02d", i), body))
		offs = append(offs, d.Stats().LogBytes)
	}
	d.Close()
	full, err := os.ReadFile(logPath(dir, 1))
	if err != nil {
		t.Fatal(err)
	}
	return dir, full, offs
}

// wantCorruptUnchanged opens dir and fails unless Open refuses with
// ErrCorrupt and leaves the directory exactly as it was: the log holds
// damaged, and no other file appears.
func wantCorruptUnchanged(t *testing.T, what, dir string, damaged []byte) {
	t.Helper()
	before, _ := os.ReadDir(dir)
	d, err := Open(dir)
	if err == nil {
		rep := d.Recovery()
		d.Close()
		t.Fatalf("%s: Open succeeded (recovery %+v), want ErrCorrupt", what, rep)
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("%s: Open = %v, want ErrCorrupt", what, err)
	}
	got, _ := os.ReadFile(logPath(dir, 1))
	if !bytes.Equal(got, damaged) {
		t.Fatalf("%s: Open changed the log (%d bytes, was %d)", what, len(got), len(damaged))
	}
	after, _ := os.ReadDir(dir)
	if len(after) != len(before) {
		t.Fatalf("%s: Open left %d files, there were %d", what, len(after), len(before))
	}
}

// TestBitFlipEveryFrame: every frame of a durable log was synced before the
// next was written, and the last was complete on disk; a flipped bit
// anywhere in any of them is damage, never a torn tail to cut off.
func TestBitFlipEveryFrame(t *testing.T) {
	dir, full, offs := damageLog(t, 5)
	for f := 0; f+1 < len(offs); f++ {
		lo, hi := offs[f], offs[f+1]
		for _, at := range []int64{lo, lo + 5, lo + 9, lo + frameHeaderLen + 2, lo + frameHeaderLen + 6, lo + frameHeaderLen + 9, (lo + hi) / 2, hi - 1} {
			b := bytes.Clone(full)
			b[at] ^= 0x04
			os.WriteFile(logPath(dir, 1), b, 0o644)
			wantCorruptUnchanged(t, fmt.Sprintf("frame %d, flip at %d", f, at), dir, b)
		}
	}
}

// TestZeroedSectorEveryFrame: a sector of zeros in a durable log that was
// closed cleanly is a failed disk, not pages a crash lost: the frames after
// it (for the last one, Close's mark) prove it had been synced.
func TestZeroedSectorEveryFrame(t *testing.T) {
	dir, full, offs := damageLog(t, 5)
	for f := 0; f+1 < len(offs); f++ {
		b := zeroSectorIn(t, full, offs[f], offs[f+1])
		os.WriteFile(logPath(dir, 1), b, 0o644)
		wantCorruptUnchanged(t, fmt.Sprintf("frame %d", f), dir, b)
	}
}

// zeroSectorIn zeroes the first whole aligned sector in [lo, hi).
func zeroSectorIn(t *testing.T, full []byte, lo, hi int64) []byte {
	t.Helper()
	s := (lo + sector) / sector * sector
	if s+sector > hi {
		t.Fatalf("frame [%d, %d) holds no whole sector", lo, hi)
	}
	b := bytes.Clone(full)
	copy(b[s:s+sector], make([]byte, sector))
	return b
}

// TestZeroedLastFrameAfterCrash: after a crash there is no close mark, and
// a zeroed sector in the last frame is what a write cut short looks like:
// Open cuts it off, but keeps its bytes in a side file.
func TestZeroedLastFrameAfterCrash(t *testing.T) {
	dir, full, offs := damageLog(t, 3)
	lo, hi := offs[len(offs)-2], offs[len(offs)-1]
	b := zeroSectorIn(t, full[:hi], lo, hi) // no close mark: a crash
	os.WriteFile(logPath(dir, 1), b, 0o644)
	d, err := Open(dir)
	if err != nil {
		t.Fatalf("last frame zeroed: %v", err)
	}
	rep := d.Recovery()
	d.Close()
	if !rep.Truncated || rep.Offset != lo || rep.SavedTo == "" {
		t.Fatalf("last frame zeroed: recovery %+v", rep)
	}
	saved, err := os.ReadFile(filepath.Join(dir, rep.SavedTo))
	if err != nil || !bytes.Equal(saved, b[lo:]) {
		t.Fatalf("side file %s holds %d bytes (%v), want the %d cut", rep.SavedTo, len(saved), err, len(b)-int(lo))
	}
}

// TestZerosInBodyAreNotAHole: a record whose body holds whole sectors of
// zeros must not let a flipped bit in its frame pass for pages a crash
// lost.
func TestZerosInBodyAreNotAHole(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	fill(t, d, 1)
	second := d.Stats().LogBytes
	r := rec("zeros", "")
	r.Body = make([]byte, 3*sector)
	mustCreate(t, d, r)
	for _, id := range []string{"s1", "s2", "s3"} {
		mustCreate(t, d, rec(id, "after the zeros"))
	}
	d.Close()
	full, _ := os.ReadFile(logPath(dir, 1))
	b := bytes.Clone(full)
	b[second+frameHeaderLen+3] ^= 1
	os.WriteFile(logPath(dir, 1), b, 0o644)
	wantCorruptUnchanged(t, "flip before zeros", dir, b)
}

// TestDamagedNewestKeepsOlder: Open reads and checks the newest generation
// before it removes anything, so a damaged or empty newest one leaves the
// older one to fall back on.
func TestDamagedNewestKeepsOlder(t *testing.T) {
	for _, c := range []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"empty", func([]byte) []byte { return nil }},
		{"header only half", func(b []byte) []byte { return b[:4] }},
		{"flipped bit", func(b []byte) []byte { b = bytes.Clone(b); b[len(fileMagic)+20] ^= 2; return b }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			d := mustOpen(t, dir)
			fill(t, d, 6)
			d.Close()
			old, _ := os.ReadFile(logPath(dir, 1))
			os.WriteFile(logPath(dir, 2), c.damage(old), 0o644)
			_, err := Open(dir)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), logName(1)) {
				t.Fatalf("Open = %v, want ErrCorrupt naming the older generation kept", err)
			}
			if got, err := os.ReadFile(logPath(dir, 1)); err != nil || !bytes.Equal(got, old) {
				t.Fatalf("older generation gone or changed: %v", err)
			}
			// Moving the damaged file aside is then enough.
			os.Rename(logPath(dir, 2), filepath.Join(dir, "damaged"))
			d = mustOpen(t, dir)
			if n := d.Stats().Records; n != 6 {
				t.Fatalf("%d records after moving the damaged generation aside", n)
			}
		})
	}
}

// TestLoadChecksRules: a record that no write could have stored (a kind
// that is a path, a NUL in an ID, a bad attribute), whatever its checksum
// says, makes Open refuse the log.
func TestLoadChecksRules(t *testing.T) {
	for _, c := range []struct {
		name string
		op   recordOut
	}{
		{"kind path", recordOut{kind: "../../x", id: "a", version: 1}},
		{"NUL in ID", recordOut{kind: "note", id: "a\x00b", version: 1}},
		{"slash in ID", recordOut{kind: "note", id: "a/b", version: 1}},
		{"attribute name", recordOut{kind: "note", id: "a", version: 1, attrs: [][2]string{{"bad name", "v"}}}},
		{"NUL in value", recordOut{kind: "note", id: "a", version: 1, attrs: [][2]string{{"n", "a\x00"}}}},
		{"name twice", recordOut{kind: "note", id: "a", version: 1, attrs: [][2]string{{"n", "1"}, {"n", "2"}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			d := mustOpen(t, dir)
			fill(t, d, 2)
			d.Close()
			log, _ := os.ReadFile(logPath(dir, 1))
			buf, start := beginFrame(nil)
			buf = appendOp(buf, opPut, &c.op)
			endFrame(buf, start)
			log = append(log, buf...)
			os.WriteFile(logPath(dir, 1), log, 0o644)
			_, err := Open(dir)
			if !errors.Is(err, ErrCorrupt) || !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("Open = %v, want ErrCorrupt naming the broken rule", err)
			}
		})
	}
}

// TestErrorsNameFinalFile: a log is written under a temporary name and
// renamed; errors after that name the file that exists.
func TestErrorsNameFinalFile(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	fill(t, d, 3)
	if err := d.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	// Pull the file from under the driver: the next write fails with the
	// operating system's error, which carries the file's name.
	d.fileMu.Lock()
	d.f.(*os.File).Close()
	d.fileMu.Unlock()
	_, err := d.Create(ctx, rec("x", "y"))
	if err == nil || strings.Contains(err.Error(), tmpSuffix) || !strings.Contains(err.Error(), logName(2)) {
		t.Fatalf("write error %q, want one naming %s and no temporary file", err, logName(2))
	}
}

// TestEmptyAttrsKept: a non-nil empty attribute map is stored as such even
// when it is the first write of the process, and survives a reopen.
func TestEmptyAttrsKept(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	r := rec("empty", "x")
	r.Attrs = map[string]string{}
	out := mustCreate(t, d, r)
	if out.Attrs == nil {
		t.Fatal("Create returned nil attributes for an empty map")
	}
	if g, _ := d.Get(ctx, "note", "empty"); g.Attrs == nil {
		t.Fatal("Get returned nil attributes for an empty map")
	}
	d.Close()
	d = mustOpen(t, dir)
	if g, _ := d.Get(ctx, "note", "empty"); g.Attrs == nil {
		t.Fatal("Get after reopen returned nil attributes for an empty map")
	}
}

// TestTornTwiceSameOffset: a write torn at the offset where an earlier one
// was torn and cut keeps its own side file; the first is not overwritten.
func TestTornTwiceSameOffset(t *testing.T) {
	dir, full, offs := damageLog(t, 3)
	last := offs[len(offs)-2]
	full = full[:offs[len(offs)-1]] // no close mark: a crash
	var saved []string
	for i, cut := range []int64{last + 20, last + 40} {
		os.WriteFile(logPath(dir, 1), full[:cut], 0o644)
		d := mustOpen(t, dir)
		rep := d.Recovery()
		d.Close()
		if !rep.Truncated || rep.Offset != last {
			t.Fatalf("cut %d: %+v", i, rep)
		}
		saved = append(saved, rep.SavedTo)
		if b, _ := os.ReadFile(filepath.Join(dir, rep.SavedTo)); !bytes.Equal(b, full[last:cut]) {
			t.Fatalf("cut %d: side file holds %d bytes, want %d", i, len(b), cut-last)
		}
	}
	if saved[0] == saved[1] {
		t.Fatalf("both tails saved to %s", saved[0])
	}
	if b, _ := os.ReadFile(filepath.Join(dir, saved[0])); !bytes.Equal(b, full[last:last+20]) {
		t.Fatal("the first side file was overwritten")
	}
}

// TestLegacyLog: a version 1 log (every frame "may be unsynced") opens,
// takes new writes in its own format so an older build can still read it,
// is strict about damage before a valid frame, and becomes version 2 when
// compacted.
func TestLegacyLog(t *testing.T) {
	dir := t.TempDir()
	log := []byte(fileMagicV1)
	for i := range 4 {
		buf, start := beginFrame(nil)
		buf = appendOp(buf, opPut, &recordOut{kind: "note", id: fmt.Sprintf("old%d", i), version: 1, body: bytes.Repeat([]byte("v1 "), 300)})
		sealFrame(buf, start, frameMagic)
		log = append(log, buf...)
	}
	os.WriteFile(logPath(dir, 1), log, 0o644)
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, d, rec("new", "appended"))
	d.Close()
	b, _ := os.ReadFile(logPath(dir, 1))
	if !bytes.HasPrefix(b, []byte(fileMagicV1)) || bytes.Contains(b[len(log):], []byte("CxS1")) {
		t.Fatal("a version 1 log got a version 2 frame")
	}
	// A zeroed sector followed by (version 1) frames: no benefit of the
	// doubt.
	z := bytes.Clone(b)
	copy(z[1024:1024+sector], make([]byte, sector))
	os.WriteFile(logPath(dir, 1), z, 0o644)
	wantCorruptUnchanged(t, "zeroed sector in a version 1 log", dir, z)
	os.WriteFile(logPath(dir, 1), b, 0o644)
	d = mustOpen(t, dir)
	if err := d.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if n := d.Stats().Records; n != 5 {
		t.Fatalf("%d records", n)
	}
	d.Close()
	if c, _ := os.ReadFile(logPath(dir, 2)); !bytes.HasPrefix(c, []byte(fileMagic)) {
		t.Fatal("compaction did not write a version 2 log")
	}
}
