package file

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
)

// The index checkpoint. Rebuilding the index from the log costs a scan of
// every frame, which grows with the store: about 2 s for a million
// complaints. So Close, and each compaction, save the index to one file,
// index.ckpt, with the log generation and offset it covers; Open loads it
// and replays only the frames after that offset.
//
// The checkpoint is never trusted on faith. Open uses it only if its
// checksum holds, its format and layout are this version's, it names the
// live generation, the offset it covers lies within the log, the log's
// header is whole and the 4 KiB of log before that offset are the bytes it
// was written against (a CRC of them is saved). Anything else (no file, damage, a checkpoint of another
// log, an older generation) means a full replay, as if there were none.
// And if the frames after the offset do not read as frames, the index
// loaded from it is dropped and the whole log replayed: the log is the
// truth, the checkpoint only a shortcut to it.
//
// Layout (little-endian): magic; generation, offset covered, live bytes,
// hash seed, CRC of the log's bytes before the offset; the intern table,
// the ID arena and each kind's entries, slots, hash table, columns and
// range indexes; and a CRC-32C of all of it. The hash tables are saved as
// they are, which is why their hash is seeded per store and the seed is
// saved too: loading them is a copy, not a rebuild.

const (
	ckptName  = "index.ckpt"
	ckptMagic = "cxkitix\x02"
	// ckptTailCheck is how much of the log before the covered offset the
	// checkpoint holds a CRC of.
	ckptTailCheck = 4 << 10
)

// errBadCheckpoint wraps every reason a checkpoint is not used.
var errBadCheckpoint = errors.New("index checkpoint not usable")

// ckptSnap is a consistent copy of the index, taken under the index lock
// and written without it. The arenas only ever grow (a chunk's bytes below
// its length never change), so their chunk lists are copied as slice
// headers; what is changed in place (entries, slot lists, hash tables,
// columns, range indexes) is copied.
type ckptSnap struct {
	gen              uint64
	covered, live    int64
	seed             uint64
	strChunks        [][]byte
	strLocs          []uint64
	strHash          []uint32
	idChunks         [][]byte
	idLive, idDead   int64
	kinds            []ckptKind
	tailCRC          uint32
	tailFrom, tailTo int64
}

type ckptKind struct {
	name               string
	ents               [][]entry
	free, sorted, hash []uint32
	cols               []ckptCol
}

type ckptCol struct {
	name        uint32
	width       int
	direct      bool
	dict        []uint32
	chunks      [][]byte
	ranged      bool
	main, delta []rent
}

// snapPool is memory for a snapshot, allocated and written to before
// writers are paused, so that the copy made while they wait neither
// allocates nor faults pages in: at a million records the copy is some
// 80 MB, and fresh memory made the pause three times as long.
type snapPool struct {
	ents  []entry
	u32   []uint32
	bytes []byte
	rents []rent
}

// take copies src into the pool's memory if there is room left, else into
// a new slice.
func take[T any](pool *[]T, src []T) []T {
	if len(src) > len(*pool) {
		return slices.Clone(src)
	}
	dst := (*pool)[:len(src):len(src)]
	*pool = (*pool)[len(src):]
	copy(dst, src)
	return dst
}

// newSnapPool sizes a pool for an indexSnapshot of the index as it is, with room
// for some growth until the snapshot is taken. Callers must not hold mu.
func (d *Driver) newSnapPool() *snapPool {
	var ents, u32, b, rents int
	d.mu.RLock()
	u32 += len(d.strs.hash)
	for _, t := range d.kinds {
		for _, c := range t.ents {
			ents += len(c)
		}
		u32 += len(t.free) + len(t.sorted) + len(t.hash)
		for _, c := range t.cols {
			for _, ch := range c.chunks {
				b += len(ch)
			}
			if c.ri != nil {
				rents += len(c.ri.main) + len(c.ri.delta)
			}
		}
	}
	d.mu.RUnlock()
	slack := func(n int) int { return n + n/16 + 4096 }
	p := &snapPool{
		ents: make([]entry, slack(ents)), u32: make([]uint32, slack(u32)),
		bytes: make([]byte, slack(b)), rents: make([]rent, slack(rents)),
	}
	// Fresh memory is mapped on first write: write it now.
	clear(p.ents)
	clear(p.u32)
	clear(p.bytes)
	clear(p.rents)
	return p
}

