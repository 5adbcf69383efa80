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

func (t *strTable) internString(s string) uint32 {
	if c, ok := t.codes[s]; ok {
		return c
	}
	c := uint32(len(t.strs))
	t.strs = append(t.strs, strings.Clone(s))
	t.codes[t.strs[c]] = c
	return c
}

// entry is one live record in the index.
type entry struct {
	id      string
	attrs   []uint32 // name, value codes, pairs sorted by name code
	version int64
	created int64 // Unix microseconds
	off     int64 // offset of the record's op in the log
	n       uint32
}

// attr returns the value code of the attribute with name code name.
func (e *entry) attr(name uint32) (uint32, bool) {
	for i := 0; i+1 < len(e.attrs); i += 2 {
		if e.attrs[i] == name {
			return e.attrs[i+1], true
		}
	}
	return 0, false
}

// table is the index of one kind: its entries sorted by ID, for keyset
// paging, and a map by ID for lookups, which a binary search over a million
// pointers (a cache miss each) made twice as slow. ULIDs arrive in order, so
// inserting is usually an append.
type table struct {
	sorted []*entry
	// byID is nil while Open loads the log, which finds entries by binary
	// search instead, and is built once at the end with its final size:
	// growing a map a record at a time was most of the time of Open.
	byID map[string]*entry
	// extra holds, during Open only, records whose IDs arrived out of
	// order; finishLoad merges them in with one sort.
	extra map[string]*entry
}

func newTable() *table { return &table{byID: map[string]*entry{}} }

func cmpEntry(e *entry, id string) int { return strings.Compare(e.id, id) }

func (t *table) find(id string) (int, bool) {
	if n := len(t.sorted); n > 0 {
		// New ULIDs sort last and recent records are the ones updated:
		// both are answered without a search.
		switch last := t.sorted[n-1].id; {
		case id == last:
			return n - 1, true
		case id > last:
			return n, false
		}
	}
	return slices.BinarySearchFunc(t.sorted, id, cmpEntry)
}

// get returns the entry of id, or nil.
func (t *table) get(id string) *entry {
	if t.byID != nil {
		return t.byID[id]
	}
	if i, ok := t.find(id); ok {
		return t.sorted[i]
	}
	return nil
}

// insert adds e, whose ID is not in t yet.
func (t *table) insert(e *entry) {
	t.byID[e.id] = e
	if n := len(t.sorted); n == 0 || t.sorted[n-1].id < e.id {
		t.sorted = append(t.sorted, e)
		return
	}
	i, _ := t.find(e.id)
	t.sorted = slices.Insert(t.sorted, i, e)
}

// remove deletes id and returns what was there.
func (t *table) remove(id string) *entry {
	i, ok := t.find(id)
	if !ok {
		return nil
	}
	old := t.sorted[i]
	t.sorted = slices.Delete(t.sorted, i, i+1)
	delete(t.byID, id)
	return old
}

// During Open, deletes leave tombstones (entries with n == 0) instead of
// moving the slice, and out-of-order IDs go to extra, so that loading a
// log costs one append per record whatever the order of its IDs.

// loadGet returns the entry of id, live or tombstone, or nil. id is not
// retained.
func (t *table) loadGet(id []byte) *entry {
	if len(id) == 0 {
		return nil
	}
	key := unsafe.String(&id[0], len(id))
	if e := t.get(key); e != nil {
		return e
	}
	return t.extra[key]
}

func (t *table) loadInsert(e *entry) {
	if n := len(t.sorted); n == 0 || t.sorted[n-1].id < e.id {
		t.sorted = append(t.sorted, e)
		return
	}
	if t.extra == nil {
		t.extra = map[string]*entry{}
	}
	t.extra[e.id] = e
}

// finishLoad drops the tombstones and merges the out-of-order entries.
func (t *table) finishLoad(release func(*entry)) {
	live := t.sorted[:0]
	for _, e := range t.sorted {
		if e.n == 0 {
			release(e)
			continue
		}
		live = append(live, e)
	}
	clear(t.sorted[len(live):])
	t.sorted = live
	defer func() {
		t.byID = make(map[string]*entry, len(t.sorted))
		for _, e := range t.sorted {
			t.byID[e.id] = e
		}
	}()
	if len(t.extra) == 0 {
		t.extra = nil
		return
	}
	var extra []*entry
	for _, e := range t.extra {
		if e.n == 0 {
			release(e)
			continue
		}
		extra = append(extra, e)
	}
	t.extra = nil
	slices.SortFunc(extra, func(a, b *entry) int { return strings.Compare(a.id, b.id) })
	merged := make([]*entry, 0, len(t.sorted)+len(extra))
	i, j := 0, 0
	for i < len(t.sorted) && j < len(extra) {
		if t.sorted[i].id < extra[j].id {
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

// Entries, their attribute codes and the IDs read at Open come from slabs,
// a few large allocations instead of three small ones per record: fewer
// objects for the garbage collector to visit, a faster Open, less memory.
// Entries are updated in place and deleted ones reused, so the slabs do not
// grow with updates; an attribute slice is reused when the count of
// attributes stays the same, and otherwise left as garbage in its slab until
// the driver is reopened.

const slabLen = 1024

type entrySlab struct {
	chunk []entry
	free  []*entry
}

func (s *entrySlab) alloc() *entry {
	if n := len(s.free); n > 0 {
		e := s.free[n-1]
		s.free = s.free[:n-1]
		return e
	}
	if len(s.chunk) == cap(s.chunk) {
		s.chunk = make([]entry, 0, slabLen)
	}
	s.chunk = s.chunk[:len(s.chunk)+1]
	return &s.chunk[len(s.chunk)-1]
}

// release takes back a deleted entry. No reader holds entry pointers beyond
// the index lock, so the entry can be reused at once.
func (s *entrySlab) release(e *entry) {
	*e = entry{}
	s.free = append(s.free, e)
}

type codeSlab struct{ chunk []uint32 }

// attrs returns a slice for n attribute pairs, reusing old if it fits.
func (s *codeSlab) attrs(old []uint32, n int) []uint32 {
	if n == 0 {
		return nil
	}
	if len(old) == 2*n {
		return old
	}
	if 2*n > cap(s.chunk)-len(s.chunk) {
		s.chunk = make([]uint32, 0, max(16*slabLen, 2*n))
	}
	l := len(s.chunk)
	s.chunk = s.chunk[:l+2*n]
	return s.chunk[l : l+2*n : l+2*n]
}

// byteArena holds the IDs read at Open.
type byteArena struct{ chunk []byte }

func (a *byteArena) string(b []byte) string {
	if len(b) > cap(a.chunk)-len(a.chunk) {
		a.chunk = make([]byte, 0, max(64<<10, len(b)))
	}
	l := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	return unsafe.String(&a.chunk[l], len(b))
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

func (m *matcher) match(strs *strTable, e *entry) bool {
	if m.never {
		return false
	}
	for i := range m.conds {
		c := &m.conds[i]
		v, ok := e.attr(c.name)
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
