package file

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// Group commit. Writers do not touch the log: each hands a request to one
// committer goroutine and waits. The committer takes every request that is
// waiting, checks them in order against the index (and against the earlier
// requests of the same group), encodes all that pass into one frame, writes
// it with one write and syncs it with one fsync, then applies it to the
// index and answers. While it syncs, the next group gathers, so N
// concurrent writers share about one fsync per round instead of N.

// request is one Create, Update, Delete or Batch waiting for the committer.
type request struct {
	ctx      context.Context
	op       string
	kind, id string // for errors; empty for a batch
	writes   []store.Write
	out      []store.Record
	err      error
	done     chan struct{}
}

// maxGroupBytes stops a group from growing without bound under load; one
// request bigger than it still goes alone.
const maxGroupBytes = 8 << 20

// okey names a record across kinds.
type okey struct{ kind, id string }

// pending is a record's state as the group's earlier requests leave it,
// or as the index has it (then off and n say where its op lies, whose
// Created an update keeps: the index does not hold it, to save memory).
type pending struct {
	exists  bool
	version int64
	created int64
	off     int64
	n       uint32
}

// change is one accepted write, to apply to the index once durable.
type change struct {
	kind, id         string
	del              bool
	version, created int64
	n                uint32
	relOff           int // offset of the op in the frame
	attrs            [][2]string
}

// submit hands writes to the committer and waits for the outcome. A
// request already handed over is always answered: the committer skips it
// if its context ended before its turn, and otherwise the outcome is the
// log's.
func (d *Driver) submit(ctx context.Context, op, kind, id string, writes []store.Write) ([]store.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, &store.Error{Op: op, Kind: kind, ID: id, Err: err}
	}
	req := &request{ctx: ctx, op: op, kind: kind, id: id, writes: writes, done: make(chan struct{})}
	d.life.RLock()
	if d.closed.Load() {
		d.life.RUnlock()
		return nil, &store.Error{Op: op, Kind: kind, ID: id, Err: store.ErrClosed}
	}
	if err := d.readOnlyErr(op, kind, id); err != nil {
		d.life.RUnlock()
		return nil, err
	}
	d.reqs <- req
	d.life.RUnlock()
	<-req.done
	return req.out, req.err
}

// readOnlyErr is the error every write gets once the driver failed a write
// or a sync: ErrReadOnly and the original cause, both errors.Is-able.
func (d *Driver) readOnlyErr(op, kind, id string) error {
	p := d.failed.Load()
	if p == nil {
		return nil
	}
	return &store.Error{Op: op, Kind: kind, ID: id, Err: fmt.Errorf("%w: a write to the log failed earlier: %w", store.ErrReadOnly, *p)}
}

// fail turns the driver read-only for good. After a failed write or fsync
// the kernel may have dropped the dirty pages and cleared the error
// (fsyncgate), so a retried fsync could succeed without the data being on
// disk: the only safe course is to stop writing and let a reopen recover
// from what the disk really holds.
func (d *Driver) fail(err error) {
	d.failed.CompareAndSwap(nil, &err)
}

// committer is the goroutine that writes the log.
func (d *Driver) committer() {
	defer close(d.committerDone)
	var group []*request
	var carry *request // taken from the channel but left for the next group
	lastGroup := 0
	for {
		r := carry
		carry = nil
		if r == nil {
			var ok bool
			if r, ok = <-d.reqs; !ok {
				return
			}
		}
		group = append(group[:0], r)
		size := reqSize(r)
		closing := false
	gather:
		for size < maxGroupBytes {
			select {
			case r, ok := <-d.reqs:
				if !ok {
					closing = true
					break gather
				}
				if size+reqSize(r) > maxGroupBytes {
					// Keeps every frame within maxFrameLen: only a request
					// alone can be larger than a group.
					carry = r
					break gather
				}
				group = append(group, r)
				size += reqSize(r)
			default:
				break gather
			}
		}
		if !closing && carry == nil && len(group) < lastGroup {
			group, closing = d.linger(group, lastGroup, size)
		}
		lastGroup = len(group)
		d.commit(group)
		clear(group)
		if closing {
			if carry != nil {
				d.commit([]*request{carry})
			}
			return
		}
	}
}

