package driverkit

import (
	"slices"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/internal/rule"
)

// Match reports whether attrs satisfy f. Drivers that filter in memory use
// it so that every driver agrees on the semantics: byte-wise comparison,
// and a missing attribute matches nothing.
func Match(f store.Filter, attrs map[string]string) bool {
	v, ok := attrs[f.Attr]
	if !ok {
		return false
	}
	switch f.Op {
	case store.OpEq:
		return v == f.Values[0]
	case store.OpIn:
		return slices.Contains(f.Values, v)
	case store.OpGt:
		return v > f.Values[0]
	case store.OpGte:
		return v >= f.Values[0]
	case store.OpLt:
		return v < f.Values[0]
	case store.OpLte:
		return v <= f.Values[0]
	}
	return false
}

// MatchAll reports whether attrs satisfy every filter.
func MatchAll(filters []store.Filter, attrs map[string]string) bool {
	for _, f := range filters {
		if !Match(f, attrs) {
			return false
		}
	}
	return true
}

// SortGroups puts groups in the order every Counter returns them: by
// values, byte-wise, first attribute first.
func SortGroups(gs []store.Group) {
	slices.SortFunc(gs, func(a, b store.Group) int { return rule.CompareGroups(a.Values, b.Values) })
}

// GroupCounts turns a map of counts keyed by up to store.MaxGroupBy values
// into sorted groups with n values each. With n == 0 it returns one group
// even when nothing was counted, as a Counter must.
func GroupCounts(counts map[[store.MaxGroupBy]string]int64, n int) []store.Group {
	return rule.GroupCounts(counts, n, func(values []string, count int64) store.Group {
		return store.Group{Values: values, Count: count}
	})
}