// indexSnapshot copies the index, into pool's memory as far as it goes (pool
// may be nil). Callers hold mu (shared is enough) and writeMu or otherwise
// know that size is the log's good length.
func (d *Driver) indexSnapshot(gen uint64, size int64, pool *snapPool) *ckptSnap {
	if pool == nil {
		pool = &snapPool{}
	}
	s := &ckptSnap{
		gen: gen, covered: size, live: d.live - int64(len(fileMagic)), seed: d.strs.seed,
		strChunks: slices.Clone(d.strs.chunks),
		strLocs:   d.strs.locs[:len(d.strs.locs):len(d.strs.locs)],
		strHash:   take(&pool.u32, d.strs.hash),
		idChunks:  slices.Clone(d.ids.chunks),
		idLive:    d.ids.live, idDead: d.ids.dead,
	}
	for name, t := range d.kinds {
		k := ckptKind{name: name, free: take(&pool.u32, t.free), sorted: take(&pool.u32, t.sorted), hash: take(&pool.u32, t.hash)}
		for _, c := range t.ents {
			k.ents = append(k.ents, take(&pool.ents, c))
		}
		for _, c := range t.cols {
			kc := ckptCol{name: c.name, width: c.width, direct: c.direct, dict: c.dict[:len(c.dict):len(c.dict)]}
			for _, ch := range c.chunks {
				kc.chunks = append(kc.chunks, take(&pool.bytes, ch))
			}
			if c.ri != nil {
				kc.ranged, kc.main, kc.delta = true, take(&pool.rents, c.ri.main), take(&pool.rents, c.ri.delta)
			}
			k.cols = append(k.cols, kc)
		}
		s.kinds = append(s.kinds, k)
	}
	// Kinds in a fixed order, so that equal indexes give equal files.
	slices.SortFunc(s.kinds, func(a, b ckptKind) int { return bytes.Compare([]byte(a.name), []byte(b.name)) })
	return s
}

// tailCRC computes the CRC of the log bytes before off that a checkpoint
// covering off is checked against.
func tailCRC(f io.ReaderAt, off int64) (uint32, error) {
	from := max(int64(len(fileMagic)), off-ckptTailCheck)
	b := make([]byte, off-from)
	if _, err := f.ReadAt(b, from); err != nil && !(errors.Is(err, io.EOF) && len(b) == 0) {
		return 0, err
	}
	return crc32.Checksum(b, castagnoli), nil
}

// writeCheckpoint saves s as the checkpoint, crash-safely: a temporary file,
// synced, renamed over the old one, and the directory synced. A crash
// leaves the old checkpoint or the new one, and either is checked on Open.
func (d *Driver) writeCheckpoint(s *ckptSnap) error {
	tmp := ckptName + tmpSuffix
	f, err := d.root.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	w := &ckptWriter{w: bufio.NewWriterSize(f, 1<<20)}
	s.encode(w)
	if w.err == nil {
		binary.LittleEndian.PutUint32(w.scratch[:], w.crc)
		_, w.err = w.w.Write(w.scratch[:4])
	}
	if w.err == nil {
		w.err = w.w.Flush()
	}
	if w.err == nil {
		w.err = f.Sync()
	}
	if cerr := f.Close(); w.err == nil {
		w.err = cerr
	}
	if w.err == nil {
		w.err = d.root.Rename(tmp, ckptName)
	}
	if w.err != nil {
		d.root.Remove(tmp)
		return w.err
	}
	return syncDir(d.root)
}

// removeCheckpoint deletes the checkpoint, so that the next Open replays
// the whole log.
func (d *Driver) removeCheckpoint() {
	if d.root.Remove(ckptName) == nil {
		syncDir(d.root)
	}
}

type ckptWriter struct {
	w       *bufio.Writer
	crc     uint32
	err     error
	scratch [8]byte
	buf     []byte
}

func (w *ckptWriter) bytes(b []byte) {
	if w.err != nil {
		return
	}
	w.crc = crc32.Update(w.crc, castagnoli, b)
	_, w.err = w.w.Write(b)
}

