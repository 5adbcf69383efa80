package file

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/cxkit/cxkit/store"
)

// Compaction rewrites the live records into the next log generation and
// drops the old one, while writers go on:
//
//  1. note the log's length and, a chunk of a few thousand index entries
//     at a time, the live records and where they lie, pausing writers for
//     each chunk only;
//  2. copy those records into data-<gen+1>.log.tmp, in log order, while
//     writers append to the old log (an update or delete meanwhile makes
//     the copied version garbage, which the next compaction drops);
//  3. copy the frames appended meanwhile as they are, in rounds, until
//     little is left;
//  4. with writers paused: copy the last frames, fsync, rename to
//     data-<gen+1>.log, fsync the directory, and point the index at the
//     new offsets in one pass over it (readers wait for that pass only);
//  5. remove data-<gen>.log, and checkpoint the index for the new
//     generation (writers paused while the index is copied, not while the
//     copy is written).
//
// A crash before the rename leaves a .tmp file, which Open deletes; a crash
// after it leaves both generations, and Open keeps the higher (complete,
// synced) one. BenchmarkCompactWriteLatency measures the pauses.

// compactFrameBytes is the size of the frames compaction writes: large
// enough to amortise headers, small enough to keep its buffer modest.
const compactFrameBytes = 1 << 20

// compactSyncBytes is how much compaction writes between syncs of the new
// log.
const compactSyncBytes = 8 << 20

// compactTailBytes is how much of the frames appended during a compaction
// may be left for the final pause: the rounds before it copy the rest.
const compactTailBytes = 256 << 10

// Compact rewrites the log with only the live records, reclaiming the space
// of old versions and deleted records. Reads and writes go on while it
// copies; writes pause briefly twice. If ctx ends first, nothing changes.
func (d *Driver) Compact(ctx context.Context) error {
	d.life.RLock()
	if d.closed.Load() {
		d.life.RUnlock()
		return &store.Error{Op: "compact", Err: store.ErrClosed}
	}
	d.life.RUnlock()
	if err := d.compact(ctx); err != nil {
		return &store.Error{Op: "compact", Err: err}
	}
	return nil
}

// liveRef is a live record as compaction found it: in slot s of the
// table of compTables[ti], n bytes at off in the old log.
type liveRef struct {
	ti, s, n uint32
	off      int64
}

// compTable is one kind's part of a compaction: by slot, the offset in the
// old log of the record compaction copied (0 for none: no record lies at
// the file header) and its offset in the new one.
type compTable struct {
	t           *table
	oldOff, nwO []int64
}

// oldGen is what compaction releases once writers go on.
type oldGen struct {
	m    []byte
	f    logFile
	name string
}

// tailSeg is a run of frames copied as they are from the old log's
// [from, to) to the new log at at.
type tailSeg struct{ from, to, at int64 }

