package file

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// TestReopen: what was written is there after Close and Open, deletes and
// updates included, and a clean log needs no repair.
func TestReopen(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rs := fill(t, d, 20)
	up := rs[3]
	up.Body = []byte("changed")
	if rs[3], err = d.Update(ctx, up); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, "note", rs[5].ID, rs[5].Version); err != nil {
		t.Fatal(err)
	}
	rs = append(rs[:5], rs[6:]...)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = mustOpen(t, dir)
	checkRecords(t, d, rs)
	if rep := d.Recovery(); rep.Truncated || rep.Records != 19 || rep.File != logName(1) {
		t.Fatalf("Recovery = %+v", rep)
	}
}

// TestTornTailEveryByte cuts the log at every byte of its last frame, as a
// crash during the append would, and checks that Open drops exactly that
// (unacknowledged) frame, reports it, and keeps everything before.
func TestTornTailEveryByte(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rs := fill(t, d, 5)
	before := d.Stats().LogBytes
	mustCreate(t, d, rec("last", "the write a crash tears"))
	d.Close()
	full, err := os.ReadFile(logPath(dir, 1))
	if err != nil {
		t.Fatal(err)
	}
	// A crash leaves no close mark; each clean Close below adds one.
	mark := int64(len(appendCloseMark(nil)))
	full = full[:int64(len(full))-mark]
	for cut := before; cut < int64(len(full)); cut++ {
		if err := os.WriteFile(logPath(dir, 1), full[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := Open(dir)
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		rep := d.Recovery()
		if cut > before && (!rep.Truncated || rep.Offset != before || rep.Bytes != cut-before || rep.Frames != 1) {
			t.Fatalf("cut at %d: recovery %+v, want the tail from %d", cut, rep, before)
		}
		checkRecords(t, d, rs)
		d.Close()
		if got := fileSize(t, logPath(dir, 1)); got != before+mark {
			t.Fatalf("cut at %d: log is %d bytes after recovery and Close, want %d", cut, got, before+mark)
		}
	}
}

// TestTornTailZeros: a crash can leave the file longer with the new pages
// never written (zeros), and pages of the last writes persisted out of
// order. Both are the tail, not corruption.
func TestTornTailZeros(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir)
	rs := fill(t, d, 3)
	mark := int64(len(appendCloseMark(nil)))
	good := d.Stats().LogBytes + mark // Close adds its mark
	d.Close()
	path := logPath(dir, 1)
	full, _ := os.ReadFile(path)

	// Zeros after the good frames: space written ahead of the log, or pages
	// a crash never wrote. Free space, not a torn frame; new writes go
	// after the good frames, and Close trims the file.
	os.WriteFile(path, append(bytes.Clone(full), make([]byte, 8192)...), 0o644)
	d = mustOpen(t, dir)
	if rep := d.Recovery(); rep.Truncated || d.Stats().LogBytes != good {
		t.Fatalf("zeros: %+v, %+v", rep, d.Stats())
	}
	checkRecords(t, d, rs)
	rs = append(rs, mustCreate(t, d, rec("more", "after the zeros")))
	size := d.Stats().LogBytes
	d.Close()
	if got := fileSize(t, path); got != size+mark {
		t.Fatalf("log is %d bytes after Close, want %d", got, size+mark)
	}
	d = mustOpen(t, dir)
	checkRecords(t, d, rs)
	d.Close()
	full, _ = os.ReadFile(path)
	good = size + mark
	if int64(len(full)) != good {
		t.Fatalf("a Close without writes added another close mark: %d bytes, want %d", len(full), good)
	}

	// A lost page (zeros) and then a valid frame: the frame after the hole
	// was never acknowledged either (everything acknowledged was synced
	// before it was written), so it goes too.
	var tail bytes.Buffer
	tail.Write(make([]byte, 1024))
	buf, start := beginFrame(nil)
	buf = appendOp(buf, opPut, &recordOut{kind: "note", id: "ghost", version: 1})
	// A frame of the relaxed modes: written without a sync after the one
	// before, so it could reach the disk before it.
	sealFrame(buf, start, frameMagic)
	tail.Write(buf)
	os.WriteFile(path, append(bytes.Clone(full), tail.Bytes()...), 0o644)
	d = mustOpen(t, dir)
	if rep := d.Recovery(); !rep.Truncated || rep.Offset != good || rep.Frames != 2 {
		t.Fatalf("hole then frame: %+v", rep)
	}
	checkRecords(t, d, rs)
}

// TestCorruptMiddle: a flipped bit in a frame that has valid frames after
// it is damage, not a crash: Open refuses, naming the file and offset.
func TestCorruptMiddle(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir)
	fill(t, d, 1)
	second := d.Stats().LogBytes
	for _, id := range []string{"s1", "s2", "s3"} {
		mustCreate(t, d, rec(id, "later"))
	}
	d.Close()
	path := logPath(dir, 1)
	full, _ := os.ReadFile(path)
	for _, at := range []int64{0, second, second + 3, second + 5, second + 20} {
		b := bytes.Clone(full)
		b[at] ^= 0x10
		os.WriteFile(path, b, 0o644)
		_, err := Open(dir)
		var ce *CorruptError
		if !errors.Is(err, ErrCorrupt) || !errors.As(err, &ce) {
			t.Fatalf("flip at %d: Open = %v, want ErrCorrupt", at, err)
		}
		wantOff := second
		if at == 0 {
			wantOff = 0 // the file header
		}
		if ce.File != logName(1) || ce.Offset != wantOff {
			t.Fatalf("flip at %d: %+v, want %s at %d", at, ce, logName(1), wantOff)
		}
	}
}