func (w *ckptWriter) u64(v uint64) {
	binary.LittleEndian.PutUint64(w.scratch[:], v)
	w.bytes(w.scratch[:8])
}

func (w *ckptWriter) blob(b []byte) {
	w.u64(uint64(len(b)))
	w.bytes(b)
}

func (w *ckptWriter) u32s(s []uint32) {
	w.u64(uint64(len(s)))
	for len(s) > 0 {
		n := min(len(s), 8192)
		w.buf = w.buf[:0]
		for _, v := range s[:n] {
			w.buf = binary.LittleEndian.AppendUint32(w.buf, v)
		}
		w.bytes(w.buf)
		s = s[n:]
	}
}

func (w *ckptWriter) u64s(s []uint64) {
	w.u64(uint64(len(s)))
	for len(s) > 0 {
		n := min(len(s), 4096)
		w.buf = w.buf[:0]
		for _, v := range s[:n] {
			w.buf = binary.LittleEndian.AppendUint64(w.buf, v)
		}
		w.bytes(w.buf)
		s = s[n:]
	}
}

func (w *ckptWriter) rents(s []rent) {
	w.u64(uint64(len(s)))
	for len(s) > 0 {
		n := min(len(s), 4096)
		w.buf = w.buf[:0]
		for _, r := range s[:n] {
			w.buf = binary.LittleEndian.AppendUint32(w.buf, r.val)
			w.buf = binary.LittleEndian.AppendUint32(w.buf, r.slot)
		}
		w.bytes(w.buf)
		s = s[n:]
	}
}

// entryLen is the encoded size of an entry.
const entryLen = 8 + 8 + 4 + 4 + 4 + 1

func (w *ckptWriter) ents(chunk []entry) {
	w.u64(uint64(len(chunk)))
	w.buf = w.buf[:0]
	for i := range chunk {
		e := &chunk[i]
		w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(e.version))
		w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(e.off))
		w.buf = binary.LittleEndian.AppendUint32(w.buf, e.n)
		w.buf = binary.LittleEndian.AppendUint32(w.buf, e.idChunk)
		w.buf = binary.LittleEndian.AppendUint32(w.buf, e.idOff)
		w.buf = append(w.buf, e.idLen)
	}
	w.bytes(w.buf)
}

