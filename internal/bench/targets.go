package bench

import (
	"fmt"
	"strings"
)

// A Target is one goal of the file driver, measured.
type Target struct {
	Goal     string
	Measured string  // the ratio or value, as printed
	Value    float64 // measured ratio or value
	Want     float64
	AtLeast  bool // Value must be >= Want; otherwise <= Want
}

// Met reports whether the target is met.
func (t Target) Met() bool {
	if t.AtLeast {
		return t.Value >= t.Want
	}
	return t.Value <= t.Want
}

// Targets checks the file driver's goals against the other engines. Goals
// whose engines are missing are left out. big may be nil.
func Targets(rs []Result, big *BigOpen) []Target {
	var ts []Target
	fd, okD := Find(rs, "file-durable")
	fr, okR := Find(rs, "file-relaxed")
	sf, okSF := Find(rs, "sqlite-full")
	sn, okSN := Find(rs, "sqlite-normal")
	bb, okB := Find(rs, "bbolt")
	ratioT := func(goal string, a, b float64, want float64, atLeast bool) {
		v := a / b
		ts = append(ts, Target{Goal: goal, Measured: fmt.Sprintf("%.2fx", v), Value: v, Want: want, AtLeast: atLeast})
	}
	if okD && okSF {
		ratioT("1 writer durable >= 1.0x SQLite FULL", Rate(fd.CreateCount, fd.Create1), Rate(sf.CreateCount, sf.Create1), 1.0, true)
	}
	if okD && okB {
		ratioT("1 writer durable >= 1.5x bbolt", Rate(fd.CreateCount, fd.Create1), Rate(bb.CreateCount, bb.Create1), 1.5, true)
	}
	if okD {
		ratioT(fmt.Sprintf("%d writers >= 5x its own 1 writer", fd.Writers), Rate(fd.CreateCount, fd.CreateN), Rate(fd.CreateCount, fd.Create1), 5, true)
	}
	if okR && okSN {
		ratioT("relaxed 1 writer >= 1.0x SQLite NORMAL", Rate(fr.CreateCount, fr.Create1), Rate(sn.CreateCount, sn.Create1), 1.0, true)
	}
	if okD && okSF {
		ratioT("batch >= 2x SQLite FULL", Rate(fd.N, fd.Batch), Rate(sf.N, sf.Batch), 2, true)
	}
	if okD && okB {
		ratioT("read all >= 1.0x bbolt", Rate(fd.N, fd.ReadAll), Rate(bb.N, bb.ReadAll), 1, true)
		ratioT("random get >= 1.0x bbolt", Rate(fd.GetsN, fd.Gets), Rate(bb.GetsN, bb.Gets), 1, true)
	}
	if okD && okSF {
		ratioT("grouped count <= 0.5x SQLite GROUP BY time", fd.Count.Seconds(), sf.Count.Seconds(), 0.5, false)
	}
	// The same goals against the native peers (native.go), each in its best
	// configuration for the phase.
	if sq, ok := Find(rs, "sqlite-native"); okD && ok {
		ratioT("1 writer durable >= 1.0x native SQLite FULL", Rate(fd.CreateCount, fd.Create1), Rate(sq.CreateCount, sq.Create1), 1.0, true)
		ratioT("batch >= 2x native SQLite FULL (no secondary index)", Rate(fd.N, fd.Batch), Rate(sq.N, sq.Batch), 2, true)
	}
	if bn, ok := Find(rs, "bbolt-native"); okD && ok {
		ratioT("read all >= 1.0x native bbolt (raw key/value)", Rate(fd.N, fd.ReadAll), Rate(bn.N, bn.ReadAll), 1, true)
		ratioT("random get >= 1.0x native bbolt (raw key/value)", Rate(fd.GetsN, fd.Gets), Rate(bn.GetsN, bn.Gets), 1, true)
	}
	if big != nil {
		s := big.Stats.Open.Seconds()
		ts = append(ts, Target{Goal: fmt.Sprintf("open %d records <= 2 s", big.N), Measured: fmt.Sprintf("%.2f s", s), Value: s, Want: 2})
		r := float64(big.Stats.RSSAfter-big.Stats.RSSBefore) / float64(big.Payload)
		ts = append(ts, Target{Goal: "RAM after open <= 0.5x payload", Measured: fmt.Sprintf("%.2fx", r), Value: r, Want: 0.5})
	}
	if okD {
		ratioT("disk <= 1.3x payload after compaction", float64(fd.DiskCompacted), float64(fd.Payload), 1.3, false)
	}
	return ts
}

// TargetTable renders targets as Markdown.
func TargetTable(ts []Target) string {
	var b strings.Builder
	b.WriteString("| target | measured | met |\n|---|---:|:---:|\n")
	for _, t := range ts {
		met := "yes"
		if !t.Met() {
			met = "**no**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", t.Goal, t.Measured, met)
	}
	return b.String()
}
