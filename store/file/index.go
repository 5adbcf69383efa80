package file

import (
	"slices"
	"strings"
	"unsafe"

	"github.com/cxkit/cxkit/store"
)

// The index holds, per record, only what Get, List and Count need to avoid
// reading the disk: ID, version, Created (Update keeps it), attributes and
// where the record lies in the log. Bodies stay on disk.
//
// Attribute names and values are interned, and each kind keeps its
// attributes in columns, one per attribute name, indexed by slot: a column
// of few distinct values (a status, a channel, a month) takes one byte per
// record, codes into the column's own small dictionary, and a column of
// many (a received time) four, the value's intern code. A million records
// with fourteen attributes then cost about thirty bytes of attributes
// each, where pairs of codes cost 112, and equality filters and grouped
// counts compare small integers.

// strTable interns strings as dense uint32 codes. The strings lie packed in
// chunks that are never moved (a string aliases its chunk), and the lookup
// is an open-addressing table of codes, so the table holds no pointer per
// string and is saved to and loaded from a checkpoint as a few flat arrays.
type strTable struct {
	seed   uint64
	chunks [][]byte
	// locs holds, per code, chunk<<32 | offset<<16 | length: chunks are
	// strChunkLen bytes and no string is longer than MaxAttrValueLen.
	locs []uint64
	hash []uint32 // code+1 per bucket, 0 empty, at most half full
}

// strChunkLen is the size of a chunk of strTable: offsets fit 16 bits.
const strChunkLen = 64 << 10

func newStrTable(seed uint64) strTable { return strTable{seed: seed, hash: make([]uint32, 64)} }

// str returns the string of code c, aliasing its chunk.
func (t *strTable) str(c uint32) string {
	l := t.locs[c]
	n := int(l & 0xffff)
	if n == 0 {
		return ""
	}
	return unsafe.String(&t.chunks[l>>32][(l>>16)&0xffff], n)
}

// lookup returns the code of s, if interned.
func (t *strTable) lookup(s string) (uint32, bool) {
	_, c, ok := t.find(s)
	return c, ok
}

func (t *strTable) find(s string) (pos int, code uint32, ok bool) {
	mask := uint64(len(t.hash) - 1)
	for i := strHash(t.seed, s) & mask; ; i = (i + 1) & mask {
		b := t.hash[i]
		if b == 0 {
			return int(i), 0, false
		}
		if t.str(b-1) == s {
			return int(i), b - 1, true
		}
	}
}

// intern returns the code of b, adding it if new. b is not retained.
func (t *strTable) intern(b []byte) uint32 {
	if len(b) == 0 {
		return t.internString("")
	}
	return t.internString(unsafe.String(&b[0], len(b)))
}

// internString returns the code of s, adding a copy of it if new.
func (t *strTable) internString(s string) uint32 {
	pos, c, ok := t.find(s)
	if ok {
		return c
	}
	last := len(t.chunks) - 1
	if last < 0 || len(s) > cap(t.chunks[last])-len(t.chunks[last]) {
		t.chunks = append(t.chunks, make([]byte, 0, strChunkLen))
		last++
	}
	off := len(t.chunks[last])
	t.chunks[last] = append(t.chunks[last], s...)
	c = uint32(len(t.locs))
	t.locs = append(t.locs, uint64(last)<<32|uint64(off)<<16|uint64(len(s)))
	t.hash[pos] = c + 1
	// Three quarters full at most: most strings are looked up by the
	// writes that add them, and a sparser table costs 4 bytes per record
	// of a store whose records each bring a new value (a received time).
	if 4*len(t.locs) > 3*len(t.hash) {
		t.rehash(2 * len(t.hash))
	}
	return c
}

func (t *strTable) rehash(n int) {
	t.hash = make([]uint32, n)
	mask := uint64(n - 1)
	for c := range t.locs {
		i := strHash(t.seed, t.str(uint32(c))) & mask
		for t.hash[i] != 0 {
			i = (i + 1) & mask
		}
		t.hash[i] = uint32(c) + 1
	}
}