func (s *ckptSnap) encode(w *ckptWriter) {
	w.bytes([]byte(ckptMagic))
	w.u64(s.gen)
	w.u64(uint64(s.covered))
	w.u64(uint64(s.live))
	w.u64(s.seed)
	w.u64(uint64(s.tailCRC))
	w.u64(uint64(len(s.strChunks)))
	for _, c := range s.strChunks {
		w.blob(c)
	}
	w.u64s(s.strLocs)
	w.u32s(s.strHash)
	w.u64(uint64(s.idLive))
	w.u64(uint64(s.idDead))
	w.u64(uint64(len(s.idChunks)))
	for _, c := range s.idChunks {
		w.blob(c)
	}
	w.u64(uint64(len(s.kinds)))
	for _, k := range s.kinds {
		w.blob([]byte(k.name))
		w.u64(uint64(len(k.ents)))
		for _, c := range k.ents {
			w.ents(c)
		}
		w.u32s(k.free)
		w.u32s(k.sorted)
		w.u32s(k.hash)
		w.u64(uint64(len(k.cols)))
		for _, c := range k.cols {
			w.u64(uint64(c.name))
			w.u64(uint64(c.width))
			w.u64(b2u(c.direct))
			w.u32s(c.dict)
			w.u64(uint64(len(c.chunks)))
			for _, ch := range c.chunks {
				w.blob(ch)
			}
			w.u64(b2u(c.ranged))
			if c.ranged {
				w.rents(c.main)
				w.rents(c.delta)
			}
		}
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// ckptReader decodes a checkpoint held in memory. Every length is checked
// against what is left, so a damaged file fails the decode instead of
// allocating without bound; the CRC was checked before.
type ckptReader struct {
	b   []byte
	err error
}

func (r *ckptReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", errBadCheckpoint, fmt.Sprintf(format, args...))
	}
}

func (r *ckptReader) take(n uint64) []byte {
	if r.err != nil || n > uint64(len(r.b)) {
		r.fail("truncated")
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *ckptReader) u64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// count reads a length of items of size bytes each and checks it against
// what is left.
func (r *ckptReader) count(size uint64) int {
	n := r.u64()
	if r.err == nil && n > uint64(len(r.b))/size {
		r.fail("length %d beyond the file", n)
		return 0
	}
	return int(n)
}

// blob returns a copy of a length-prefixed byte string in a slice of
// capacity at least c.
func (r *ckptReader) blob(c int) []byte {
	n := r.count(1)
	b := r.take(uint64(n))
	if r.err != nil {
		return nil
	}
	out := make([]byte, n, max(n, c))
	copy(out, b)
	return out
}

func (r *ckptReader) u32s() []uint32 {
	n := r.count(4)
	b := r.take(4 * uint64(n))
	if r.err != nil {
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

func (r *ckptReader) u64s() []uint64 {
	n := r.count(8)
	b := r.take(8 * uint64(n))
	if r.err != nil {
		return nil
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return out
}

func (r *ckptReader) rents() []rent {
	n := r.count(8)
	b := r.take(8 * uint64(n))
	if r.err != nil {
		return nil
	}
	out := make([]rent, n)
	for i := range out {
		out[i] = rent{binary.LittleEndian.Uint32(b[8*i:]), binary.LittleEndian.Uint32(b[8*i+4:])}
	}
	return out
}

// ckptIndex is a decoded checkpoint, installed only once wholly checked.
type ckptIndex struct {
	gen           uint64
	covered, live int64
	tailCRC       uint32
	strs          strTable
	ids           idArena
	kinds         map[string]*table
}

// decodeCheckpoint decodes b, a whole checkpoint file, and checks that
// every reference in it points inside it: a checkpoint that decodes never
// makes the index read out of bounds.
func decodeCheckpoint(b []byte) (*ckptIndex, error) {
	if len(b) < len(ckptMagic)+4 || string(b[:len(ckptMagic)]) != ckptMagic {
		return nil, fmt.Errorf("%w: not a checkpoint of this version", errBadCheckpoint)
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", errBadCheckpoint)
	}
	r := &ckptReader{b: body[len(ckptMagic):]}
	x := &ckptIndex{kinds: map[string]*table{}}
	x.gen = r.u64()
	x.covered = int64(r.u64())
	x.live = int64(r.u64())
	x.strs.seed = r.u64()
	x.tailCRC = uint32(r.u64())
	n := r.count(8)
	for range n {
		x.strs.chunks = append(x.strs.chunks, r.blob(strChunkLen))
	}
	x.strs.locs = r.u64s()
	x.strs.hash = r.u32s()
	for _, l := range x.strs.locs {
		ci, off, ln := l>>32, (l>>16)&0xffff, l&0xffff
		if ci >= uint64(len(x.strs.chunks)) || off+ln > uint64(len(x.strs.chunks[ci])) {
			r.fail("string out of bounds")
			break
		}
	}
	nstr := uint32(len(x.strs.locs))
	if len(x.strs.hash) == 0 || len(x.strs.hash)&(len(x.strs.hash)-1) != 0 || 4*len(x.strs.locs) > 3*len(x.strs.hash) {
		r.fail("bad intern hash table")
	}
	for _, h := range x.strs.hash {
		if h > nstr {
			r.fail("intern hash entry out of bounds")
			break
		}
	}
	x.ids.live = int64(r.u64())
	x.ids.dead = int64(r.u64())
	n = r.count(8)
	for range n {
		x.ids.chunks = append(x.ids.chunks, r.blob(idChunkLen))
	}
	nk := r.count(8)
	for range nk {
		name := string(r.blob(0))
		t := &table{seed: x.strs.seed, ids: &x.ids}
		nc := r.count(8)
		for i := range nc {
			m := r.count(entryLen)
			b := r.take(uint64(m) * entryLen)
			if r.err != nil {
				break
			}
			if i < nc-1 && m != entChunkLen || m > entChunkLen {
				r.fail("entry chunk of %d", m)
				break
			}
			c := make([]entry, m, max(m, min(8, entChunkLen)))
			if nc > 1 {
				c = make([]entry, m, entChunkLen)
			}
			for j := range c {
				p := b[j*entryLen:]
				e := &c[j]
				e.version = int64(binary.LittleEndian.Uint64(p))
				e.off = int64(binary.LittleEndian.Uint64(p[8:]))
				e.n = binary.LittleEndian.Uint32(p[16:])
				e.idChunk = binary.LittleEndian.Uint32(p[20:])
				e.idOff = binary.LittleEndian.Uint32(p[24:])
				e.idLen = p[28]
				if e.n != 0 && (int(e.idChunk) >= len(x.ids.chunks) || int(e.idOff)+int(e.idLen) > len(x.ids.chunks[e.idChunk]) || e.idLen == 0) {
					r.fail("ID out of bounds")
				}
			}
			t.ents = append(t.ents, c)
		}
		nslots := uint32(0)
		if k := len(t.ents); k > 0 {
			nslots = uint32((k-1)*entChunkLen + len(t.ents[k-1]))
		}
		t.free, t.sorted, t.hash = r.u32s(), r.u32s(), r.u32s()
		for _, s := range t.sorted {
			if s >= nslots || t.at(s).n == 0 {
				r.fail("bad slot in a kind's order")
				break
			}
		}
		for _, s := range t.free {
			if s >= nslots {
				r.fail("bad free slot")
				break
			}
		}
		if len(t.hash) == 0 || len(t.hash)&(len(t.hash)-1) != 0 || 2*len(t.sorted) > len(t.hash) {
			r.fail("bad ID hash table")
		}
		for _, h := range t.hash {
			if h > nslots {
				r.fail("ID hash entry out of bounds")
				break
			}
		}
		ncols := r.count(8)
		for range ncols {
			c := &column{name: uint32(r.u64()), width: int(r.u64()), direct: r.u64() == 1}
			c.dict = r.u32s()
			if c.name >= nstr || c.width != 1 && c.width != 2 && c.width != 4 || c.direct && len(c.dict) > 0 || len(c.dict) > maxDict {
				r.fail("bad column")
			}
			if !c.direct {
				c.local = make(map[uint32]uint32, len(c.dict))
				for i, v := range c.dict {
					if v >= nstr {
						r.fail("dictionary value out of bounds")
						break
					}
					c.local[v] = uint32(i + 1)
				}
			}
			nch := r.count(8)
			for range nch {
				ch := r.blob(0)
				if len(ch) == 0 {
					ch = nil
				}
				if len(ch)%max(c.width, 1) != 0 || len(ch) > entChunkLen*c.width {
					r.fail("bad column chunk")
				}
				c.chunks = append(c.chunks, ch)
			}
			if r.err == nil {
				// Every stored value must decode to a string.
				for ci, ch := range c.chunks {
					for i := range len(ch) / c.width {
						v := c.raw(uint32(ci*entChunkLen + i))
						if v != 0 && (c.direct && v-1 >= nstr || !c.direct && int(v) > len(c.dict)) {
							r.fail("column value out of bounds")
							break
						}
					}
				}
			}
			if r.u64() == 1 {
				ri := &rangeIndex{name: c.name, main: r.rents(), delta: r.rents()}
				for _, p := range append(ri.main, ri.delta...) {
					if p.val >= nstr || p.slot&^deadBit >= nslots {
						r.fail("range index out of bounds")
						break
					}
					if p.slot&deadBit != 0 {
						ri.dead++
					}
				}
				c.ri = ri
			}
			t.cols = append(t.cols, c)
		}
		if r.err != nil {
			break
		}
		x.kinds[name] = t
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("%d bytes after the end", len(r.b))
	}
	if r.err != nil {
		return nil, r.err
	}
	return x, nil
}

// readCheckpoint returns the checkpoint's bytes (a mapping, released by
// the function returned, when the platform has mmap) or nil if there is
// none.
func (d *Driver) readCheckpoint() ([]byte, func(), error) {
	f, err := d.root.Open(ckptName)
	if errors.Is(err, os.ErrNotExist) {
		return nil, func() {}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if m := mapLog(f, st.Size()); m != nil {
		return m, func() { unmapLog(m) }, nil
	}
	b, err := io.ReadAll(f)
	return b, func() {}, err
}

// checkpointFor returns the checkpoint's bytes (and the function that
// releases them) if its header names the live log of size bytes: its
// generation, an offset within it, the CRC of the log's bytes before that
// offset, and a header of this version on the log. The rest (its checksum,
// every reference in it) decodeCheckpoint checks.
func (d *Driver) checkpointFor(size int64) (b []byte, release func(), covered int64, ok bool) {
	// A checkpoint being written at a crash is only ever a temporary
	// file: the one in place is whole or absent.
	d.root.Remove(ckptName + tmpSuffix)
	b, release, err := d.readCheckpoint()
	if err != nil || b == nil {
		return nil, nil, 0, false
	}
	const hdrLen = len(ckptMagic) + 6*8
	if len(b) < hdrLen+4 || string(b[:len(ckptMagic)]) != ckptMagic {
		release()
		return nil, nil, 0, false
	}
	h := b[len(ckptMagic):]
	gen, covered := binary.LittleEndian.Uint64(h), int64(binary.LittleEndian.Uint64(h[8:]))
	sum := uint32(binary.LittleEndian.Uint64(h[32:]))
	start := int64(len(fileMagic))
	logHdr := make([]byte, len(fileMagic))
	switch {
	case gen != d.gen || covered < start || covered > size:
	case func() bool { s, err := tailCRC(d.f, covered); return err != nil || s != sum }():
	case func() bool { _, err := d.f.ReadAt(logHdr, 0); return err != nil || string(logHdr) != fileMagic }():
	default:
		return b, release, covered, true
	}
	release()
	return nil, nil, 0, false
}

// installCheckpoint makes x the index, which is empty.
func (d *Driver) installCheckpoint(x *ckptIndex) {
	d.strs, d.ids, d.kinds, d.live = x.strs, x.ids, x.kinds, x.live
	for _, t := range d.kinds {
		t.ids = &d.ids
	}
	d.ckptGen.Store(x.gen)
	d.ckptAt.Store(x.covered)
}

// resetIndex empties the index, for a full replay after a checkpoint did
// not fit the log.
func (d *Driver) resetIndex() {
	d.strs = newStrTable(d.strs.seed)
	d.ids = idArena{}
	d.kinds = map[string]*table{}
	d.live = 0
	d.ckptGen.Store(0)
	d.ckptAt.Store(0)
}

// closeMarkLen is the length of the close mark frame Close appends.
var closeMarkLen = int64(len(appendCloseMark(nil)))

// errNoFit stops a scan whose checkpoint does not fit the log.
var errNoFit = errors.New("index checkpoint does not fit the log")

// replay rebuilds the index, calling visit for each frame as scanLog does,
// and reset before a second, full replay that follows a failed one. It
// returns scanLog's results.
//
// With a checkpoint that fits the log, the log is still read whole, so
// that every frame's checksum is checked and damage anywhere is found and
// judged (torn tail or corruption) exactly as without one; but only the
// frames after the checkpoint's offset are decoded and applied, and the
// checkpoint is decoded meanwhile on another goroutine. Checking a frame
// costs a CRC of its bytes; applying it costs decoding and indexing each
// record, some fifteen times as much. If the checkpoint turns out not to
// fit (its offset is not where a frame starts, the log's good length ends
// before it, or it does not decode), the index is emptied and the log
// replayed whole.
func (d *Driver) replay(size int64, name string, reset func(), visit func(off int64, payload []byte) error) (int64, bool, Recovery, error) {
	b, release, covered, ok := d.checkpointFor(size)
	if !ok {
		return scanLog(d.f, size, name, visit)
	}
	type decoded struct {
		x   *ckptIndex
		err error
	}
	ch := make(chan decoded, 1)
	go func() {
		x, err := decodeCheckpoint(b)
		release()
		ch <- decoded{x, err}
	}()
	loaded, waited := false, false
	load := func() error {
		if loaded {
			return nil
		}
		waited = true
		r := <-ch
		if r.err != nil || r.x.gen != d.gen || r.x.covered != covered {
			return errNoFit
		}
		d.installCheckpoint(r.x)
		loaded = true
		return nil
	}
	// prevEnd is where the last frame before covered ends; only close
	// marks (which scanLog skips) may lie between it and covered.
	prevEnd := int64(len(fileMagic))
	fits := func() bool { return covered >= prevEnd && (covered-prevEnd)%closeMarkLen == 0 }
	good, legacy, rep, err := scanLog(d.f, size, name, func(off int64, payload []byte) error {
		end := off + frameHeaderLen + int64(len(payload))
		if off < covered {
			if end > covered {
				return errNoFit // covered falls inside this frame
			}
			prevEnd = end
			return nil
		}
		if !loaded && !fits() {
			return errNoFit
		}
		if err := load(); err != nil {
			return err
		}
		return visit(off, payload)
	})
	if err == nil && (good < covered || !loaded && !fits()) {
		err = errNoFit
	}
	if err == nil {
		err = load()
	}
	if errors.Is(err, errNoFit) {
		if !waited {
			<-ch // the decoder must be done before the index is rebuilt
		}
		d.resetIndex()
		reset()
		return scanLog(d.f, size, name, visit)
	}
	if err != nil && !waited {
		go func() { <-ch }() // Open fails; the decoder's result is not needed
	}
	return good, legacy, rep, err
}

// Writing a checkpoint has two steps. takeCheckpoint copies the index
// with writers paused (callers hold writeMu: no frame is being added, and
// the index is what the log up to d.size says); saveCheckpoint encodes and
// writes the copy with nobody waiting. Close does both; compaction does
// both after its switch; and a background goroutine does both whenever the
// log has grown by half (at least ckptMinGrowth) since the last checkpoint,
// so that even a store that is never closed cleanly replays at most a
// third of its log after a crash. Half, not less: each checkpoint rewrites
// the whole index, and a bulk load that checkpointed every quarter spent
// about half as much again writing checkpoints as writing its log.

// ckptMinGrowth is the least log growth that triggers a checkpoint, by
// default.
const ckptMinGrowth = 64 << 20

// takeCheckpoint returns a copy of the index for a checkpoint covering the
// log as it is, or nil if the last checkpoint covers exactly that. In the
// relaxed durability modes it first syncs the log: a checkpoint must cover
// only bytes that are on disk, or a power loss could leave it pointing at
// records the log lost. pool (from newSnapPool, or nil) holds the memory
// for the copy. Callers hold writeMu.
func (d *Driver) takeCheckpoint(pool *snapPool) (*ckptSnap, error) {
	if d.ckptGen.Load() == d.gen && d.ckptAt.Load() == d.size {
		return nil, nil
	}
	if d.dirty {
		if err := syncData(d.f); err != nil {
			d.fail(fmt.Errorf("sync %s: %w", logName(d.gen), err))
			return nil, err
		}
		d.dirty = false
	}
	sum, err := tailCRC(d.f, d.size)
	if err != nil {
		return nil, err
	}
	d.mu.RLock()
	s := d.indexSnapshot(d.gen, d.size, pool)
	d.mu.RUnlock()
	s.tailCRC = sum
	return s, nil
}

// saveCheckpoint writes s unless a checkpoint of a later state was written
// meanwhile. Callers must not hold writeMu.
func (d *Driver) saveCheckpoint(s *ckptSnap) error {
	if s == nil {
		return nil
	}
	d.ckptMu.Lock()
	defer d.ckptMu.Unlock()
	if g := d.ckptGen.Load(); g > s.gen || g == s.gen && d.ckptAt.Load() >= s.covered {
		return nil
	}
	s.compactStrings()
	if err := d.writeCheckpoint(s); err != nil {
		return err
	}
	d.ckptGen.Store(s.gen)
	d.ckptAt.Store(s.covered)
	return nil
}

// maybeCheckpoint asks the checkpointer goroutine for a checkpoint when the
// log has grown enough since the last. Callers hold writeMu.
func (d *Driver) maybeCheckpoint() {
	if d.gen == d.legacyGen {
		return // Open uses checkpoints of current-format logs only
	}
	covered := d.ckptAt.Load()
	if d.ckptGen.Load() != d.gen {
		covered = 0
	}
	if grown := d.size - covered; grown < max(d.cfg.ckptGrowth, covered/2) {
		return
	}
	select {
	case d.ckptReq <- struct{}{}:
	default:
	}
}

// checkpointer writes the checkpoints maybeCheckpoint asks for.
func (d *Driver) checkpointer() {
	defer d.bg.Done()
	for {
		select {
		case <-d.stop:
			return
		case <-d.ckptReq:
			pool := d.newSnapPool()
			d.writeMu.Lock()
			var s *ckptSnap
			var err error
			if d.failed.Load() == nil && !d.closed.Load() {
				s, err = d.takeCheckpoint(pool)
			}
			d.writeMu.Unlock()
			if err == nil {
				// A checkpoint saves a later Open time; failing to write
				// one loses nothing (the log has it all).
				_ = d.saveCheckpoint(s)
			}
		}
	}
}

// checkpoint takes and saves a checkpoint at once, for Close and tests.
// Callers hold writeMu.
func (d *Driver) checkpoint() error {
	s, err := d.takeCheckpoint(nil)
	if err != nil {
		return err
	}
	return d.saveCheckpoint(s)
}

// compactStrings drops from the snapshot every interned string that no
// record uses any more, and the dictionary entries and dead range-index
// pairs that held them, renumbering the rest. The running index keeps such
// strings until it is reopened (an erased customer reference, say), but a
// file must not: a checkpoint holds only what the records hold. It works
// on the snapshot's own copies, outside every lock.
func (s *ckptSnap) compactStrings() {
	old := strTable{chunks: s.strChunks, locs: s.strLocs}
	used := make([]bool, len(old.locs))
	// each calls f with every stored value of c, in place.
	each := func(c *ckptCol, f func(v uint32) uint32) {
		tmp := column{width: c.width, chunks: c.chunks}
		for ci, ch := range c.chunks {
			for i := range len(ch) / c.width {
				slot := uint32(ci*entChunkLen + i)
				if v := tmp.raw(slot); v != 0 {
					if nv := f(v); nv != v {
						tmp.put(slot, nv)
					}
				}
			}
		}
	}
	for ki := range s.kinds {
		for ci := range s.kinds[ki].cols {
			c := &s.kinds[ki].cols[ci]
			used[c.name] = true
			if c.direct {
				each(c, func(v uint32) uint32 { used[v-1] = true; return v })
			} else {
				inUse := make([]bool, len(c.dict)+1)
				each(c, func(v uint32) uint32 { inUse[v] = true; return v })
				remap := make([]uint32, len(c.dict)+1)
				dict := make([]uint32, 0, len(c.dict))
				for i, code := range c.dict {
					if inUse[i+1] {
						dict = append(dict, code)
						remap[i+1] = uint32(len(dict))
						used[code] = true
					}
				}
				each(c, func(v uint32) uint32 { return remap[v] })
				c.dict = dict
			}
			if c.ranged {
				live := func(rs []rent) []rent {
					out := rs[:0]
					for _, r := range rs {
						if r.slot&deadBit == 0 {
							out = append(out, r)
							used[r.val] = true
						}
					}
					return out
				}
				c.main, c.delta = live(c.main), live(c.delta)
			}
		}
	}
	// The strings still used, renumbered in their order, in a new table.
	nt := newStrTable(s.seed)
	code := make([]uint32, len(old.locs))
	for c, u := range used {
		if u {
			code[c] = nt.internString(old.str(uint32(c)))
		}
	}
	for ki := range s.kinds {
		for ci := range s.kinds[ki].cols {
			c := &s.kinds[ki].cols[ci]
			c.name = code[c.name]
			if c.direct {
				each(c, func(v uint32) uint32 { return code[v-1] + 1 })
			} else {
				for i, v := range c.dict {
					c.dict[i] = code[v]
				}
			}
			for i := range c.main {
				c.main[i].val = code[c.main[i].val]
			}
			for i := range c.delta {
				c.delta[i].val = code[c.delta[i].val]
			}
		}
	}
	s.strChunks, s.strLocs, s.strHash = nt.chunks, nt.locs, nt.hash
}
