package file

import (
	"hash/maphash"
	"slices"
	"strings"
	"unsafe"

	"github.com/cxkit/cxkit/store"
)

// The index holds, per record, only what Get, List and Count need to avoid
// reading the disk: ID, version, Created (Update keeps it), attributes and
// where the record lies in the log. Bodies stay on disk.
//
// Attribute names and values are interned: an entry's attributes are pairs
// of uint32 codes, so a million records with a "status" among five values
// cost eight bytes per attribute, not two strings and a map, and grouped
// counts key on integers.

// strTable interns strings as dense uint32 codes.
type strTable struct {
	codes map[string]uint32
	strs  []string
}

func newStrTable() strTable { return strTable{codes: map[string]uint32{}} }

// intern returns the code of b, adding it if new. The map lookup with
// string(b) does not allocate; only a new string is copied.
func (t *strTable) intern(b []byte) uint32 {
	if c, ok := t.codes[string(b)]; ok {
		return c
	}
	s := string(b)
	c := uint32(len(t.strs))
	t.strs = append(t.strs, s)
	t.codes[s] = c
	return c
}

// str returns the string of code c.
func (t *strTable) str(c uint32) string { return t.strs[c] }

func (t *strTable) internString(s string) uint32 {
	if c, ok := t.codes[s]; ok {
		return c
	}
	c := uint32(len(t.strs))
	t.strs = append(t.strs, strings.Clone(s))
	t.codes[t.strs[c]] = c
	return c
}

// The rest of the index holds no pointers: entries refer to their ID and
// attribute codes by chunk and offset, tables list entries by slot number,
// and the ID lookup is an open-addressing table of slot numbers. The
// garbage collector then scans a few chunk headers instead of four or five
// pointers per record, and every collection cycle, which the allocations
// of a List or Get trigger, costs little however many records the index
// holds. With four or five pointers per record, the collector's marking
// was about a third of the CPU time of BenchmarkListAll.

// entry is one record in the index.
type entry struct {
	version   int64
	created   int64  // Unix microseconds
	off       int64  // offset of the record's op in the log
	n         uint32 // length of the op; 0 marks a tombstone during Open
	idChunk   uint32 // the ID is ids.chunks[idChunk][idOff:][:idLen]
	idOff     uint32
	attrChunk uint32 // the codes are codes.chunks[attrChunk][attrOff:][:2*nattrs]
	attrOff   uint32
	idLen     uint8 // store.MaxIDLen is 128; parseOp refuses longer
	nattrs    uint8 // pairs; store.MaxAttrs is 32; parseOp refuses more
}

// Chunk sizes of the arenas: large enough that the chunks are few, small
// enough that the last one's unused tail costs little.
const (
	idChunkLen   = 64 << 10
	codeChunkLen = 16 << 10
)

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

// codeArena holds the entries' attribute codes: name, value pairs sorted
// by name code.
type codeArena struct {
	chunks [][]uint32
	live   int64 // codes in use
	dead   int64 // codes no entry uses any more, reclaimed by repack
}

// get returns e's attribute codes (aliasing the arena; nil if none).
func (a *codeArena) get(e *entry) []uint32 {
	if e.nattrs == 0 {
		return nil
	}
	end := e.attrOff + 2*uint32(e.nattrs)
	return a.chunks[e.attrChunk][e.attrOff:end:end]
}

// alloc gives e room for n attribute pairs and returns it: e's own room
// when the count is unchanged (an update in place), else new room, the
// old becoming garbage until repack.
func (a *codeArena) alloc(e *entry, n int) []uint32 {
	if n == int(e.nattrs) {
		return a.get(e)
	}
	a.free(e)
	e.nattrs = uint8(n)
	if n == 0 {
		return nil
	}
	last := len(a.chunks) - 1
	if last < 0 || 2*n > cap(a.chunks[last])-len(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]uint32, 0, codeChunkLen))
		last++
	}
	off := len(a.chunks[last])
	a.chunks[last] = a.chunks[last][:off+2*n]
	e.attrChunk, e.attrOff = uint32(last), uint32(off)
	a.live += 2 * int64(n)
	return a.get(e)
}

// free forgets e's attribute codes.
func (a *codeArena) free(e *entry) {
	a.dead += 2 * int64(e.nattrs)
	a.live -= 2 * int64(e.nattrs)
	e.nattrs, e.attrChunk, e.attrOff = 0, 0, 0
}

// attr returns the value code of the attribute with name code name, in
// the codes of an entry.
func attr(codes []uint32, name uint32) (uint32, bool) {
	for i := 0; i+1 < len(codes); i += 2 {
		if codes[i] == name {
			return codes[i+1], true
		}
	}
	return 0, false
}