// strHash is the hash of the index's lookup tables. It is seeded per store
// (the seed is saved with the checkpoint, whose tables are loaded as they
// are), so that keys chosen to collide on one store do not on another.
func strHash(seed uint64, s string) uint64 {
	h := seed ^ uint64(len(s))*0x9e3779b97f4a7c15
	for ; len(s) >= 8; s = s[8:] {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = (h ^ w) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	var w uint64
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
	}
	h = (h ^ w) * 0x94d049bb133111eb
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return h
}

// The rest of the index holds no pointers per record: entries refer to
// their ID by chunk and offset, tables list entries by slot number, columns
// hold small integers by slot, and the ID lookup is an open-addressing table
// of slot numbers. The garbage collector then scans a few chunk headers
// instead of pointers per record, and every collection cycle, which the
// allocations of a List or Get trigger, costs little however many records
// the index holds. With four or five pointers per record, the collector's
// marking was about a third of the CPU time of BenchmarkListAll.

// entry is one record in the index; its attributes are in the table's
// columns, at its slot. Created is not kept: the update that needs it (to
// keep it) reads it from the log.
type entry struct {
	version int64
	off     int64  // offset of the record's op in the log
	n       uint32 // length of the op; 0 marks a tombstone during Open
	idChunk uint32 // the ID is ids.chunks[idChunk][idOff:][:idLen]
	idOff   uint32
	idLen   uint8 // store.MaxIDLen is 128; parseOp refuses longer
}

// idChunkLen is the size of a chunk of the ID arena: large enough that the
// chunks are few, small enough that the last one's unused tail costs
// little.
const idChunkLen = 64 << 10

// idArena holds the IDs of the index, packed into chunks that are never
// moved or overwritten: an ID's string aliases its chunk, so Get and List
// hand IDs out without copying them.
type idArena struct {
	chunks [][]byte
	live   int64 // bytes of IDs in the index
	dead   int64 // bytes of deleted IDs, reclaimed by repack
}

// addID copies id into the arena and records its place in e.
func addID[T string | []byte](a *idArena, e *entry, id T) {
	last := len(a.chunks) - 1
	if last < 0 || len(id) > cap(a.chunks[last])-len(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]byte, 0, idChunkLen))
		last++
	}
	e.idChunk, e.idOff, e.idLen = uint32(last), uint32(len(a.chunks[last])), uint8(len(id))
	a.chunks[last] = append(a.chunks[last], id...)
	a.live += int64(len(id))
}

// id returns e's ID, aliasing the arena.
func (a *idArena) id(e *entry) string {
	if e.idLen == 0 {
		return ""
	}
	return unsafe.String(&a.chunks[e.idChunk][e.idOff], int(e.idLen))
}

// column holds one attribute of a kind's records, by slot. A stored value
// is 0 where a record lacks the attribute; otherwise, while the column has
// a dictionary, the 1-based index of the value in it, else the value's
// intern code plus one. Values take width bytes, growing from one as the
// dictionary grows; past maxDict values the column drops its dictionary
// and stores intern codes. Chunks follow the table's entry chunks; a chunk
// that never held a value is nil, so an attribute few records have costs
// little.
type column struct {
	name   uint32
	width  int // 1, 2 or 4
	chunks [][]byte
	dict   []uint32          // value codes, while the column has a dictionary
	local  map[uint32]uint32 // value code -> 1-based index in dict
	direct bool              // no dictionary: values are intern codes + 1
	ri     *rangeIndex       // the column's range index, if built
	stamp  uint64            // setAttrs' mark of the columns it wrote
}

// maxDict is the most distinct values a column keeps a dictionary for.
const maxDict = 1<<16 - 1

func newColumn(name uint32) *column {
	return &column{name: name, width: 1, local: map[uint32]uint32{}}
}

// raw returns the stored value at slot s.
func (c *column) raw(s uint32) uint32 {
	ci, i := int(s/entChunkLen), int(s%entChunkLen)
	if ci >= len(c.chunks) {
		return 0
	}
	b := c.chunks[ci]
	switch c.width {
	case 1:
		if i < len(b) {
			return uint32(b[i])
		}
	case 2:
		if 2*i+1 < len(b) {
			return uint32(b[2*i]) | uint32(b[2*i+1])<<8
		}
	default:
		if 4*i+3 < len(b) {
			return uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24
		}
	}
	return 0
}

