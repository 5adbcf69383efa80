package file

import (
	"slices"
	"sort"
	"strings"

	"github.com/cxkit/cxkit/store"
)

// Range indexes. The reports of the domain packages count and list one
// period of a kind: two range filters (store.Between) on a time attribute
// stored as a store.TimeKey. Without an index that costs a walk over every
// record the kind ever had; with one it costs the records of the period.
//
// A range index is built for an attribute of a kind the first time a query
// filters a large enough kind by a range on it, and is kept up to date by
// every write after that (and saved in the checkpoint). It holds (value,
// slot) pairs: a main array sorted by value (byte-wise, as the filters
// compare) and then slot, and a small unsorted delta of recent additions,
// merged into main when it grows. Removing a pair marks it dead in place
// (a binary search, no memmove); main is rewritten without its dead pairs
// once they are a quarter of it. New records usually carry the latest
// times, so the merge is mostly an append.

// minRangeRecords is the size of a kind below which a range filter just
// walks the kind: an index would cost more than it saves.
const minRangeRecords = 2048

// deadBit marks a removed pair of main. Slots stay below it: a kind of two
// billion records would need more memory than the index is meant for.
const deadBit = 1 << 31

// rent is one pair of a range index.
type rent struct{ val, slot uint32 }

// rangeIndex orders the records of one kind by the value of one attribute.
type rangeIndex struct {
	name  uint32 // the attribute's name code
	main  []rent // sorted by (value string, slot); dead pairs have deadBit set
	dead  int
	delta []rent
}

// newRangeIndex builds the index of column c over the live entries of t.
// Callers hold the index lock exclusively.
func newRangeIndex(t *table, strs *strTable, c *column) *rangeIndex {
	ri := &rangeIndex{name: c.name}
	for _, s := range t.sorted {
		if v, ok := c.code(s); ok {
			ri.main = append(ri.main, rent{v, s})
		}
	}
	// Values usually arrive in ID order (a received time follows the ULID
	// of its record), so this sort mostly meets sorted runs.
	slices.SortFunc(ri.main, func(a, b rent) int { return cmpRent(strs, a, b) })
	return ri
}

func cmpRent(strs *strTable, a, b rent) int {
	if a.val != b.val {
		if c := strings.Compare(strs.str(a.val), strs.str(b.val)); c != 0 {
			return c
		}
	}
	as, bs := a.slot&^deadBit, b.slot&^deadBit
	switch {
	case as < bs:
		return -1
	case as > bs:
		return 1
	}
	return 0
}

// maxDelta is how many unsorted pairs an index keeps before it merges them
// into main: enough to amortise the merge's copy of main, few enough that
// the queries' scan of the delta and the removals' search of it stay cheap.
func (ri *rangeIndex) maxDelta() int { return min(max(256, len(ri.main)/64), 8192) }

// add indexes slot under value code val.
func (ri *rangeIndex) add(strs *strTable, val, slot uint32) {
	ri.delta = append(ri.delta, rent{val, slot})
	if len(ri.delta) > ri.maxDelta() {
		ri.merge(strs)
	}
}

// remove forgets the pair (val, slot), which must be indexed.
func (ri *rangeIndex) remove(strs *strTable, val, slot uint32) {
	for i, r := range ri.delta {
		if r.val == val && r.slot == slot {
			last := len(ri.delta) - 1
			ri.delta[i] = ri.delta[last]
			ri.delta = ri.delta[:last]
			return
		}
	}
	// A dead pair keeps its place in the order, so the search is exact; a
	// slot reused with the same value may also have a dead twin next to
	// its live pair.
	i, _ := slices.BinarySearchFunc(ri.main, rent{val, slot}, func(a, b rent) int { return cmpRent(strs, a, b) })
	for ; i < len(ri.main) && ri.main[i].val == val && ri.main[i].slot&^deadBit == slot; i++ {
		if ri.main[i].slot&deadBit == 0 {
			ri.main[i].slot |= deadBit
			ri.dead++
			if ri.dead > len(ri.main)/4 {
				ri.merge(strs)
			}
			return
		}
	}
}