func (d *Driver) compact(ctx context.Context) error {
	// One compaction at a time: the generation and file below stay put
	// until it ends.
	d.compactMu.Lock()
	defer d.compactMu.Unlock()

	// 1. The live records and the length of the log they lie in. Only the
	// committer changes the index, and it waits for writeMu.
	d.writeMu.Lock()
	pauseStart := time.Now()
	if err := d.readOnlyErr("compact", "", ""); err != nil {
		d.writeMu.Unlock()
		return err
	}
	if d.closed.Load() {
		d.writeMu.Unlock()
		return store.ErrClosed
	}
	src, gen, snapSize := d.f, d.gen+1, d.size
	var tabs []*compTable
	var slots []int
	live := 0
	for _, t := range d.kinds {
		tabs = append(tabs, &compTable{t: t})
		n := 0
		if k := len(t.ents); k > 0 {
			n = (k-1)*entChunkLen + len(t.ents[k-1])
		}
		slots = append(slots, n)
		live += len(t.sorted)
	}
	d.compactPauses[0] = time.Since(pauseStart)
	d.writeMu.Unlock()
	// Allocated now, with room for some growth, so that the pauses below
	// do not allocate (an allocation can be made to help the garbage
	// collector, for as long as it takes, while writers wait).
	refs := make([]liveRef, 0, live+live/8+1024)
	for i, ct := range tabs {
		ct.oldOff = make([]int64, slots[i], slots[i]+slots[i]/8+entChunkLen)
	}
	// The live records, a chunk of entries at a time with writers paused
	// for each (a few thousand entries), not for the whole index. A record
	// written after snapSize may be noted too (its chunk was visited after
	// the write): it is copied twice, once here and once among the frames
	// appended meanwhile, and whichever copy the index ends up pointing at
	// is the current one; the other is garbage.
	for ti, ct := range tabs {
		for ci := 0; ; ci++ {
			d.writeMu.Lock()
			if ci >= len(ct.t.ents) {
				d.writeMu.Unlock()
				break
			}
			pauseStart = time.Now()
			c := ct.t.ents[ci]
			if need := ci*entChunkLen + len(c); need > len(ct.oldOff) {
				ct.oldOff = append(ct.oldOff, make([]int64, need-len(ct.oldOff))...)
			}
			for i := range c {
				if e := &c[i]; e.n != 0 {
					s := uint32(ci*entChunkLen + i)
					refs = append(refs, liveRef{ti: uint32(ti), s: s, n: e.n, off: e.off})
					ct.oldOff[s] = e.off
				}
			}
			d.compactPauses[0] = max(d.compactPauses[0], time.Since(pauseStart))
			d.writeMu.Unlock()
		}
		ct.nwO = make([]int64, len(ct.oldOff))
	}

	d.compactPhase("copy")
	// 2. Copy in log order: the old log is read sequentially, and the new
	// one keeps arrival order, which for ULIDs is ID order, so that List
	// still reads neighbours in one go.
	slices.SortFunc(refs, func(a, b liveRef) int { return cmp.Compare(a.off, b.off) })
	oldName := logName(gen - 1)
	tmp := logName(gen) + tmpSuffix
	of, err := d.root.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	var f logFile = of
	if d.cfg.wrap != nil {
		f = d.cfg.wrap(of)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			d.root.Remove(tmp)
		}
	}()
	size, err := d.copyLive(ctx, src, f, refs, tabs, oldName)
	if err != nil {
		return err
	}

	// 3. The frames appended meanwhile, in rounds, without pausing writers.
	var segs []tailSeg
	copied := snapSize
	for round := 0; round < 8; round++ {
		d.compactPhase("tail")
		d.writeMu.Lock()
		end := d.size
		d.writeMu.Unlock()
		if end-copied <= compactTailBytes {
			break
		}
		if size, err = copyFrames(src, f, copied, end, size, &segs); err != nil {
			return err
		}
		copied = end
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if d.cfg.syncInterval != 0 {
		// In the relaxed modes the old log holds data not yet on disk. On
		// a journalling file system the fsync of the switch may have to
		// write it out first: do that now, while writers go on. (The sync
		// only hastens what the syncer or Close would do; it changes
		// nothing they rely on.)
		if err := src.Sync(); err != nil {
			return err
		}
	}

	// 4. The last frames and the switch, with writers paused.
	var old oldGen
	var copiedBytes int64
	for _, r := range refs {
		copiedBytes += int64(r.n)
	}
	refs = nil // the copy is done; the offsets are in tabs
	if err := d.switchGen(ctx, f, src, gen, tmp, oldName, copied, size, snapSize, tabs, copiedBytes, segs, &done, &old); err != nil {
		return err
	}
	unmapLog(old.m)
	old.f.Close()
	// The old generation is garbage now; if removing it fails, Open removes
	// it next time.
	if d.root.Remove(old.name) == nil {
		syncDir(d.root)
	}
	// 5. A checkpoint for the new generation, so that the next Open need
	// not replay it: its copy of the index is taken in a pause of its own
	// (the two pauses do not add up), and written without one. Failing to
	// write one loses nothing.
	d.compactPhase("checkpoint")
	pool := d.newSnapPool()
	d.writeMu.Lock()
	pauseStart = time.Now()
	ck, err := d.takeCheckpoint(pool)
	d.compactPauses[2] = time.Since(pauseStart)
	d.writeMu.Unlock()
	if err == nil {
		_ = d.saveCheckpoint(ck)
	}
	return nil
}

