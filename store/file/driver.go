package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// Driver is a store.Driver that keeps its records in a directory. It also
// implements store.Counter and store.Batcher. It is safe for concurrent
// use; open it with Open and release it with Close.
type Driver struct {
	dir  string
	root *os.Root
	lock *os.File
	cfg  config

	// life guards closed against submissions: a writer holds it shared
	// while it hands its request to the committer, Close exclusively.
	life   sync.RWMutex
	closed atomic.Bool

	reqs          chan *request
	committerDone chan struct{}
	stop          chan struct{} // closed by Close: background goroutines end
	bg            sync.WaitGroup
	compactReq    chan struct{}
	compactMu     sync.Mutex // one compaction at a time
	// compactPauses are how long the last compaction paused writers in
	// its first step, its switch and its checkpoint's copy of the index
	// (guarded by compactMu), for the benchmarks.
	compactPauses [3]time.Duration

	// writeMu is held by the committer for each group commit, by the
	// background syncer and by compaction: one writer of the log at a time.
	writeMu sync.Mutex
	size    int64 // bytes of the log that hold good frames
	alloc   int64 // bytes of the log file: size plus zeros written ahead
	dirty   bool  // relaxed modes: written but not yet synced
	buf     []byte
	overlay map[okey]pending
	changes []change
	attrBuf [][2]string
	failed  atomic.Pointer[error] // set once a write or sync failed
	// syncNanos is the recent duration of an fsync, for linger.
	syncNanos atomic.Int64

	// fileMu guards the log file handle and generation. Readers hold it
	// shared across their ReadAt, so that compaction, which takes it
	// exclusively to swap files, never pulls a file from under a read.
	fileMu sync.RWMutex
	f      logFile
	gen    uint64
	// m maps the log read-only (nil without mmap). Slices of it are used
	// only under fileMu and never handed out: bodies are copied.
	m []byte

	// mu guards the index. Only the committer and compaction change it.
	mu    sync.RWMutex
	kinds map[string]*table
	strs  strTable
	live  int64 // bytes of the log that the index points at
	ids   idArena
	// pairBuf is scratch space for a record's attribute codes, for the
	// committer and for Open.
	pairBuf [][2]uint32

	// legacyGen is the generation of a version 1 log being appended to
	// (0: none), whose frames stay version 1 frames.
	legacyGen uint64

	recovery Recovery
	// ckptGen and ckptAt are the generation and log offset the last
	// checkpoint written or loaded covers; ckptMu serialises the writing
	// of checkpoints.
	ckptGen atomic.Uint64
	ckptAt  atomic.Int64
	ckptMu  sync.Mutex
	ckptReq chan struct{}
}

var (
	_ store.Driver  = (*Driver)(nil)
	_ store.Counter = (*Driver)(nil)
	_ store.Batcher = (*Driver)(nil)
)

// Open opens the store in dir, creating the directory if needed, takes its
// lock and recovers the log (see Recovery). It fails with an error
// wrapping store.ErrLocked if another process or another Driver of this
// process has the directory open, and with one wrapping ErrCorrupt if the
// log it reads is damaged anywhere but at its tail.
//
// After a clean Close (or a compaction, or once the log has grown by half
// since the last), Open loads the index from the checkpoint saved then and
// decodes only the log written after it. It still reads the whole log to
// check every frame's checksum, so damage anywhere is found as without a
// checkpoint, but checking costs a CRC per byte where decoding costs
// parsing and indexing every record: about 0.1 s per GiB of log.
func Open(dir string, opts ...Option) (*Driver, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("file: open %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("file: open %s: %w", dir, err)
	}
	lock, err := lockDir(root, dir)
	if err != nil {
		root.Close()
		return nil, err
	}
	d := &Driver{
		dir: dir, root: root, lock: lock, cfg: cfg,
		reqs:          make(chan *request, 1024),
		committerDone: make(chan struct{}),
		stop:          make(chan struct{}),
		compactReq:    make(chan struct{}, 1),
		ckptReq:       make(chan struct{}, 1),
		overlay:       map[okey]pending{},
		kinds:         map[string]*table{},
		strs:          newStrTable(rand.Uint64()),
	}
	if err := d.load(); err != nil {
		if d.f != nil {
			d.f.Close()
		}
		unlockFile(lock, dir)
		lock.Close()
		root.Close()
		return nil, fmt.Errorf("file: open %s: %w", dir, err)
	}
	d.m = mapLog(d.f, mapLenFor(d.alloc))
	go d.committer()
	if cfg.syncInterval > 0 {
		d.bg.Add(1)
		go d.syncer()
	}
	if cfg.compactRatio > 0 {
		d.bg.Add(1)
		go d.compactor()
	}
	d.bg.Add(1)
	go d.checkpointer()
	return d, nil
}

