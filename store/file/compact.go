package file

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/cxkit/cxkit/store"
)

// Compaction rewrites the live records into the next log generation and
// drops the old one. Each step is crash-safe:
//
//  1. write the live records into data-<gen+1>.log.tmp and fsync it;
//  2. rename it to data-<gen+1>.log and fsync the directory;
//  3. switch reads and writes to it, then remove data-<gen>.log.
//
// A crash before 2 leaves a .tmp file, which Open deletes; a crash after 2
// leaves both generations, and Open keeps the higher (complete, synced) one
// and deletes the other. Writers wait while compaction runs; readers do not.

// compactFrameBytes is the size of the frames compaction writes: large
// enough to amortise headers, small enough to keep its buffer modest.
const compactFrameBytes = 1 << 20

// Compact rewrites the log with only the live records, reclaiming the space
// of old versions and deleted records. Writes wait until it is done; reads
// go on. If ctx ends first, nothing changes.
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

func (d *Driver) compact(ctx context.Context) error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	if err := d.readOnlyErr("compact", "", ""); err != nil {
		return err
	}
	if d.closed.Load() {
		return store.ErrClosed
	}
	// Only this goroutine and the committer (excluded by writeMu) change the
	// index, so it can be walked without mu while readers go on.
	type ref struct {
		t *table
		s uint32
	}
	var ents []ref
	for _, t := range d.kinds {
		for _, s := range t.sorted {
			ents = append(ents, ref{t, s})
		}
	}
	// Copy in log order: the old log is read sequentially, and the new one
	// keeps arrival order, which for ULIDs is ID order, so that List still
	// reads neighbours in one go.
	slices.SortFunc(ents, func(a, b ref) int { return cmp.Compare(a.t.at(a.s).off, b.t.at(b.s).off) })
	newOff := make([]int64, len(ents))
	gen := d.gen + 1
	oldName := logName(d.gen)
	fill := func(f logFile, size int64) (int64, error) {
		src := &window{f: d.f, size: d.size}
		var buf []byte
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
			return nil
		}
		for i, r := range ents {
			e := r.t.at(r.s)
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return 0, err
				}
			}
			if len(buf) == 0 {
				buf, start = beginFrame(buf)
			}
			b, err := src.get(e.off, int(e.n))
			if err != nil {
				return 0, err
			}
			if n, err := opLen(b); err != nil || n != int(e.n) {
				return 0, &CorruptError{File: oldName, Offset: e.off, Reason: fmt.Sprintf("record %s: %v", r.t.id(r.s), err)}
			}
			newOff[i] = size + int64(len(buf))
			buf = append(buf, b...)
			if len(buf) >= compactFrameBytes {
				if err := flush(); err != nil {
					return 0, err
				}
			}
		}
		return size, flush()
	}
	f, size, err := createLog(d.root, gen, d.cfg.wrap, fill)
	if err != nil {
		if f == nil && d.root != nil {
			// createLog removed the temporary file. If the rename happened but
			// the directory sync failed, the next Open may find either
			// generation; both are complete, but this driver must not append
			// to a file whose name may not survive.
			if _, serr := d.root.Stat(logName(gen)); serr == nil {
				d.fail(err)
			}
		}
		return err
	}
	d.fileMu.Lock()
	d.mu.Lock()
	for i, r := range ents {
		r.t.at(r.s).off = newOff[i]
	}
	// Deleted records leave their IDs in the arena; when they are most of
	// it, the index is repacked too (while readers wait, as they do for
	// the offsets above).
	if d.ids.dead > d.ids.live {
		repack(&d.ids, d.kinds)
	}
	old := d.f
	unmapLog(d.m)
	d.m = mapLog(f, mapLenFor(size))
	d.f, d.gen, d.size, d.alloc, d.dirty = f, gen, size, size, false
	d.live = size
	d.mu.Unlock()
	d.fileMu.Unlock()
	old.Close()
	// The old generation is garbage now; if removing it fails, Open removes
	// it next time.
	if d.root.Remove(oldName) == nil {
		syncDir(d.root)
	}
	return nil
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