// switchGen is step 4 of compaction: with writers paused, it copies the
// last frames, makes the new generation durable and visible, points the
// index at it.
func (d *Driver) switchGen(ctx context.Context, f, src logFile, gen uint64, tmp, oldName string, copied, size, snapSize int64, tabs []*compTable, copiedBytes int64, segs []tailSeg, done *bool, old *oldGen) error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	start := time.Now()
	defer func() { d.compactPauses[1] = time.Since(start) }()
	if err := d.readOnlyErr("compact", "", ""); err != nil {
		return err
	}
	if d.closed.Load() {
		return store.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d.compactPhase("switch")
	var err error
	end := d.size
	if size, err = copyFrames(src, f, copied, end, size, &segs); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := d.root.Rename(tmp, logName(gen)); err != nil {
		return err
	}
	*done = true
	// Errors of a file name the path it was opened by: reopen the new log
	// by its final name, so that a failure later names the file that
	// exists, not the .tmp that no longer does.
	of, err := d.root.OpenFile(logName(gen), os.O_RDWR, 0)
	if err != nil {
		// The new generation is in place and this driver cannot write to
		// it: it must not append to the old one either.
		d.fail(fmt.Errorf("reopen %s: %w", logName(gen), err))
		f.Close()
		return err
	}
	f.Close()
	f = of
	if d.cfg.wrap != nil {
		f = d.cfg.wrap(of)
	}
	d.compactPhase("renamed")
	if err := syncDir(d.root); err != nil {
		// The new generation may or may not survive a power loss; this
		// driver must not append to a file whose name may not, nor to the
		// old one, which the next Open may find superseded.
		d.fail(fmt.Errorf("sync directory after creating %s: %w", logName(gen), err))
		f.Close()
		return err
	}
	d.fileMu.Lock()
	d.mu.Lock()
	garbage := d.moveOffsets(tabs, snapSize, copiedBytes, segs)
	// Deleted records leave their IDs in the arena; when they are most of
	// it, the index is repacked too (while readers wait, as they do for
	// the offsets above).
	if d.ids.dead > d.ids.live {
		repack(&d.ids, d.kinds)
	}
	oldMap := d.m
	d.m = mapLog(f, mapLenFor(size))
	d.f, d.gen, d.size, d.alloc, d.dirty = f, gen, size, size, false
	d.live = size - garbage
	d.mu.Unlock()
	d.fileMu.Unlock()
	// No reader can be in the old mapping or file now (they hold fileMu
	// while they use them); releasing them, and removing the old
	// generation, is left to compact, after the writers go on.
	old.m, old.f, old.name = oldMap, src, oldName
	return nil
}

func (d *Driver) compactPhase(phase string) {
	if d.cfg.compactHook != nil {
		d.cfg.compactHook(phase)
	}
}