// load finds the live log generation, rebuilds the index with one
// sequential scan of it and only then clears what an interrupted
// compaction left: nothing is deleted before the generation that replaces
// it has been read whole and found sound, so that a damaged newest
// generation leaves the older one in place to fall back on.
func (d *Driver) load() error {
	dirf, err := d.root.Open(".")
	if err != nil {
		return err
	}
	names, err := dirf.Readdirnames(-1)
	dirf.Close()
	if err != nil {
		return err
	}
	var gens []uint64
	var leftovers []string
	for _, name := range names {
		gen, tmp, ok := parseLogName(name)
		switch {
		case !ok:
		case tmp:
			leftovers = append(leftovers, name)
		default:
			gens = append(gens, gen)
		}
	}
	slices.Sort(gens)
	if len(gens) == 0 {
		// A temporary file without a complete generation is a compaction of
		// an empty log, or a store created by a build that crashed before
		// its first rename: there is nothing in it to keep.
		if err := d.removeAll(leftovers); err != nil {
			return err
		}
		d.gen = 1
		d.f, d.size, err = createLog(d.root, d.gen, d.cfg.wrap, nil)
		if err != nil {
			return err
		}
		d.live, d.alloc = d.size, d.size
		d.recovery = Recovery{File: logName(d.gen), Removed: leftovers}
		return nil
	}
	// A generation is renamed into place only once complete and synced, so
	// the highest one is the live log and the others are superseded.
	d.gen = gens[len(gens)-1]
	name := logName(d.gen)
	if err := d.loadLog(name); err != nil {
		if len(gens) > 1 {
			err = fmt.Errorf("%w (the older generation %s is left in place)", err, logName(gens[len(gens)-2]))
		}
		return err
	}
	for _, g := range gens[:len(gens)-1] {
		leftovers = append(leftovers, logName(g))
	}
	if err := d.removeAll(leftovers); err != nil {
		return err
	}
	d.recovery.Removed = leftovers
	return nil
}

// removeAll deletes the named files of the directory and syncs it.
func (d *Driver) removeAll(names []string) error {
	for _, name := range names {
		if err := d.root.Remove(name); err != nil {
			return err
		}
	}
	if len(names) > 0 {
		return syncDir(d.root)
	}
	return nil
}

// loadLog opens the log generation name, rebuilds the index from it and
// cuts off a torn tail, keeping the cut bytes in a side file.
func (d *Driver) loadLog(name string) error {
	of, err := d.root.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	st, err := of.Stat()
	if err != nil {
		of.Close()
		return err
	}
	d.f = of
	if d.cfg.wrap != nil {
		d.f = d.cfg.wrap(of)
	}
	var op rawOp
	ld := loader{d: d}
	// From the index checkpoint and the log after it, or the whole log.
	good, legacy, rep, err := d.replay(st.Size(), name, func() { ld = loader{d: d} }, func(off int64, payload []byte) error {
		for pos := 0; pos < len(payload); {
			n, err := opLenUnchecked(payload[pos:])
			if err == nil {
				err = parseOp(payload[pos+opHeaderLen:pos+n], &op)
			}
			if err == nil {
				err = ld.op(&op, off+frameHeaderLen+int64(pos), n)
			}
			if err != nil {
				ce := &CorruptError{Offset: off + frameHeaderLen + int64(pos), Reason: err.Error()}
				if errors.Is(err, store.ErrInvalid) {
					ce.Err = err
				}
				return ce
			}
			pos += n
		}
		return nil
	})
	if err != nil {
		return err
	}
	if legacy {
		d.legacyGen = d.gen
	}
	if rep.Truncated {
		// Keep the cut bytes before cutting: they were never acknowledged if
		// the tail is torn, as it looks, but a judgement about bytes on
		// disk is no reason to destroy them.
		if rep.SavedTo, err = saveTail(d.root, d.f, name, good, st.Size()); err != nil {
			return err
		}
		// Cut the torn tail so that new frames follow the good ones, and
		// sync the cut before anything new is acknowledged.
		if err := d.f.Truncate(good); err != nil {
			return err
		}
	}
	if rep.Truncated || d.cfg.syncInterval == 0 && good > int64(len(fileMagic)) {
		// A previous process in a relaxed mode may have left frames only in
		// the page cache; synced frames must follow only synced bytes.
		if err := d.f.Sync(); err != nil {
			return err
		}
	}
	d.size, d.alloc = good, st.Size()
	if rep.Truncated {
		d.alloc = good
	}
	d.live += int64(len(fileMagic))
	for kind, t := range d.kinds {
		t.finishLoad()
		if len(t.sorted) == 0 {
			delete(d.kinds, kind)
		}
		rep.Records += len(t.sorted)
	}
	d.recovery = rep
	return nil
}