// linger waits a little for more requests when fewer are waiting than
// joined the previous group. Writers that were just answered need a few
// microseconds to come back; without the wait the committer would sync
// the first one alone and the rest in the next round, halving the group.
// The wait is a fraction of the last sync's duration, so it never costs
// more than it can save; a single writer (previous group of one) never
// waits.
func (d *Driver) linger(group []*request, want, size int) ([]*request, bool) {
	wait := time.Duration(d.syncNanos.Load()) / 4
	if wait <= 0 {
		return group, false
	}
	timer := time.NewTimer(min(wait, 500*time.Microsecond))
	defer timer.Stop()
	for len(group) < want {
		select {
		case r, ok := <-d.reqs:
			if !ok {
				return group, true
			}
			if size+reqSize(r) > maxGroupBytes {
				// Too big to join: it goes alone, right after this group.
				d.commit(group)
				return []*request{r}, false
			}
			group = append(group, r)
			size += reqSize(r)
		case <-timer.C:
			return group, false
		}
	}
	return group, false
}

func reqSize(r *request) int {
	n := 0
	for i := range r.writes {
		n += recordSize(&r.writes[i].Record)
	}
	return n
}

// recordSize bounds the bytes a record takes in the log.
func recordSize(r *store.Record) int {
	n := opHeaderLen + 64 + len(r.Kind) + len(r.ID) + len(r.Body)
	for k, v := range r.Attrs {
		n += len(k) + len(v) + 4
	}
	return n
}

// commit writes one group as one frame.
func (d *Driver) commit(group []*request) {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	defer func() {
		for _, r := range group {
			close(r.done)
		}
	}()

	buf, start := beginFrame(d.buf[:0])
	clear(d.overlay)
	d.changes = d.changes[:0]
	accepted := 0
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = &store.Error{Op: r.op, Kind: r.kind, ID: r.id, Err: err}
			continue
		}
		if err := d.readOnlyErr(r.op, r.kind, r.id); err != nil {
			r.err = err
			continue
		}
		mark, cmark := len(buf), len(d.changes)
		var err error
		buf, err = d.stage(r, buf, start)
		if err != nil {
			buf, d.changes = buf[:mark], d.changes[:cmark]
			r.err, r.out = err, nil
			continue
		}
		// Only now that the whole request passed does it change what later
		// requests of the group see.
		for _, c := range d.changes[cmark:] {
			if c.del {
				d.overlay[okey{c.kind, c.id}] = pending{}
			} else {
				d.overlay[okey{c.kind, c.id}] = pending{exists: true, version: c.version, created: c.created}
			}
		}
		accepted++
	}
	if cap(buf) <= 4<<20 {
		d.buf = buf[:0]
	} else {
		d.buf = nil // do not keep a huge batch's buffer for ever
	}
	if accepted == 0 {
		return
	}
	sealFrame(buf, start, d.commitMagic())
	frame := buf[start:]

	err := d.writeFrame(frame)
	if err != nil {
		d.fail(err)
		for _, r := range group {
			if r.err == nil {
				r.out = nil
				r.err = d.readOnlyErr(r.op, r.kind, r.id)
			}
		}
		return
	}
	if end := d.size + int64(len(frame)); d.m != nil && end > int64(len(d.m)) {
		d.remap(end)
	}
	d.apply(d.size)
	d.size += int64(len(frame))
	d.maybeCompact()
	d.maybeCheckpoint()
}

// commitMagic is the magic of the frames the committer writes: synced
// frames in the default mode, where each is synced before the next is
// written, but not in a version 1 log, which an older build may still have
// to read.
func (d *Driver) commitMagic() uint32 {
	if d.cfg.syncInterval == 0 && d.gen != d.legacyGen {
		return syncedMagic
	}
	return frameMagic
}

// preallocChunk is how far ahead of the last frame the log is filled with
// zeros. An fsync after a write that grows a file must also commit the
// file's new size and blocks, a journal commit; a write into space already
// written costs only the data. Measured on Linux/ext4, that halves the time
// of a single writer's durable write. Recovery treats zeros up to the end
// of the file as free space, and Close cuts them off.
const preallocChunk = 1 << 20

var zeros = make([]byte, preallocChunk)

