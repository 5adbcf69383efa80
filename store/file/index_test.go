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
	var codes codeArena
	tab := newTable(&ids, &codes)
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
			a := codes.get(tab.at(s))
			if len(a) != 2*int(v%3) || (len(a) > 0 && a[1] != uint32(v)) {
				t.Fatalf("step %d: %q has codes %v (version %d)", step, id, a, v)
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
			a := codes.alloc(e, int(e.version%3))
			for i := range a {
				a[i] = uint32(e.version)
			}
			want[id] = e.version
		}
		if step%5000 == 0 {
			check(step)
			repack(&ids, &codes, tables)
			check(step)
		}
	}
	check(-1)
}