// code returns the value code at slot s, if the record has the attribute.
func (c *column) code(s uint32) (uint32, bool) {
	return c.decode(c.raw(s))
}

// decode turns a stored value into a value code.
func (c *column) decode(v uint32) (uint32, bool) {
	switch {
	case v == 0:
		return 0, false
	case c.direct:
		return v - 1, true
	}
	return c.dict[v-1], true
}

// decodeOK is decode for a column that may be nil (an attribute no record
// of the kind has).
func (c *column) decodeOK(v uint32) (uint32, bool) {
	if c == nil {
		return 0, false
	}
	return c.decode(v)
}

// encode returns the stored value of value code v, if the column has one
// for it (without adding it).
func (c *column) encode(v uint32) (uint32, bool) {
	if c.direct {
		return v + 1, true
	}
	l, ok := c.local[v]
	return l, ok
}

// set stores value code v (or absence, if !has) at slot s.
func (c *column) set(s uint32, v uint32, has bool) {
	var raw uint32
	if has {
		if c.direct {
			raw = v + 1
		} else if l, ok := c.local[v]; ok {
			raw = l
		} else {
			if len(c.dict) == maxDict {
				c.dropDict()
				c.set(s, v, has)
				return
			}
			c.dict = append(c.dict, v)
			raw = uint32(len(c.dict))
			c.local[v] = raw
			if raw > 0xff && c.width == 1 {
				c.widen(2, nil)
			}
		}
	}
	c.put(s, raw)
}

// put writes a stored value at slot s.
func (c *column) put(s, raw uint32) {
	ci, i := int(s/entChunkLen), int(s%entChunkLen)
	if ci >= len(c.chunks) {
		if raw == 0 {
			return
		}
		c.chunks = append(c.chunks, make([][]byte, ci+1-len(c.chunks))...)
	}
	b := c.chunks[ci]
	if need := (i + 1) * c.width; need > len(b) {
		if raw == 0 {
			return
		}
		// The first chunk grows by doubling, so that a kind of a few
		// records takes little room; the others are whole.
		n := entChunkLen * c.width
		if ci == 0 {
			n = min(max(need, 2*len(b), 16*c.width), n)
		}
		nb := make([]byte, n)
		copy(nb, b)
		b, c.chunks[ci] = nb, nb
	}
	switch c.width {
	case 1:
		b[i] = byte(raw)
	case 2:
		b[2*i], b[2*i+1] = byte(raw), byte(raw>>8)
	default:
		b[4*i], b[4*i+1], b[4*i+2], b[4*i+3] = byte(raw), byte(raw>>8), byte(raw>>16), byte(raw>>24)
	}
}

// widen rewrites the column's values at width w, through f if not nil.
func (c *column) widen(w int, f func(uint32) uint32) {
	old := *c
	c.width = w
	c.chunks = make([][]byte, len(old.chunks))
	for ci, b := range old.chunks {
		for i := range len(b) / old.width {
			s := uint32(ci*entChunkLen + i)
			v := old.raw(s)
			if f != nil {
				v = f(v)
			}
			c.put(s, v)
		}
	}
}

// dropDict turns the column direct: values become intern codes.
func (c *column) dropDict() {
	dict := c.dict
	c.direct, c.dict, c.local = true, nil, nil
	c.widen(4, func(v uint32) uint32 {
		if v == 0 {
			return 0
		}
		return dict[v-1] + 1
	})
}

// table is the index of one kind: its entries by slot; the slots sorted by
// ID, for keyset paging; a hash table from ID to slot for lookups, which a
// binary search over a million records (a cache miss each) made twice as
// slow; and the attribute columns. ULIDs arrive in order, so inserting is
// usually an append.
type table struct {
	seed uint64
	ids  *idArena
	// ents holds the entries, slot s at ents[s/entChunkLen][s%entChunkLen]:
	// chunks rather than one slice, so that loading a million records
	// never copies the entries to grow, nor leaves a grown slice's slack.
	// Only the first chunk grows, so that a kind of a few records takes
	// little room.
	ents [][]entry
	free []uint32 // slots of deleted entries, for reuse
	// sorted holds the live slots in ID order.
	sorted []uint32
	// hash holds slot+1 per bucket (0: empty), linear probing, at most half
	// full. It is nil while Open loads the log, which finds entries by
	// binary search instead, and is built once at the end with its final
	// size.
	hash []uint32
	// cols are the kind's attributes, in the order they first appeared.
	cols  []*column
	stamp uint64
	// extra holds, during Open only, the slots of records whose IDs arrived
	// out of order; finishLoad merges them in with one sort.
	extra map[string]uint32
}