// writeFrame appends frame to the log and, in the default mode, syncs it.
func (d *Driver) writeFrame(frame []byte) error {
	if _, err := d.f.WriteAt(frame, d.size); err != nil {
		return fmt.Errorf("write %s at offset %d: %w", logName(d.gen), d.size, err)
	}
	if end := d.size + int64(len(frame)); end > d.alloc {
		// Large frames amortise the growth on their own.
		d.alloc = end
		if len(frame) < preallocChunk {
			if _, err := d.f.WriteAt(zeros, end); err != nil {
				return fmt.Errorf("preallocate %s at offset %d: %w", logName(d.gen), end, err)
			}
			d.alloc = end + preallocChunk
		}
	}
	if d.cfg.syncInterval != 0 {
		d.dirty = true
		return nil
	}
	start := time.Now()
	if err := syncData(d.f); err != nil {
		return fmt.Errorf("sync %s: %w", logName(d.gen), err)
	}
	// A moving average of the sync time sizes linger's wait.
	el := int64(time.Since(start))
	d.syncNanos.Store((3*d.syncNanos.Load() + el) / 4)
	return nil
}

// stage checks the writes of r against the state the index and the
// group's earlier requests leave, encodes them into buf and records the
// changes and r's results. CheckBatch forbids naming a record twice in one
// request, so each write is checked against the state before r.
func (d *Driver) stage(r *request, buf []byte, frameStart int) ([]byte, error) {
	r.out = make([]store.Record, len(r.writes))
	for i, w := range r.writes {
		rec := &w.Record
		op := w.Action.String()
		cur := d.current(rec.Kind, rec.ID)
		switch {
		case w.Action == store.ActionCreate && cur.exists:
			return buf, d.batchErr(r, i, &store.Error{Op: op, Kind: rec.Kind, ID: rec.ID, Err: store.ErrAlreadyExists})
		case w.Action != store.ActionCreate && !cur.exists:
			return buf, d.batchErr(r, i, &store.Error{Op: op, Kind: rec.Kind, ID: rec.ID, Err: store.ErrNotFound})
		case w.Action != store.ActionCreate && cur.version != rec.Version:
			return buf, d.batchErr(r, i, driverkit.Errorf(op, rec.Kind, rec.ID, store.ErrConflict, "stored version is %d, write expected %d", cur.version, rec.Version))
		}
		c := change{kind: rec.Kind, id: rec.ID, relOff: len(buf) - frameStart}
		if w.Action == store.ActionDelete {
			c.del = true
			buf = appendOp(buf, opDelete, &recordOut{kind: rec.Kind, id: rec.ID, version: rec.Version})
			d.changes = append(d.changes, c)
			continue
		}
		out := recordOut{kind: rec.Kind, id: rec.ID, version: 1, created: rec.Created.UnixMicro(), updated: rec.Updated.UnixMicro(), body: rec.Body}
		if w.Action == store.ActionUpdate {
			out.version, out.created = rec.Version+1, cur.created
			if cur.n != 0 {
				created, err := d.createdAt(cur.off, cur.n, rec)
				if err != nil {
					return buf, d.batchErr(r, i, err)
				}
				out.created = created
			}
		}
		if rec.Attrs != nil {
			// The pairs live in a buffer reused across commits: apply reads
			// them before the next commit overwrites them.
			l := len(d.attrBuf)
			for k, v := range rec.Attrs {
				d.attrBuf = append(d.attrBuf, [2]string{k, v})
			}
			out.attrs = d.attrBuf[l:len(d.attrBuf):len(d.attrBuf)]
			if out.attrs == nil {
				// An empty map with nothing in the buffer yet: a slice of a
				// nil slice is nil, and nil would drop the flag that keeps
				// empty apart from nil.
				out.attrs = [][2]string{}
			}
		}
		buf = appendOp(buf, opPut, &out)
		c.attrs = out.attrs
		c.version, c.created, c.n = out.version, out.created, uint32(len(buf)-frameStart-c.relOff)
		d.changes = append(d.changes, c)
		stored := store.Record{
			Kind: rec.Kind, ID: rec.ID, Version: out.version,
			Attrs: cloneAttrs(rec.Attrs), Created: microTime(out.created), Updated: microTime(out.updated),
		}
		if rec.Body != nil {
			stored.Body = append([]byte{}, rec.Body...)
		}
		r.out[i] = stored
	}
	return buf, nil
}