// merge sorts the delta into main and drops main's dead pairs.
func (ri *rangeIndex) merge(strs *strTable) {
	cmp := func(a, b rent) int { return cmpRent(strs, a, b) }
	slices.SortFunc(ri.delta, cmp)
	out := make([]rent, 0, len(ri.main)-ri.dead+len(ri.delta))
	i, j := 0, 0
	for i < len(ri.main) || j < len(ri.delta) {
		if i < len(ri.main) && ri.main[i].slot&deadBit != 0 {
			i++
			continue
		}
		if j == len(ri.delta) || i < len(ri.main) && cmp(ri.main[i], ri.delta[j]) <= 0 {
			out = append(out, ri.main[i])
			i++
		} else {
			out = append(out, ri.delta[j])
			j++
		}
	}
	ri.main, ri.delta, ri.dead = out, ri.delta[:0], 0
}

// bounds is the range of values a query's range filters on one attribute
// allow.
type bounds struct {
	lo, hi         string
	hasLo, hasHi   bool
	loIncl, hiIncl bool
}

func (b *bounds) add(f store.Filter) {
	v := f.Values[0]
	switch f.Op {
	case store.OpGt, store.OpGte:
		incl := f.Op == store.OpGte
		if !b.hasLo || v > b.lo || v == b.lo && !incl {
			b.lo, b.loIncl, b.hasLo = v, incl, true
		}
	case store.OpLt, store.OpLte:
		incl := f.Op == store.OpLte
		if !b.hasHi || v < b.hi || v == b.hi && !incl {
			b.hi, b.hiIncl, b.hasHi = v, incl, true
		}
	}
}

func (b *bounds) aboveLo(v string) bool {
	return !b.hasLo || v > b.lo || b.loIncl && v == b.lo
}

func (b *bounds) belowHi(v string) bool {
	return !b.hasHi || v < b.hi || b.hiIncl && v == b.hi
}

// span returns the part of main whose values lie within b.
func (ri *rangeIndex) span(strs *strTable, b *bounds) (from, to int) {
	from = 0
	if b.hasLo {
		from, _ = slices.BinarySearchFunc(ri.main, b, func(r rent, b *bounds) int {
			if b.aboveLo(strs.str(r.val)) {
				return 1
			}
			return -1
		})
	}
	to = len(ri.main)
	if b.hasHi {
		to, _ = slices.BinarySearchFunc(ri.main, b, func(r rent, b *bounds) int {
			if b.belowHi(strs.str(r.val)) {
				return -1
			}
			return 1
		})
	}
	return from, max(from, to)
}

// rangePlan is how a query uses a range index: the index, the bounds and
// the part of main they select.
type rangePlan struct {
	ri       *rangeIndex
	b        bounds
	from, to int
}

// estimate bounds the number of records the plan visits.
func (p *rangePlan) estimate() int { return p.to - p.from + len(p.ri.delta) }

// each calls visit with the slot of every record whose value lies within
// the bounds, in no particular order, until visit returns false.
func (p *rangePlan) each(strs *strTable, visit func(slot uint32) bool) {
	for _, r := range p.ri.main[p.from:p.to] {
		if r.slot&deadBit == 0 && !visit(r.slot) {
			return
		}
	}
	for _, r := range p.ri.delta {
		if v := strs.str(r.val); p.b.aboveLo(v) && p.b.belowHi(v) && !visit(r.slot) {
			return
		}
	}
}

// rangeAttr returns the attribute of the first range filter, if any.
func rangeAttr(filters []store.Filter) (string, bool) {
	for _, f := range filters {
		switch f.Op {
		case store.OpGt, store.OpGte, store.OpLt, store.OpLte:
			return f.Attr, true
		}
	}
	return "", false
}

// wantsRangeIndex reports whether a query with filters on kind should have
// a range index that it lacks, and returns the column. Callers hold the
// index lock, shared or not.
func (d *Driver) wantsRangeIndex(kind string, filters []store.Filter) (*column, bool) {
	a, ok := rangeAttr(filters)
	if !ok {
		return nil, false
	}
	t := d.kinds[kind]
	if t == nil || len(t.sorted) < minRangeRecords {
		return nil, false
	}
	name, ok := d.strs.lookup(a)
	if !ok {
		return nil, false
	}
	c := t.col(name)
	return c, c != nil && c.ri == nil
}