func newTable(seed uint64, ids *idArena) *table {
	return &table{seed: seed, ids: ids, hash: make([]uint32, 16)}
}

// entChunkLen is the number of entries of a full chunk of table.ents.
const entChunkLen = 4096

// id returns the ID of the entry in slot s.
func (t *table) id(s uint32) string { return t.ids.id(t.at(s)) }

// at returns the entry in slot s, valid until the table next changes.
func (t *table) at(s uint32) *entry { return &t.ents[s/entChunkLen][s%entChunkLen] }

// col returns the column of the attribute with name code name, or nil.
func (t *table) col(name uint32) *column {
	for _, c := range t.cols {
		if c.name == name {
			return c
		}
	}
	return nil
}

// setAttrs gives slot s the attributes pairs (name and value codes, in
// any order), clearing those it had and pairs lacks, and keeps the range
// indexes in step. It reports a name that pairs holds twice (the last
// value wins), which only a damaged log can hold. Callers hold the index
// lock exclusively.
func (t *table) setAttrs(strs *strTable, s uint32, pairs [][2]uint32) (dupName uint32, dup bool) {
	t.stamp++
	for _, p := range pairs {
		c := t.col(p[0])
		if c == nil {
			c = newColumn(p[0])
			t.cols = append(t.cols, c)
		}
		if c.stamp == t.stamp {
			dupName, dup = p[0], true
		}
		c.stamp = t.stamp
		t.setValue(strs, c, s, p[1], true)
	}
	for _, c := range t.cols {
		if c.stamp != t.stamp {
			t.setValue(strs, c, s, 0, false)
		}
	}
	return dupName, dup
}

// setValue sets one attribute of slot s, keeping the column's range
// index in step.
func (t *table) setValue(strs *strTable, c *column, s, v uint32, has bool) {
	if c.ri != nil {
		ov, had := c.code(s)
		if had == has && ov == v {
			return
		}
		if had {
			c.ri.remove(strs, ov, s)
		}
		if has {
			c.ri.add(strs, v, s)
		}
	}
	c.set(s, v, has)
}

// clearAttrs removes every attribute of slot s.
func (t *table) clearAttrs(strs *strTable, s uint32) {
	for _, c := range t.cols {
		t.setValue(strs, c, s, 0, false)
	}
}

// find returns where id is, or would be, in sorted.
func (t *table) find(id string) (int, bool) {
	if n := len(t.sorted); n > 0 {
		// New ULIDs sort last and recent records are the ones updated:
		// both are answered without a search.
		switch last := t.id(t.sorted[n-1]); {
		case id == last:
			return n - 1, true
		case id > last:
			return n, false
		}
	}
	return slices.BinarySearchFunc(t.sorted, id, func(s uint32, id string) int {
		return strings.Compare(t.id(s), id)
	})
}

// lookup returns the bucket of id in hash: the one that holds it (ok), or
// the empty one where it would go. hash must not be nil.
func (t *table) lookup(id string) (pos int, slot uint32, ok bool) {
	mask := uint64(len(t.hash) - 1)
	for i := strHash(t.seed, id) & mask; ; i = (i + 1) & mask {
		b := t.hash[i]
		if b == 0 {
			return int(i), 0, false
		}
		if t.id(b-1) == id {
			return int(i), b - 1, true
		}
	}
}

// get returns the slot of id.
func (t *table) get(id string) (uint32, bool) {
	if t.hash != nil {
		_, s, ok := t.lookup(id)
		return s, ok
	}
	if i, ok := t.find(id); ok {
		return t.sorted[i], true
	}
	return 0, false
}