// idSeed seeds the hash of the ID lookup tables.
var idSeed = maphash.MakeSeed()

// table is the index of one kind: its entries by slot; the slots sorted by
// ID, for keyset paging; and a hash table from ID to slot for lookups, which
// a binary search over a million records (a cache miss each) made twice as
// slow. ULIDs arrive in order, so inserting is usually an append.
type table struct {
	ids   *idArena
	codes *codeArena
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
	// ranges are the kind's range indexes (see rangeindex.go).
	ranges []*rangeIndex
	// extra holds, during Open only, the slots of records whose IDs arrived
	// out of order; finishLoad merges them in with one sort.
	extra map[string]uint32
}

func newTable(ids *idArena, codes *codeArena) *table {
	return &table{ids: ids, codes: codes, hash: make([]uint32, 16)}
}

// entChunkLen is the number of entries of a full chunk of table.ents.
const entChunkLen = 4096

// id returns the ID of the entry in slot s.
func (t *table) id(s uint32) string { return t.ids.id(t.at(s)) }

// at returns the entry in slot s, valid until the table next changes.
func (t *table) at(s uint32) *entry { return &t.ents[s/entChunkLen][s%entChunkLen] }

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
	for i := maphash.String(idSeed, id) & mask; ; i = (i + 1) & mask {
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

// release frees slot s, whose entry is in neither sorted nor hash.
func (t *table) release(s uint32) {
	e := t.at(s)
	t.ids.live -= int64(e.idLen)
	t.ids.dead += int64(e.idLen)
	t.codes.free(e)
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

// remove deletes id and returns its entry as it was.
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
			home := int(maphash.String(idSeed, t.id(b-1))) & mask
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
// builds the hash table.
func (t *table) finishLoad() {
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

// repack copies the IDs and attribute codes of the live entries of tables
// into fresh arenas, dropping those of deleted records. IDs handed out
// before keep the old chunks alive until they are dropped.
func repack(ids *idArena, codes *codeArena, tables map[string]*table) {
	var ni idArena
	var nc codeArena
	for _, t := range tables {
		for _, s := range t.sorted {
			e := t.at(s)
			id, a := ids.id(e), codes.get(e)
			addID(&ni, e, id)
			e.nattrs = 0
			copy(nc.alloc(e, len(a)/2), a)
		}
	}
	*ids, *codes = ni, nc
}

// matcher is a query's filters compiled against the intern table: equality
// and set tests compare codes, ranges compare the interned strings.
type matcher struct {
	never bool // some filter can match no record
	conds []cond
}

type cond struct {
	name  uint32
	op    store.Op
	code  uint32          // Eq
	codes map[uint32]bool // In
	val   string          // ranges
}

// compile turns filters into a matcher. Callers hold the index lock.
func compile(strs *strTable, filters []store.Filter) matcher {
	var m matcher
	for _, f := range filters {
		name, ok := strs.codes[f.Attr]
		if !ok {
			// No record has the attribute, and a record without it matches
			// no filter on it.
			m.never = true
			return m
		}
		c := cond{name: name, op: f.Op}
		switch f.Op {
		case store.Eq:
			code, ok := strs.codes[f.Values[0]]
			if !ok {
				m.never = true
				return m
			}
			c.code = code
		case store.In:
			c.codes = make(map[uint32]bool, len(f.Values))
			for _, v := range f.Values {
				if code, ok := strs.codes[v]; ok {
					c.codes[code] = true
				}
			}
			if len(c.codes) == 0 {
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

// match reports whether the entry whose attribute codes are codes passes.
func (m *matcher) match(strs *strTable, codes []uint32) bool {
	if m.never {
		return false
	}
	for i := range m.conds {
		c := &m.conds[i]
		v, ok := attr(codes, c.name)
		if !ok {
			return false
		}
		switch c.op {
		case store.Eq:
			ok = v == c.code
		case store.In:
			ok = c.codes[v]
		case store.Gt:
			ok = strs.strs[v] > c.val
		case store.Gte:
			ok = strs.strs[v] >= c.val
		case store.Lt:
			ok = strs.strs[v] < c.val
		case store.Lte:
			ok = strs.strs[v] <= c.val
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
	return true
}

// sortAttrs orders attribute code pairs by name code (insertion sort in
// place: at most MaxAttrs pairs, and no allocation).
func sortAttrs(a []uint32) {
	for i := 2; i+1 < len(a); i += 2 {
		for j := i; j >= 2 && a[j-2] > a[j]; j -= 2 {
			a[j-2], a[j-1], a[j], a[j+1] = a[j], a[j+1], a[j-2], a[j-1]
		}
	}
}