// copyLive writes the records of refs (sorted by offset) from the old log
// into f after its header, in frames of about compactFrameBytes, noting
// each one's new offset in its compTable, and returns f's length.
func (d *Driver) copyLive(ctx context.Context, src, f logFile, refs []liveRef, tabs []*compTable, oldName string) (int64, error) {
	if _, err := f.WriteAt([]byte(fileMagic), 0); err != nil {
		return 0, err
	}
	size := int64(len(fileMagic))
	w := &window{f: src, size: refsEnd(refs)}
	var buf []byte
	var unsynced int
	var start int
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		endFrame(buf, start)
		if _, err := f.WriteAt(buf, size); err != nil {
			return err
		}
		size += int64(len(buf))
		buf = buf[:0]
		// Sync as the copy goes: a few megabytes at a time keep the
		// writers' own syncs from queueing behind one flush of the whole
		// new log.
		if unsynced += compactFrameBytes; unsynced >= compactSyncBytes {
			unsynced = 0
			return syncData(f)
		}
		return nil
	}
	for i := range refs {
		r := &refs[i]
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		if len(buf) == 0 {
			buf, start = beginFrame(buf)
		}
		b, err := w.get(r.off, int(r.n))
		if err != nil {
			return 0, err
		}
		if n, err := opLen(b); err != nil || n != int(r.n) {
			return 0, &CorruptError{File: oldName, Offset: r.off, Reason: fmt.Sprintf("record in slot %d: %v", r.s, err)}
		}
		tabs[r.ti].nwO[r.s] = size + int64(len(buf))
		buf = append(buf, b...)
		if len(buf) >= compactFrameBytes {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	return size, flush()
}

func refsEnd(refs []liveRef) int64 {
	if len(refs) == 0 {
		return 0
	}
	last := refs[len(refs)-1]
	return last.off + int64(last.n)
}

// copyFrames copies the old log's frames [from, to) as they are into f at
// size and returns f's new length. The frames carry their own checksums;
// the bytes are checked as frames before they are kept.
func copyFrames(src, f logFile, from, to, size int64, segs *[]tailSeg) (int64, error) {
	if to <= from {
		return size, nil
	}
	buf := make([]byte, min(to-from, 4<<20))
	at := size
	for off := from; off < to; {
		b := buf[:min(int64(len(buf)), to-off)]
		if _, err := src.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if _, err := f.WriteAt(b, size); err != nil {
			return 0, err
		}
		off += int64(len(b))
		size += int64(len(b))
	}
	*segs = append(*segs, tailSeg{from: from, to: to, at: at})
	return size, nil
}

// moveOffsets points the index at the new log: the records compaction
// copied (if they are still the versions it copied) and those appended
// after it started (through the segments). One pass over the entries, in
// slot order. It returns the bytes of the new log that hold versions no
// longer current: copies of records updated or deleted meanwhile, and the
// like among the frames appended. Callers hold mu and writeMu.
func (d *Driver) moveOffsets(tabs []*compTable, snapSize, copiedBytes int64, segs []tailSeg) (garbage int64) {
	byTable := make(map[*table]*compTable, len(tabs))
	for _, ct := range tabs {
		byTable[ct.t] = ct
	}
	garbage = copiedBytes
	for _, g := range segs {
		garbage += g.to - g.from
	}
	for _, t := range d.kinds {
		ct := byTable[t]
		for ci := range t.ents {
			c := t.ents[ci]
			for i := range c {
				e := &c[i]
				if e.n == 0 {
					continue
				}
				s := ci*entChunkLen + i
				if ct != nil && s < len(ct.oldOff) && ct.oldOff[s] == e.off {
					// The version compaction copied: live in the new log.
					e.off = ct.nwO[s]
					garbage -= int64(e.n)
					continue
				}
				j, _ := slices.BinarySearchFunc(segs, e.off, func(s tailSeg, off int64) int {
					if s.to <= off {
						return -1
					}
					if s.from > off {
						return 1
					}
					return 0
				})
				if j == len(segs) || e.off < segs[j].from || e.off < snapSize {
					// Every record is either one compaction copied or one
					// appended after it began; anything else would be a
					// bug, and reading through it would return the wrong
					// bytes. Stop writing and let a reopen rebuild.
					d.fail(fmt.Errorf("compaction: record at offset %d not in the new log", e.off))
					continue
				}
				e.off = e.off - segs[j].from + segs[j].at
				garbage -= int64(e.n)
			}
		}
	}
	return garbage
}

// maybeCompact asks the compactor goroutine to run when the garbage passes
// the configured ratio. Callers hold writeMu.
func (d *Driver) maybeCompact() {
	if d.cfg.compactRatio <= 0 || d.size < d.cfg.compactMin {
		return
	}
	if float64(d.size-d.live) <= d.cfg.compactRatio*float64(d.size) {
		return
	}
	select {
	case d.compactReq <- struct{}{}:
	default:
	}
}

// compactor runs background compactions one at a time.
func (d *Driver) compactor() {
	defer d.bg.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-d.stop
		cancel()
	}()
	for {
		select {
		case <-d.stop:
			return
		case <-d.compactReq:
			// A failure leaves the old generation in place (or turns the
			// driver read-only, which writes then report), so there is
			// nothing more to do with the error here.
			_ = d.compact(ctx)
		}
	}
}