// batchErr names the failing write of a batch; single writes return err
// as is.
func (d *Driver) batchErr(r *request, i int, err error) error {
	if r.op != "batch" {
		return err
	}
	w := r.writes[i]
	return &store.Error{Op: "batch", Kind: w.Record.Kind, ID: w.Record.ID, Err: fmt.Errorf("write %d (%s): %w", i, w.Action, err)}
}

// createdAt reads the Created of the stored record r names, whose op lies
// at off. Only the committer calls it, and the log and its mapping change
// only under writeMu, which it holds.
func (d *Driver) createdAt(off int64, n uint32, r *store.Record) (int64, error) {
	buf, _, err := d.view(off, int(n))
	if err != nil {
		return 0, &store.Error{Op: "update", Kind: r.Kind, ID: r.ID, Err: err}
	}
	o := rawOp{skipAttrs: true}
	if _, err := decodeOp(buf, &o); err != nil || o.action != opPut || string(o.kind) != r.Kind || string(o.id) != r.ID {
		if err == nil {
			err = errors.New("record is not the one the index points at")
		}
		return 0, &store.Error{Op: "update", Kind: r.Kind, ID: r.ID,
			Err: &CorruptError{File: logName(d.gen), Offset: off, Reason: err.Error()}}
	}
	return o.created, nil
}

// current is the state of kind/id for the committer: the group's overlay,
// else the index. Only the committer changes the index, so it reads it
// without the lock.
func (d *Driver) current(kind, id string) pending {
	if p, ok := d.overlay[okey{kind, id}]; ok {
		return p
	}
	if t := d.kinds[kind]; t != nil {
		if s, ok := t.get(id); ok {
			e := t.at(s)
			return pending{exists: true, version: e.version, off: e.off, n: e.n}
		}
	}
	return pending{}
}

// apply makes the durable frame at frameOff visible to readers.
func (d *Driver) apply(frameOff int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.changes {
		c := &d.changes[i]
		t := d.table(c.kind)
		if c.del {
			d.applyDelete(t, c.id)
			continue
		}
		d.pairBuf = d.pairBuf[:0]
		for _, kv := range c.attrs {
			d.pairBuf = append(d.pairBuf, [2]uint32{d.strs.internString(kv[0]), d.strs.internString(kv[1])})
		}
		d.applyPut(t, c.id, c.version, frameOff+int64(c.relOff), c.n, d.pairBuf)
	}
	clear(d.changes)
	d.changes = d.changes[:0]
	clear(d.attrBuf)
	d.attrBuf = d.attrBuf[:0]
}

// table returns the table of kind, making it if new. Callers hold mu.
func (d *Driver) table(kind string) *table {
	t := d.kinds[kind]
	if t == nil {
		t = newTable(d.strs.seed, &d.ids)
		d.kinds[strings.Clone(kind)] = t
	}
	return t
}

// applyPut stores a record's new version in t, and reports an attribute
// name pairs holds twice (see setAttrs). Callers hold mu.
func (d *Driver) applyPut(t *table, id string, version, off int64, n uint32, pairs [][2]uint32) (dupName uint32, dup bool) {
	s, ok := t.get(id)
	if !ok {
		s = t.insert(id)
	}
	e := t.at(s)
	d.live -= int64(e.n)
	e.version, e.off, e.n = version, off, n
	dupName, dup = t.setAttrs(&d.strs, s, pairs)
	d.live += int64(n)
	return dupName, dup
}

// applyDelete removes id from t. Callers hold mu.
func (d *Driver) applyDelete(t *table, id string) {
	s, ok := t.get(id)
	if !ok {
		return
	}
	t.clearAttrs(&d.strs, s)
	if old, ok := t.remove(id); ok {
		d.live -= int64(old.n)
	}
}

// syncer syncs the log in the background in the interval mode.
func (d *Driver) syncer() {
	defer d.bg.Done()
	t := time.NewTicker(d.cfg.syncInterval)
	defer t.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-t.C:
			d.writeMu.Lock()
			if d.dirty && d.failed.Load() == nil {
				if err := syncData(d.f); err != nil {
					d.fail(fmt.Errorf("background sync %s: %w", logName(d.gen), err))
				}
				d.dirty = false
			}
			d.writeMu.Unlock()
		}
	}
}