// newSlot returns a zeroed slot, reusing a deleted one if any.
func (t *table) newSlot() uint32 {
	if n := len(t.free); n > 0 {
		s := t.free[n-1]
		t.free = t.free[:n-1]
		return s
	}
	last := len(t.ents) - 1
	switch {
	case last < 0:
		t.ents = append(t.ents, make([]entry, 0, 8))
		last = 0
	case len(t.ents[last]) < cap(t.ents[last]):
	case cap(t.ents[last]) < entChunkLen:
		c := make([]entry, len(t.ents[last]), min(2*cap(t.ents[last]), entChunkLen))
		copy(c, t.ents[last])
		t.ents[last] = c
	default:
		t.ents = append(t.ents, make([]entry, 0, entChunkLen))
		last++
	}
	t.ents[last] = t.ents[last][:len(t.ents[last])+1]
	return uint32(last*entChunkLen + len(t.ents[last]) - 1)
}

// release frees slot s, whose entry is in neither sorted nor hash nor a
// range index.
func (t *table) release(s uint32) {
	e := t.at(s)
	t.ids.live -= int64(e.idLen)
	t.ids.dead += int64(e.idLen)
	for _, c := range t.cols {
		c.set(s, 0, false)
	}
	*e = entry{}
	t.free = append(t.free, s)
}

// insert adds id, which is not in t yet, and returns its new slot.
func (t *table) insert(id string) uint32 {
	s := t.newSlot()
	addID(t.ids, t.at(s), id)
	if n := len(t.sorted); n == 0 || t.id(t.sorted[n-1]) < id {
		t.sorted = append(t.sorted, s)
	} else {
		i, _ := t.find(id)
		t.sorted = slices.Insert(t.sorted, i, s)
	}
	if 2*(len(t.sorted)+1) > len(t.hash) {
		t.rehash(2 * len(t.hash))
	} else {
		pos, _, _ := t.lookup(id)
		t.hash[pos] = s + 1
	}
	return s
}

// rehash rebuilds hash with n buckets (a power of two) from sorted.
func (t *table) rehash(n int) {
	t.hash = make([]uint32, n)
	for _, s := range t.sorted {
		pos, _, _ := t.lookup(t.id(s))
		t.hash[pos] = s + 1
	}
}

// remove deletes id and returns its entry as it was. Its attributes must
// have been cleared first (clearAttrs), so that no range index keeps it.
func (t *table) remove(id string) (entry, bool) {
	pos, s, ok := t.lookup(id)
	if !ok {
		return entry{}, false
	}
	if i, ok := t.find(id); ok {
		t.sorted = slices.Delete(t.sorted, i, i+1)
	}
	// Backward-shift deletion: move later members of the probe run into
	// the hole unless that would put them before their home bucket, so
	// that lookups need no tombstones.
	mask := len(t.hash) - 1
	for i, j := pos, pos; ; {
		t.hash[i] = 0
		for {
			j = (j + 1) & mask
			b := t.hash[j]
			if b == 0 {
				old := *t.at(s)
				t.release(s)
				return old, true
			}
			home := int(strHash(t.seed, t.id(b-1))) & mask
			// b may move to i if i lies cyclically in [home, j).
			if (j-home)&mask >= (j-i)&mask {
				t.hash[i] = b
				i = j
				break
			}
		}
	}
}

// During Open, deletes leave tombstones (entries with n == 0) instead of
// moving the slice, and out-of-order IDs go to extra, so that loading a
// log costs one append per record whatever the order of its IDs.

// loadGet returns the slot of id, live or tombstone. id is not retained.
func (t *table) loadGet(id []byte) (uint32, bool) {
	if len(id) == 0 {
		return 0, false
	}
	key := unsafe.String(&id[0], len(id))
	if s, ok := t.get(key); ok {
		return s, true
	}
	s, ok := t.extra[key]
	return s, ok
}

// loadInsert adds id during Open and returns its slot.
func (t *table) loadInsert(id []byte) uint32 {
	s := t.newSlot()
	addID(t.ids, t.at(s), id)
	if n := len(t.sorted); n == 0 || t.id(t.sorted[n-1]) < string(id) {
		t.sorted = append(t.sorted, s)
		return s
	}
	if t.extra == nil {
		t.extra = map[string]uint32{}
	}
	t.extra[t.id(s)] = s
	return s
}