// ensureRangeIndex builds the range index a query on kind with filters
// will use, if it should have one and it does not exist yet. It takes the
// index lock exclusively for the build, once per kind and attribute.
func (d *Driver) ensureRangeIndex(kind string, filters []store.Filter) {
	d.mu.RLock()
	_, want := d.wantsRangeIndex(kind, filters)
	d.mu.RUnlock()
	if !want {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, want := d.wantsRangeIndex(kind, filters); want {
		c.ri = newRangeIndex(d.kinds[kind], &d.strs, c)
	}
}

// planRange returns how to serve filters on t through a range index, or
// nil when there is none for them. Callers hold the index lock.
func (d *Driver) planRange(t *table, filters []store.Filter) *rangePlan {
	a, ok := rangeAttr(filters)
	if !ok {
		return nil
	}
	name, ok := d.strs.lookup(a)
	if !ok {
		return nil
	}
	c := t.col(name)
	if c == nil || c.ri == nil {
		return nil
	}
	p := &rangePlan{ri: c.ri}
	for _, f := range filters {
		if f.Attr == a {
			p.b.add(f)
		}
	}
	p.from, p.to = c.ri.span(&d.strs, &p.b)
	return p
}

// rangePage returns the slots of the first limit+1 records, in the query's
// order, among those the plan selects that match m and lie past the
// cursor. It costs the records of the range, not those of the kind.
//
// A period's records usually lie together in ID order too (a received time
// follows its record's ULID): then the page is found by walking the kind in
// ID order between the period's lowest and highest IDs, from the cursor
// on, which costs about the page. When they are scattered among many
// other records (the history imported out of order, say), the candidates
// are gathered from the index instead and only the page's share of them
// is sorted by ID. Callers hold the index lock.
func (d *Driver) rangePage(t *table, p *rangePlan, m *matcher, q store.Query, limit int) []uint32 {
	desc := q.Order == store.OrderDescending
	var lo, hi string
	n := 0
	p.each(&d.strs, func(s uint32) bool {
		id := t.id(s)
		if n == 0 || id < lo {
			lo = id
		}
		if n == 0 || id > hi {
			hi = id
		}
		n++
		return true
	})
	if n == 0 {
		return nil
	}
	from := sort.Search(len(t.sorted), func(i int) bool { return t.id(t.sorted[i]) >= lo })
	to := sort.Search(len(t.sorted), func(i int) bool { return t.id(t.sorted[i]) > hi })
	if to-from <= 4*n {
		var out []uint32
		if desc {
			end := to
			if q.After != "" {
				end = min(end, sort.Search(len(t.sorted), func(i int) bool { return t.id(t.sorted[i]) >= q.After }))
			}
			for i := end - 1; i >= from && len(out) <= limit; i-- {
				if s := t.sorted[i]; m.match(s) {
					out = append(out, s)
				}
			}
		} else {
			start := from
			if q.After != "" {
				start = max(start, sort.Search(len(t.sorted), func(i int) bool { return t.id(t.sorted[i]) > q.After }))
			}
			for i := start; i < to && len(out) <= limit; i++ {
				if s := t.sorted[i]; m.match(s) {
					out = append(out, s)
				}
			}
		}
		return out
	}
	cand := make([]uint32, 0, n)
	p.each(&d.strs, func(s uint32) bool {
		if !m.match(s) {
			return true
		}
		if q.After != "" {
			if id := t.id(s); desc && id >= q.After || !desc && id <= q.After {
				return true
			}
		}
		cand = append(cand, s)
		return true
	})
	less := func(a, b uint32) int {
		c := strings.Compare(t.id(a), t.id(b))
		if desc {
			return -c
		}
		return c
	}
	if k := limit + 1; len(cand) > k {
		selectFirst(cand, k, less)
		cand = cand[:k]
	}
	slices.SortFunc(cand, less)
	return cand
}

// selectFirst reorders s so that its k smallest elements by cmp come
// first, in no particular order (quickselect: linear on average).
func selectFirst(s []uint32, k int, cmp func(a, b uint32) int) {
	lo, hi := 0, len(s)-1
	for lo < hi {
		// Median of three as pivot, which keeps sorted input linear.
		mid := lo + (hi-lo)/2
		if cmp(s[mid], s[lo]) < 0 {
			s[mid], s[lo] = s[lo], s[mid]
		}
		if cmp(s[hi], s[lo]) < 0 {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if cmp(s[hi], s[mid]) < 0 {
			s[hi], s[mid] = s[mid], s[hi]
		}
		pivot := s[mid]
		i, j := lo, hi
		for i <= j {
			for cmp(s[i], pivot) < 0 {
				i++
			}
			for cmp(s[j], pivot) > 0 {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return
		}
	}
}