// TestCorruptAfterOpen: damage that appears while the driver is open is
// reported by the read that finds it, never returned as data.
func TestCorruptAfterOpen(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	rs := fill(t, d, 2)
	f, err := os.OpenFile(logPath(dir, 1), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := os.ReadFile(logPath(dir, 1))
	i := bytes.Index(full, rs[1].Body)
	f.WriteAt([]byte{'X'}, int64(i))
	f.Close()
	if _, err := d.Get(ctx, "note", rs[1].ID); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Get of a damaged record = %v, want ErrCorrupt", err)
	}
	if _, err := d.Get(ctx, "note", rs[0].ID); err != nil {
		t.Fatalf("Get of an intact record: %v", err)
	}
}

// TestLeftoverFiles: what an interrupted compaction leaves is cleaned up.
func TestLeftoverFiles(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir)
	rs := fill(t, d, 4)
	d.Close()
	full, _ := os.ReadFile(logPath(dir, 1))
	// A crash during step 1: a half-written temporary file of generation 2.
	os.WriteFile(logPath(dir, 2)+tmpSuffix, full[:len(full)/2], 0o644)
	d = mustOpen(t, dir)
	if rep := d.Recovery(); len(rep.Removed) != 1 || rep.File != logName(1) {
		t.Fatalf("after tmp: %+v", rep)
	}
	checkRecords(t, d, rs)
	d.Close()
	// A crash after the rename: generation 2 complete, 1 still there (here
	// with an extra record that 2 superseded).
	os.Rename(logPath(dir, 1), logPath(dir, 2))
	os.WriteFile(logPath(dir, 1), []byte(fileMagic+"stale"), 0o644)
	d = mustOpen(t, dir)
	if rep := d.Recovery(); len(rep.Removed) != 1 || rep.Removed[0] != logName(1) || rep.File != logName(2) {
		t.Fatalf("after rename: %+v", rep)
	}
	checkRecords(t, d, rs)
	if _, err := os.Stat(logPath(dir, 1)); !os.IsNotExist(err) {
		t.Fatalf("superseded generation still there: %v", err)
	}
}

// TestNotALog: a file with a log's name but not its header is refused.
func TestNotALog(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(logPath(dir, 1), []byte("hello, world"), 0o644)
	if _, err := Open(dir); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open = %v, want ErrCorrupt", err)
	}
}
