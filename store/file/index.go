package file

import (
	"cmp"
	"slices"
	"strings"

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

// table is the index of one kind: by ID for lookups, and sorted by ID for
// keyset paging. ULIDs arrive in order, so inserting is usually an append.
type table struct {
	byID   map[string]*entry
	sorted []*entry
}

func newTable() *table { return &table{byID: map[string]*entry{}} }

func cmpEntry(e *entry, id string) int { return strings.Compare(e.id, id) }

// put inserts or replaces e.
func (t *table) put(e *entry) (old *entry) {
	old = t.byID[e.id]
	t.byID[e.id] = e
	if old != nil {
		i, _ := slices.BinarySearchFunc(t.sorted, e.id, cmpEntry)
		t.sorted[i] = e
		return old
	}
	if n := len(t.sorted); n == 0 || t.sorted[n-1].id < e.id {
		t.sorted = append(t.sorted, e)
		return nil
	}
	i, _ := slices.BinarySearchFunc(t.sorted, e.id, cmpEntry)
	t.sorted = slices.Insert(t.sorted, i, e)
	return nil
}

// remove deletes id and returns what was there.
func (t *table) remove(id string) *entry {
	old := t.byID[id]
	if old == nil {
		return nil
	}
	delete(t.byID, id)
	if i, ok := slices.BinarySearchFunc(t.sorted, id, cmpEntry); ok {
		t.sorted = slices.Delete(t.sorted, i, i+1)
	}
	return old
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

// sortAttrs orders attribute code pairs by name code, so that entries built
// from the same attributes compare equal and lookups are predictable.
func sortAttrs(a []uint32) {
	if len(a) <= 2 {
		return
	}
	type pair struct{ k, v uint32 }
	ps := make([]pair, len(a)/2)
	for i := range ps {
		ps[i] = pair{a[2*i], a[2*i+1]}
	}
	slices.SortFunc(ps, func(x, y pair) int { return cmp.Compare(x.k, y.k) })
	for i, p := range ps {
		a[2*i], a[2*i+1] = p.k, p.v
	}
}
