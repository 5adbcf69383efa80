package bench_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/internal/bench"
)

// TestSmoke runs the whole comparison at a tiny scale on every engine, so
// that `go test ./...` checks the harness (and that every engine stores and
// returns what the workload wrote) in a second or two.
func TestSmoke(t *testing.T) {
	c := bench.DefaultConfig()
	c.N, c.Writers, c.Batch, c.Gets = 64, 4, 16, 32
	c.Dir = t.TempDir()
	var rs []bench.Result
	for _, s := range bench.Specs {
		r, err := bench.Run(context.Background(), c, s)
		if err != nil {
			t.Fatal(err)
		}
		if r.Groups == 0 || r.Payload == 0 {
			t.Errorf("%s: %d groups, payload %d", s.Name, r.Groups, r.Payload)
		}
		rs = append(rs, r)
	}
	file, _ := bench.SpecsNamed("file-durable")
	big, err := bench.RunBigOpen(context.Background(), c, file[0], file[0], 100)
	if err != nil {
		t.Fatal(err)
	}
	if big.Stats.RSSAfter == 0 || big.Stats.Open == 0 {
		t.Errorf("open child: %+v", big.Stats)
	}
	table := bench.Table(rs) + bench.BigTable([]bench.BigOpen{big}) + bench.TargetTable(bench.Targets(rs, &big))
	for _, want := range []string{"sqlite-full", "bbolt", "file-durable", "disk / payload", "grouped count"} {
		if !strings.Contains(table, want) {
			t.Errorf("tables lack %q:\n%s", want, table)
		}
	}
	t.Log("\n" + table)
}

// TestGenDeterministic checks that every run and engine sees the same data.
func TestGenDeterministic(t *testing.T) {
	g := bench.Gen{BodyBytes: 1024}
	a, b := g.Record(42), g.Record(42)
	if a.ID != b.ID || string(a.Body) != string(b.Body) || a.Attrs["month"] != b.Attrs["month"] {
		t.Fatal("Record(42) differs between calls")
	}
	if n := len(a.Body); n < 900 || n > 1200 {
		t.Errorf("body of %d bytes; want about 1 KiB", n)
	}
	if g.Record(1).ID >= g.Record(2).ID {
		t.Error("IDs do not sort by index")
	}
}