// finishLoad drops the tombstones, merges the out-of-order entries and
// builds the hash table. A table that is already complete (one loaded
// from a checkpoint, or made by newTable) is left as it is.
func (t *table) finishLoad() {
	if t.hash != nil {
		return
	}
	live := t.sorted[:0]
	for _, s := range t.sorted {
		if t.at(s).n == 0 {
			t.release(s)
			continue
		}
		live = append(live, s)
	}
	t.sorted = live
	if len(t.extra) > 0 {
		var extra []uint32
		for _, s := range t.extra {
			if t.at(s).n == 0 {
				t.release(s)
				continue
			}
			extra = append(extra, s)
		}
		cmpSlot := func(a, b uint32) int { return strings.Compare(t.id(a), t.id(b)) }
		slices.SortFunc(extra, cmpSlot)
		merged := make([]uint32, 0, len(t.sorted)+len(extra))
		i, j := 0, 0
		for i < len(t.sorted) && j < len(extra) {
			if cmpSlot(t.sorted[i], extra[j]) < 0 {
				merged = append(merged, t.sorted[i])
				i++
			} else {
				merged = append(merged, extra[j])
				j++
			}
		}
		merged = append(merged, t.sorted[i:]...)
		t.sorted = append(merged, extra[j:]...)
	}
	t.extra = nil
	n := 16
	for n < 2*(len(t.sorted)+1) {
		n *= 2
	}
	t.rehash(n)
}

// repack copies the IDs of the live entries of tables into a fresh arena,
// dropping those of deleted records. IDs handed out before keep the old
// chunks alive until they are dropped.
func repack(ids *idArena, tables map[string]*table) {
	var ni idArena
	for _, t := range tables {
		for _, s := range t.sorted {
			e := t.at(s)
			addID(&ni, e, ids.id(e))
		}
	}
	*ids = ni
}

// matcher is a query's filters compiled against one kind's columns:
// equality and set tests compare stored values, ranges compare the
// interned strings.
type matcher struct {
	never bool // some filter can match no record
	conds []cond
}

type cond struct {
	col  *column
	op   store.Op
	raw  uint32          // Eq: the stored value
	raws map[uint32]bool // In
	val  string          // ranges
	strs *strTable
}

// compile turns filters into a matcher for t. Callers hold the index lock.
func compile(strs *strTable, t *table, filters []store.Filter) matcher {
	var m matcher
	for _, f := range filters {
		name, ok := strs.lookup(f.Attr)
		var col *column
		if ok {
			col = t.col(name)
		}
		if col == nil {
			// No record has the attribute, and a record without it matches
			// no filter on it.
			m.never = true
			return m
		}
		c := cond{col: col, op: f.Op, strs: strs}
		switch f.Op {
		case store.OpEq:
			code, ok := strs.lookup(f.Values[0])
			if ok {
				c.raw, ok = col.encode(code)
			}
			if !ok {
				m.never = true
				return m
			}
		case store.OpIn:
			c.raws = make(map[uint32]bool, len(f.Values))
			for _, v := range f.Values {
				if code, ok := strs.lookup(v); ok {
					if raw, ok := col.encode(code); ok {
						c.raws[raw] = true
					}
				}
			}
			if len(c.raws) == 0 {
				m.never = true
				return m
			}
		default:
			c.val = f.Values[0]
		}
		m.conds = append(m.conds, c)
	}
	return m
}

// match reports whether the record in slot s passes.
func (m *matcher) match(s uint32) bool {
	if m.never {
		return false
	}
	for i := range m.conds {
		c := &m.conds[i]
		raw := c.col.raw(s)
		if raw == 0 {
			return false
		}
		var ok bool
		switch c.op {
		case store.OpEq:
			ok = raw == c.raw
		case store.OpIn:
			ok = c.raws[raw]
		default:
			code, _ := c.col.decode(raw)
			v := c.strs.str(code)
			switch c.op {
			case store.OpGt:
				ok = v > c.val
			case store.OpGte:
				ok = v >= c.val
			case store.OpLt:
				ok = v < c.val
			case store.OpLte:
				ok = v <= c.val
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
