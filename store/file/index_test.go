package file

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTableRandom checks the pointer-free index (sorted slots, the
// open-addressing ID table with backward-shift deletion, slot reuse, the
// arenas and repack) against a map, under random inserts, updates and
// deletes.
func TestTableRandom(t *testing.T) {
	var ids idArena
	strs := newStrTable(99)
	tab := newTable(5, &ids)
	tables := map[string]*table{"k": tab}
	want := map[string]int64{} // id -> version
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(step int) {
		t.Helper()
		if len(tab.sorted) != len(want) {
			t.Fatalf("step %d: %d sorted, want %d", step, len(tab.sorted), len(want))
		}
		keys := make([]string, 0, len(want))
		for id := range want {
			keys = append(keys, id)
		}
		slices.Sort(keys)
		for i, s := range tab.sorted {
			if got := tab.id(s); got != keys[i] {
				t.Fatalf("step %d: sorted[%d] = %q, want %q", step, i, got, keys[i])
			}
		}
		for id, v := range want {
			s, ok := tab.get(id)
			if !ok || tab.at(s).version != v || tab.id(s) != id {
				t.Fatalf("step %d: get(%q) = %d, %v", step, id, s, ok)
			}
			n := 0
			for _, c := range tab.cols {
				if code, ok := c.code(s); ok {
					n++
					if got := strs.str(code); got != fmt.Sprint(v) {
						t.Fatalf("step %d: %q has %s=%s (version %d)", step, id, strs.str(c.name), got, v)
					}
				}
			}
			if n != int(v%3) {
				t.Fatalf("step %d: %q has %d attributes, want %d", step, id, n, v%3)
			}
		}
		if _, ok := tab.get("absent"); ok {
			t.Fatalf("step %d: found an absent ID", step)
		}
	}
	for step := range 40000 {
		id := fmt.Sprintf("id%04d", rng.IntN(9000))
		switch {
		case rng.IntN(3) == 0:
			if s, ok := tab.get(id); ok {
				tab.clearAttrs(&strs, s)
			}
			_, ok := tab.remove(id)
			if _, had := want[id]; ok != had {
				t.Fatalf("step %d: remove(%q) = %v, want %v", step, id, ok, had)
			}
			delete(want, id)
		default:
			s, ok := tab.get(id)
			if !ok {
				s = tab.insert(id)
			}
			e := tab.at(s)
			e.version = int64(step + 1)
			var pairs [][2]uint32
			for i := range int(e.version % 3) {
				pairs = append(pairs, [2]uint32{strs.internString(fmt.Sprint("a", i)), strs.internString(fmt.Sprint(e.version))})
			}
			tab.setAttrs(&strs, s, pairs)
			want[id] = e.version
		}
		if step%5000 == 0 {
			check(step)
			repack(&ids, tables)
			check(step)
		}
	}
	check(-1)
}

// TestColumnWidths checks a column against a map as its dictionary grows
// past one byte, past two (when it stores intern codes instead) and as
// values are cleared, across sparse chunks.
func TestColumnWidths(t *testing.T) {
	c := newColumn(0)
	want := map[uint32]uint32{}
	rng := rand.New(rand.NewPCG(5, 6))
	check := func(stage string) {
		t.Helper()
		for s := range uint32(3 * entChunkLen) {
			v, ok := c.code(s)
			w, has := want[s]
			if ok != has || v != w {
				t.Fatalf("%s: slot %d = %d, %v; want %d, %v", stage, s, v, ok, w, has)
			}
		}
	}
	for i := range 200_000 {
		s := uint32(rng.IntN(3 * entChunkLen))
		if s >= entChunkLen && s < 2*entChunkLen {
			continue // the middle chunk stays empty
		}
		if rng.IntN(5) == 0 {
			c.set(s, 0, false)
			delete(want, s)
			continue
		}
		v := uint32(i)
		if i < 20_000 {
			v %= 200
		}
		c.set(s, v, true)
		want[s] = v
		switch i {
		case 19_999:
			check("one byte")
			if c.width != 1 {
				t.Fatalf("width %d with 200 values", c.width)
			}
		case 30_000:
			check("two bytes")
			if c.width != 2 {
				t.Fatalf("width %d with 10,200 values", c.width)
			}
		}
	}
	check("direct")
	if !c.direct || c.width != 4 {
		t.Fatalf("direct %v width %d after 100,000 values or so", c.direct, c.width)
	}
	if c.chunks[1] != nil {
		t.Fatal("a chunk without values was allocated")
	}
}