// saveTail copies the bytes [from, to) of the log name into a side file
// next to it, synced, and returns the side file's name.
func saveTail(root *os.Root, f io.ReaderAt, name string, from, to int64) (string, error) {
	// A tail cut at the same offset before (a write torn there twice) has
	// its own file already: never overwrite it.
	side := fmt.Sprintf("%s.torn-%d", name, from)
	out, err := root.OpenFile(side, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	for i := 2; errors.Is(err, os.ErrExist) && i < 1000; i++ {
		side = fmt.Sprintf("%s.torn-%d.%d", name, from, i)
		out, err = root.OpenFile(side, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return "", fmt.Errorf("save torn tail to %s: %w", side, err)
	}
	_, err = io.Copy(out, io.NewSectionReader(f, from, to-from))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(root)
	}
	if err != nil {
		return "", fmt.Errorf("save torn tail to %s: %w", side, err)
	}
	return side, nil
}

// loader applies the ops of the log to the index during recovery, holding
// each to the rules a write must pass (driverkit.CheckRecord): a record that
// no write could have stored is damage, whatever its checksum says.
type loader struct {
	d *Driver
	// nameOK and valueOK mark the interned strings already checked as an
	// attribute name and as a value, so that each distinct string is
	// checked once, not once per record.
	nameOK, valueOK []bool
}

// op applies one op, or says why it breaks the rules.
func (l *loader) op(op *rawOp, off int64, n int) error {
	d := l.d
	t := d.kinds[string(op.kind)]
	if t == nil {
		if err := driverkit.CheckKind("open", string(op.kind)); err != nil {
			return err
		}
		t = &table{seed: d.strs.seed, ids: &d.ids} // no hash until finishLoad
		d.kinds[string(op.kind)] = t
	}
	if t.hash != nil {
		// A table loaded from a checkpoint: the log's tail after it
		// changes it as the committer would.
		return l.opLive(t, op, off, n)
	}
	s, ok := t.loadGet(op.id)
	if op.action == opDelete {
		if ok && t.at(s).n != 0 {
			d.live -= int64(t.at(s).n)
			t.at(s).n = 0 // tombstone, dropped by finishLoad
		} else if !ok {
			return driverkit.CheckID("open", string(op.kind), string(op.id))
		}
		return nil
	}
	if len(op.body) > store.MaxBodyLen {
		return driverkit.Errorf("open", string(op.kind), string(op.id), store.ErrInvalid, "body must be at most %d bytes, got %d", store.MaxBodyLen, len(op.body))
	}
	if !ok {
		s = t.loadInsert(op.id)
		// The ID now lives in the index's arena: checking it there costs
		// no copy.
		if err := driverkit.CheckID("open", string(op.kind), t.id(s)); err != nil {
			return err
		}
	}
	e := t.at(s)
	d.live -= int64(e.n)
	e.version, e.off, e.n = op.version, off, uint32(n)
	pairs, err := l.pairs(op)
	if err != nil {
		return err
	}
	if name, dup := t.setAttrs(&d.strs, s, pairs); dup {
		return driverkit.Errorf("open", string(op.kind), string(op.id), store.ErrInvalid, "attribute %q appears twice", d.strs.str(name))
	}
	d.live += int64(n)
	return nil
}

// opLive applies an op of the log's tail to a table loaded from a
// checkpoint, as the committer would, after the same checks as op.
func (l *loader) opLive(t *table, op *rawOp, off int64, n int) error {
	d := l.d
	kind := string(op.kind)
	id := unsafe.String(unsafe.SliceData(op.id), len(op.id))
	if _, ok := t.get(id); !ok {
		if err := driverkit.CheckID("open", kind, id); err != nil {
			return err
		}
	}
	if op.action == opDelete {
		d.applyDelete(t, id)
		return nil
	}
	if len(op.body) > store.MaxBodyLen {
		return driverkit.Errorf("open", kind, id, store.ErrInvalid, "body must be at most %d bytes, got %d", store.MaxBodyLen, len(op.body))
	}
	pairs, err := l.pairs(op)
	if err != nil {
		return err
	}
	if name, dup := d.applyPut(t, id, op.version, off, uint32(n), pairs); dup {
		return driverkit.Errorf("open", kind, id, store.ErrInvalid, "attribute %q appears twice", d.strs.str(name))
	}
	return nil
}

// pairs interns op's attributes and checks each name and value.
func (l *loader) pairs(op *rawOp) ([][2]uint32, error) {
	pairs := l.d.internPairs(op)
	for _, p := range pairs {
		if err := l.checkAttr(string(op.kind), p[0], p[1]); err != nil {
			return nil, err
		}
	}
	return pairs, nil
}

// checkAttr checks an attribute's interned name and value, each string
// once.
func (l *loader) checkAttr(kind string, name, value uint32) error {
	strs := &l.d.strs
	for len(l.nameOK) < len(strs.locs) {
		l.nameOK, l.valueOK = append(l.nameOK, false), append(l.valueOK, false)
	}
	if !l.nameOK[name] {
		if err := driverkit.CheckAttrName("open", kind, strs.str(name)); err != nil {
			return err
		}
		l.nameOK[name] = true
	}
	if !l.valueOK[value] {
		if err := driverkit.CheckAttrValue("open", kind, strs.str(name), strs.str(value)); err != nil {
			return err
		}
		l.valueOK[value] = true
	}
	return nil
}

// internPairs returns the codes of op's attributes, in pairBuf.
func (d *Driver) internPairs(op *rawOp) [][2]uint32 {
	d.pairBuf = d.pairBuf[:0]
	for _, kv := range op.attrs {
		d.pairBuf = append(d.pairBuf, [2]uint32{d.strs.intern(kv[0]), d.strs.intern(kv[1])})
	}
	return d.pairBuf
}

// Recovery returns what Open found and repaired.
func (d *Driver) Recovery() Recovery {
	r := d.recovery
	r.Removed = slices.Clone(r.Removed)
	return r
}

// Dir returns the directory the driver stores into.
func (d *Driver) Dir() string { return d.dir }

// Stats describes the log and the index, for monitoring and for deciding
// when to Compact.
type Stats struct {
	Records   int   // live records, all kinds
	LogBytes  int64 // size of the live log
	LiveBytes int64 // bytes of it that hold live records
	ReadOnly  bool  // a write or sync failed: see the errors writes return
}

// Stats returns the current figures.
func (d *Driver) Stats() Stats {
	d.writeMu.Lock()
	size := d.size
	d.writeMu.Unlock()
	d.mu.RLock()
	defer d.mu.RUnlock()
	s := Stats{LogBytes: size, LiveBytes: d.live, ReadOnly: d.failed.Load() != nil}
	for _, t := range d.kinds {
		s.Records += len(t.sorted)
	}
	return s
}

// ready reports whether a reader may go on: its context is live and the
// driver open. Callers hold fileMu shared.
func (d *Driver) ready(ctx context.Context, op, kind, id string) error {
	if err := ctx.Err(); err != nil {
		return &store.Error{Op: op, Kind: kind, ID: id, Err: err}
	}
	if d.closed.Load() {
		return &store.Error{Op: op, Kind: kind, ID: id, Err: store.ErrClosed}
	}
	return nil
}

// Get implements store.Driver: one index lookup and one copy out of the
// log.
func (d *Driver) Get(ctx context.Context, kind, id string) (store.Record, error) {
	if err := driverkit.CheckGet(kind, id); err != nil {
		return store.Record{}, err
	}
	d.fileMu.RLock()
	defer d.fileMu.RUnlock()
	if err := d.ready(ctx, "get", kind, id); err != nil {
		return store.Record{}, err
	}
	d.mu.RLock()
	var off int64
	var n uint32
	var attrs map[string]string
	if t := d.kinds[kind]; t != nil {
		if s, ok := t.get(id); ok {
			e := t.at(s)
			off, n = e.off, e.n
			attrs = d.attrMap(t, s)
		}
	}
	d.mu.RUnlock()
	if n == 0 {
		return store.Record{}, &store.Error{Op: "get", Kind: kind, ID: id, Err: store.ErrNotFound}
	}
	buf, mapped, err := d.view(off, int(n))
	if err != nil {
		return store.Record{}, &store.Error{Op: "get", Kind: kind, ID: id, Err: err}
	}
	o := rawOp{skipAttrs: true}
	r := store.Record{Kind: kind, ID: id, Attrs: attrs}
	if err := d.decodeInto(&r, "get", buf, off, mapped, &o); err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// minMapLen is the smallest mapping; a variable so that tests can make the
// log outgrow its mapping quickly.
var minMapLen int64 = 64 << 20

// mapLenFor is the length to map for a log of size bytes: room to grow,
// so that the log is remapped only when it doubles.
func mapLenFor(size int64) int64 {
	n := minMapLen
	for n < 2*size {
		n *= 2
	}
	return n
}

// view returns the n bytes of the log at off: a slice of the mapping when
// it covers them (valid while the caller holds fileMu; mapped is true and
// the bytes must be copied before they leave), or else a fresh buffer
// filled by ReadAt.
func (d *Driver) view(off int64, n int) (b []byte, mapped bool, err error) {
	if end := off + int64(n); end <= int64(len(d.m)) {
		return d.m[off:end:end], true, nil
	}
	b = make([]byte, n)
	if _, err := d.f.ReadAt(b, off); err != nil {
		return nil, false, err
	}
	return b, false, nil
}

// remap grows the mapping to cover need bytes. Callers hold writeMu; it
// takes fileMu, so no reader is inside the old mapping when it goes.
func (d *Driver) remap(need int64) {
	d.fileMu.Lock()
	defer d.fileMu.Unlock()
	unmapLog(d.m)
	d.m = mapLog(d.f, mapLenFor(need))
}

// attrMap builds the attributes of the record in slot s of t: the strings
// are the interned ones, so no attribute string is allocated per read.
// Callers hold mu shared.
func (d *Driver) attrMap(t *table, s uint32) map[string]string {
	n := 0
	for _, c := range t.cols {
		if c.raw(s) != 0 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for _, c := range t.cols {
		if v, ok := c.code(s); ok {
			m[d.strs.str(c.name)] = d.strs.str(v)
		}
	}
	return m
}

// decodeInto completes r, whose Kind, ID and Attrs (built from the index)
// are set, from the op in buf, read at off: its version and times, and a
// body that is a copy (copyBody: buf is the mapping) or aliases buf (a
// buffer of its own). It checks the op's checksum and that it is the record
// asked for, so damage after Open is reported instead of returned as data.
// o is scratch space, reused across the records of a page.
func (d *Driver) decodeInto(r *store.Record, op string, buf []byte, off int64, copyBody bool, o *rawOp) error {
	if _, err := decodeOp(buf, o); err != nil || o.action != opPut || string(o.kind) != r.Kind || string(o.id) != r.ID {
		if err == nil {
			err = errors.New("record is not the one the index points at")
		}
		return &store.Error{Op: op, Kind: r.Kind, ID: r.ID,
			Err: &CorruptError{File: d.logNameLocked(), Offset: off, Reason: err.Error()}}
	}
	r.Version = o.version
	r.Created, r.Updated = microTime(o.created), microTime(o.updated)
	switch {
	case o.flags&flagAttrs == 0:
		r.Attrs = nil
	case r.Attrs == nil:
		r.Attrs = map[string]string{}
	}
	if o.flags&flagBody != 0 {
		if copyBody {
			// append to an empty slice does not zero the new memory first,
			// as make would.
			r.Body = append([]byte{}, o.body...)
		} else {
			r.Body = o.body[:len(o.body):len(o.body)]
		}
	}
	return nil
}

// logNameLocked is the live log's name; callers hold fileMu.
func (d *Driver) logNameLocked() string { return logName(d.gen) }

// List implements store.Driver. Filters run on the in-memory index; only
// the records of the page are read, neighbours in the log in one copy.
//
// The bodies of records that lie close together in the log share one
// buffer, each Body a sub-slice whose capacity is cut to its length: a
// caller may modify a body in place or append to it (which copies) without
// touching another record's, but a caller that keeps one record of a page
// keeps that shared buffer (at most 32 KiB through the mapping, 1 MiB
// without it, or a single larger record) alive.
func (d *Driver) List(ctx context.Context, kind string, q store.Query) (store.Page, error) {
	limit, err := driverkit.CheckQuery(kind, q)
	if err != nil {
		return store.Page{}, err
	}
	d.ensureRangeIndex(kind, q.Filters)
	d.fileMu.RLock()
	defer d.fileMu.RUnlock()
	if err := d.ready(ctx, "list", kind, ""); err != nil {
		return store.Page{}, err
	}
	// hits holds no pointers: the page's IDs and attributes go straight
	// into its records, once the page is cut to its length.
	type loc struct {
		slot, n uint32
		off     int64
	}
	hits := make([]loc, 0, limit+1)
	var p store.Page
	d.mu.RLock()
	if t := d.kinds[kind]; t != nil {
		m := compile(&d.strs, t, q.Filters)
		visit := func(s uint32) bool {
			if m.match(s) {
				e := t.at(s)
				hits = append(hits, loc{s, e.n, e.off})
			}
			return len(hits) <= limit
		}
		if p := d.planRange(t, q.Filters); p != nil && !m.never && 4*p.estimate() <= len(t.sorted) {
			for _, s := range d.rangePage(t, p, &m, q, limit) {
				visit(s)
			}
		} else if q.Order == store.OrderDescending {
			end := len(t.sorted)
			if q.After != "" {
				end = sort.Search(len(t.sorted), func(i int) bool { return t.id(t.sorted[i]) >= q.After })
			}
			for i := end - 1; i >= 0 && visit(t.sorted[i]); i-- {
			}
		} else {
			start := 0
			if q.After != "" {
				start = sort.Search(len(t.sorted), func(i int) bool { return t.id(t.sorted[i]) > q.After })
			}
			for i := start; i < len(t.sorted) && visit(t.sorted[i]); i++ {
			}
		}
		if len(hits) > limit {
			hits = hits[:limit]
			p.Next = t.id(hits[limit-1].slot)
		}
		if len(hits) > 0 {
			p.Records = make([]store.Record, len(hits))
		}
		for i, h := range hits {
			r := &p.Records[i]
			r.Kind, r.ID, r.Attrs = kind, t.id(h.slot), d.attrMap(t, h.slot)
		}
	}
	d.mu.RUnlock()
	if len(hits) == 0 {
		return p, nil
	}
	o := rawOp{skipAttrs: true}
	// Records that lie close together in the log (the common case: IDs in
	// arrival order, or a compacted log) are copied out in one run: one
	// allocation and one memmove (or one pread) for a page instead of one
	// per record, and no zeroing (see readRun). Each record is decoded and
	// its checksum checked in the copy, so the bytes returned are the bytes
	// checked. Through the mapping a gap between records costs a memmove
	// and memory kept alive, not a system call, so runs bridge only small
	// gaps there.
	maxGap, maxRun := int64(4<<10), int64(1<<20)
	if len(d.m) > 0 {
		// Runs stay within the allocator's small size classes (32 KiB):
		// a larger buffer is a large object, allocated from the page heap
		// and, once freed, returned to the OS and faulted in again, which
		// made a page of 1,000 records slower than one copy per record.
		maxGap, maxRun = 512, 32<<10
	}
	for i := 0; i < len(hits); {
		lo, hi := hits[i].off, hits[i].off+int64(hits[i].n)
		j := i + 1
		for ; j < len(hits); j++ {
			h := hits[j]
			if h.off < hi || h.off-hi > maxGap || h.off+int64(h.n)-lo > maxRun {
				break
			}
			hi = h.off + int64(h.n)
		}
		buf, err := d.readRun(lo, hi)
		if err != nil {
			return store.Page{}, &store.Error{Op: "list", Kind: kind, Err: err}
		}
		for ; i < j; i++ {
			h := &hits[i]
			b := buf[h.off-lo : h.off-lo+int64(h.n)]
			// The body aliases buf, with its capacity cut to its length,
			// so that appending to one record's body copies it instead of
			// overwriting the next record's bytes.
			if err := d.decodeInto(&p.Records[i], "list", b, h.off, false, &o); err != nil {
				return store.Page{}, err
			}
		}
	}
	return p, nil
}

// readRun returns a copy of the log's bytes [lo, hi), a buffer of its own:
// from the mapping when it covers them (no system call), else by pread.
// Callers hold fileMu shared.
func (d *Driver) readRun(lo, hi int64) ([]byte, error) {
	if hi <= int64(len(d.m)) {
		// append to a nil slice allocates without zeroing the memory
		// first, as make would: the copy overwrites all of it anyway.
		return append([]byte(nil), d.m[lo:hi]...), nil
	}
	buf := make([]byte, hi-lo)
	if _, err := d.f.ReadAt(buf, lo); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf, nil
}

// Count implements store.Counter from the index alone: no body is read.
func (d *Driver) Count(ctx context.Context, kind string, filters []store.Filter, groupBy ...string) ([]store.Group, error) {
	if err := driverkit.CheckCount(kind, filters, groupBy); err != nil {
		return nil, err
	}
	d.ensureRangeIndex(kind, filters)
	d.fileMu.RLock()
	defer d.fileMu.RUnlock()
	if err := d.ready(ctx, "count", kind, ""); err != nil {
		return nil, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	// Groups key on the columns' stored values (0: the record lacks the
	// attribute), turned into strings once at the end.
	raws := map[[store.MaxGroupBy]uint32]int64{}
	var cols [store.MaxGroupBy]*column
	if t := d.kinds[kind]; t != nil {
		m := compile(&d.strs, t, filters)
		for i, a := range groupBy {
			if name, ok := d.strs.lookup(a); ok {
				cols[i] = t.col(name)
			}
		}
		visit := func(s uint32) bool {
			if !m.match(s) {
				return true
			}
			var k [store.MaxGroupBy]uint32
			for i, c := range cols {
				if c != nil {
					k[i] = c.raw(s)
				}
			}
			raws[k]++
			return true
		}
		// A range index serves a period's count when the period is the
		// smaller part of the kind; otherwise the walk in ID order, which
		// reads the entries in the order they lie, is as fast.
		if p := d.planRange(t, filters); p != nil && !m.never && 2*p.estimate() < len(t.sorted) {
			p.each(&d.strs, visit)
		} else if !m.never {
			for _, s := range t.sorted {
				visit(s)
			}
		}
	}
	counts := make(map[[store.MaxGroupBy]string]int64, len(raws))
	for k, n := range raws {
		var s [store.MaxGroupBy]string
		for i := range groupBy {
			if v, ok := cols[i].decodeOK(k[i]); ok {
				s[i] = d.strs.str(v)
			}
		}
		counts[s] += n
	}
	return driverkit.GroupCounts(counts, len(groupBy)), nil
}

// Create implements store.Driver.
func (d *Driver) Create(ctx context.Context, r store.Record) (store.Record, error) {
	if err := driverkit.CheckRecord("create", r); err != nil {
		return store.Record{}, err
	}
	out, err := d.submit(ctx, "create", r.Kind, r.ID, []store.Write{{Action: store.ActionCreate, Record: r}})
	if err != nil {
		return store.Record{}, err
	}
	return out[0], nil
}

// Update implements store.Driver.
func (d *Driver) Update(ctx context.Context, r store.Record) (store.Record, error) {
	if err := driverkit.CheckRecord("update", r); err != nil {
		return store.Record{}, err
	}
	out, err := d.submit(ctx, "update", r.Kind, r.ID, []store.Write{{Action: store.ActionUpdate, Record: r}})
	if err != nil {
		return store.Record{}, err
	}
	return out[0], nil
}

// Delete implements store.Driver.
func (d *Driver) Delete(ctx context.Context, kind, id string, version int64) error {
	if err := driverkit.CheckDelete(kind, id, version); err != nil {
		return err
	}
	w := store.Write{Action: store.ActionDelete, Record: store.Record{Kind: kind, ID: id, Version: version}}
	_, err := d.submit(ctx, "delete", kind, id, []store.Write{w})
	return err
}

// Batch implements store.Batcher: the writes go into one frame of the log,
// which recovery keeps or drops as a whole, so the batch is atomic across
// crashes too.
func (d *Driver) Batch(ctx context.Context, writes []store.Write) ([]store.Record, error) {
	if err := driverkit.CheckBatch(writes); err != nil {
		return nil, err
	}
	var size int
	for _, w := range writes {
		size += recordSize(&w.Record)
	}
	if size > maxFrameLen-frameHeaderLen {
		return nil, driverkit.Errorf("batch", "", "", store.ErrInvalid, "batch of %d bytes exceeds the %d bytes one log frame can hold", size, maxFrameLen)
	}
	return d.submit(ctx, "batch", "", "", slices.Clone(writes))
}

// Close implements store.Driver: it waits for writes in flight, syncs the
// log in the relaxed durability modes, and releases the lock.
func (d *Driver) Close() error {
	d.life.Lock()
	if d.closed.Load() {
		d.life.Unlock()
		return &store.Error{Op: "close", Err: store.ErrClosed}
	}
	d.closed.Store(true)
	d.life.Unlock()
	close(d.reqs)
	<-d.committerDone
	close(d.stop)
	d.bg.Wait()

	var err error
	d.writeMu.Lock()
	if d.alloc > d.size && d.failed.Load() == nil {
		// Leave a clean log of exactly its frames; the zeros ahead were only
		// for the speed of syncs.
		if terr := d.f.Truncate(d.size); terr != nil {
			err = &store.Error{Op: "close", Err: terr}
		}
		d.dirty = true
	}
	if d.dirty && d.failed.Load() == nil {
		if serr := d.f.Sync(); serr != nil {
			d.fail(serr)
			err = &store.Error{Op: "close", Err: fmt.Errorf("sync %s: %w", logName(d.gen), serr)}
		}
		d.dirty = false
	}
	if err == nil && d.failed.Load() == nil && d.gen != d.legacyGen && d.size > int64(len(fileMagic)) && !d.endsClosed() {
		// The close mark, after everything before it is synced: see
		// closeMagic. Without it the store is still whole; only damage
		// to its last frame would then pass for a torn write.
		mark := appendCloseMark(nil)
		if _, werr := d.f.WriteAt(mark, d.size); werr != nil {
			err = &store.Error{Op: "close", Err: fmt.Errorf("write %s: %w", logName(d.gen), werr)}
		} else if serr := syncData(d.f); serr != nil {
			err = &store.Error{Op: "close", Err: fmt.Errorf("sync %s: %w", logName(d.gen), serr)}
		}
	}
	if err == nil && d.failed.Load() == nil && d.gen != d.legacyGen {
		// A checkpoint only saves the next Open a full replay; without
		// one (or with an older one, still valid for this log) nothing is
		// lost, so a failure to write it is not Close's error. (It covers
		// the log up to the close mark, which the next Open reads past.)
		_ = d.checkpoint()
	}
	d.writeMu.Unlock()

	d.fileMu.Lock()
	unmapLog(d.m)
	d.m = nil
	if cerr := d.f.Close(); cerr != nil && err == nil {
		err = &store.Error{Op: "close", Err: cerr}
	}
	d.fileMu.Unlock()
	d.mu.Lock()
	d.kinds = nil
	d.mu.Unlock()
	unlockFile(d.lock, d.dir)
	d.lock.Close()
	d.root.Close()
	return err
}

// endsClosed reports whether the log already ends with a close mark (it
// was opened and closed without a write), so that Close does not add
// another. Callers hold writeMu.
func (d *Driver) endsClosed() bool {
	mark := appendCloseMark(nil)
	if d.size < int64(len(fileMagic)+len(mark)) {
		return false
	}
	b := make([]byte, len(mark))
	if _, err := d.f.ReadAt(b, d.size-int64(len(mark))); err != nil {
		return false
	}
	return string(b) == string(mark)
}

// cloneAttrs copies attrs, keeping nil apart from empty.
func cloneAttrs(a map[string]string) map[string]string {
	if a == nil {
		return nil
	}
	return maps.Clone(a)
}
