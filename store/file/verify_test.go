package file

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cxkit/cxkit/store"
)

// TestVerifyClean: a sound store, open or closed, verifies without a
// problem, and Verify counts what it holds.
func TestVerifyClean(t *testing.T) {
	dir := t.TempDir()
	d := mustOpen(t, dir)
	rs := fill(t, d, 10)
	up := rs[2]
	up.Body = []byte("new")
	mustUpdate(t, d, up)
	if err := d.Delete(ctx, "note", rs[3].ID, rs[3].Version); err != nil {
		t.Fatal(err)
	}
	rep, err := d.Verify(ctx)
	if err != nil || !rep.OK() || rep.Records != 9 || rep.Writes != 12 {
		t.Fatalf("Driver.Verify = %+v, %v", rep, err)
	}
	rep, err = Verify(ctx, dir)
	if err != nil || !rep.OK() || rep.Records != 9 || rep.Kinds["note"] != 9 {
		t.Fatalf("Verify while open = %+v, %v", rep, err)
	}
}

func mustUpdate(t *testing.T, d *Driver, r store.Record) store.Record {
	t.Helper()
	out, err := d.Update(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestVerifyFindsEveryDamage: Verify reports each damaged frame with its
// offset, carries on past it, and changes nothing.
func TestVerifyFindsEveryDamage(t *testing.T) {
	dir, full, offs := damageLog(t, 6)
	b := bytes.Clone(full)
	b[offs[1]+40] ^= 1
	b[offs[4]+40] ^= 1
	os.WriteFile(logPath(dir, 1), b, 0o644)
	rep, err := Verify(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 2 || rep.Problems[0].Offset != offs[1] || rep.Problems[1].Offset != offs[4] {
		t.Fatalf("problems %v, want frames at %d and %d", rep.Problems, offs[1], offs[4])
	}
	if rep.Records != 4 {
		t.Fatalf("Verify counted %d readable records, want 4", rep.Records)
	}
	if got, _ := os.ReadFile(logPath(dir, 1)); !bytes.Equal(got, b) {
		t.Fatal("Verify changed the log")
	}
}

// TestVerifyIndex: the open driver's Verify compares the index in memory
// with the log.
func TestVerifyIndex(t *testing.T) {
	d := mustOpen(t, t.TempDir())
	rs := fill(t, d, 3)
	d.mu.Lock()
	d.kinds["note"].at(mustSlot(t, d, rs[1].ID)).version = 7
	d.mu.Unlock()
	rep, err := d.Verify(ctx)
	if err != nil || len(rep.Problems) != 1 {
		t.Fatalf("Verify of a wrong index = %+v, %v", rep, err)
	}
}

func mustSlot(t *testing.T, d *Driver, id string) uint32 {
	s, ok := d.kinds["note"].get(id)
	if !ok {
		t.Fatalf("%s not in the index", id)
	}
	return s
}

// TestRepair: Repair keeps every valid frame, puts the damaged bytes in a
// side file and keeps the damaged log, and the store opens again.
func TestRepair(t *testing.T) {
	dir, full, offs := damageLog(t, 5)
	b := bytes.Clone(full)
	b[offs[2]+30] ^= 8
	os.WriteFile(logPath(dir, 1), b, 0o644)
	if _, err := Open(dir); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open = %v", err)
	}
	rep, err := Repair(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 4 || len(rep.Dropped) != 1 || rep.Dropped[0].Offset != offs[2] {
		t.Fatalf("Repair = %+v", rep)
	}
	dropped, _ := os.ReadFile(filepath.Join(dir, rep.DroppedTo))
	if !bytes.Equal(dropped, b[offs[2]:offs[3]]) {
		t.Fatalf("side file holds %d bytes, want the %d dropped", len(dropped), offs[3]-offs[2])
	}
	if damaged, _ := os.ReadFile(filepath.Join(dir, rep.Damaged)); !bytes.Equal(damaged, b) {
		t.Fatal("damaged log not kept as it was")
	}
	d := mustOpen(t, dir)
	if n := d.Stats().Records; n != 4 {
		t.Fatalf("%d records after repair, want 4", n)
	}
	if _, err := d.Get(ctx, "note", "f02"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the damaged record: %v", err)
	}
	if vr, err := d.Verify(ctx); err != nil || !vr.OK() {
		t.Fatalf("Verify after repair: %+v, %v", vr, err)
	}
}

// TestRepairSoundStore: Repair of a sound store changes nothing.
func TestRepairSoundStore(t *testing.T) {
	dir, full, _ := damageLog(t, 3)
	rep, err := Repair(ctx, dir)
	if err != nil || len(rep.Dropped) != 0 || rep.To != logName(1) {
		t.Fatalf("Repair = %+v, %v", rep, err)
	}
	if got, _ := os.ReadFile(logPath(dir, 1)); !bytes.Equal(got, full) {
		t.Fatal("Repair changed a sound log")
	}
}
