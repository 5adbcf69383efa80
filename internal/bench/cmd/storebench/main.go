// Command storebench runs the store comparison of BENCHMARKS.md once and
// prints the results, the ratios against the file driver's targets and,
// with -open-n, the open and memory step on a large dataset.
//
//	go run ./cmd/storebench -dir /var/tmp/storebench            # 100k records, every engine
//	go run ./cmd/storebench -n 2000 -gets 500                   # a quick look
//	go run ./cmd/storebench -phases open -open-n 1000000        # only the 1M open/RAM step
//	go run ./cmd/storebench -phases interleaved -engines file-durable,sqlite-full,bbolt -sync-n 5000 -rounds 5
//	go run ./cmd/storebench -phases reads -engines file-durable,sqlite-full,bbolt -rounds 7
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"

	"github.com/cxkit/cxkit/internal/bench"
)

func main() {
	bench.ChildMain() // the open step re-runs this binary as its child
	c := bench.DefaultConfig()
	flag.IntVar(&c.N, "n", c.N, "records per create phase")
	flag.IntVar(&c.SyncN, "sync-n", 0, "records of the one-commit-each create phases on durable engines (0: -n)")
	flag.IntVar(&c.Writers, "writers", c.Writers, "concurrent writers")
	flag.IntVar(&c.Batch, "batch", c.Batch, "records per batch")
	flag.IntVar(&c.Gets, "gets", c.Gets, "random gets")
	flag.IntVar(&c.BodyBytes, "body", c.BodyBytes, "aimed body size in bytes")
	flag.StringVar(&c.Dir, "dir", "", "working directory (default: a new temporary one, removed at the end)")
	engines := flag.String("engines", "all", "comma-separated engines: "+names())
	phases := flag.String("phases", "workload,open", "workload (the 100k phases), open (the large open/RAM step), interleaved (1-writer creates of each engine in turn, -rounds times, -sync-n records each), reads (read all, gets and count of each engine in turn, -rounds times, on -n records)")
	rounds := flag.Int("rounds", 5, "rounds of the interleaved phase")
	openN := flag.Int("open-n", 1_000_000, "records of the open/RAM step")
	flag.Parse()
	c.Log = os.Stderr
	log.SetFlags(0)

	specs, err := bench.SpecsNamed(*engines)
	if err != nil {
		log.Fatal(err)
	}
	if c.Dir == "" {
		if c.Dir, err = os.MkdirTemp("", "storebench"); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(c.Dir)
	} else if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	var rs []bench.Result
	if strings.Contains(*phases, "workload") {
		for _, s := range specs {
			r, err := bench.Run(ctx, c, s)
			if err != nil {
				log.Fatal(err)
			}
			rs = append(rs, r)
		}
		fmt.Printf("%d records of ~%d B JSON, %d writers, batches of %d, %d gets\n\n", c.N, c.BodyBytes, c.Writers, c.Batch, c.Gets)
		fmt.Println(bench.Table(rs))
	}
	if strings.Contains(*phases, "interleaved") {
		n := c.SyncN
		if n == 0 {
			n = c.N
		}
		rates, err := bench.Interleaved(ctx, c, specs, n, *rounds)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("1-writer creates, %d records per run, engines interleaved, %d rounds\n\n| engine | records/s per round | median |\n|---|---|---:|\n", n, *rounds)
		for _, s := range specs {
			var rs []string
			for _, r := range rates[s.Name] {
				rs = append(rs, fmt.Sprintf("%.0f", r))
			}
			fmt.Printf("| %s | %s | %.0f |\n", s.Name, strings.Join(rs, ", "), bench.Median(rates[s.Name]))
		}
		fmt.Println()
	}
	if strings.Contains(*phases, "reads") {
		rr, err := bench.InterleavedReads(ctx, c, specs, *rounds)
		if err != nil {
			log.Fatal(err)
		}
		rate := func(f float64) string { return fmt.Sprintf("%.0f", f) }
		msf := func(f float64) string { return fmt.Sprintf("%.1f", f) }
		fmt.Printf("Reads, %d records, engines interleaved, %d rounds: median (min–max)\n\n| engine | read all (records/s) | %d random gets (gets/s) | count by category × month (ms) |\n|---|---:|---:|---:|\n", c.N, *rounds, c.Gets)
		for _, s := range specs {
			r := rr[s.Name]
			fmt.Printf("| %s | %s | %s | %s |\n", s.Name, bench.Spread(r.ReadAll, rate), bench.Spread(r.Gets, rate), bench.Spread(r.Count, msf))
		}
		fmt.Println()
		if f, b := rr["file-durable"], rr["bbolt"]; f != nil && b != nil {
			fmt.Printf("file-durable / bbolt, ratio of medians: read all %.2fx, gets %.2fx\n\n",
				bench.Median(slices.Clone(f.ReadAll))/bench.Median(slices.Clone(b.ReadAll)), bench.Median(slices.Clone(f.Gets))/bench.Median(slices.Clone(b.Gets)))
		}
		if f, q := rr["file-durable"], rr["sqlite-full"]; f != nil && q != nil {
			fmt.Printf("file-durable / sqlite-full, ratio of median count times: %.2fx\n\n", bench.Median(slices.Clone(f.Count))/bench.Median(slices.Clone(q.Count)))
		}
	}
	var fileBig *bench.BigOpen
	if strings.Contains(*phases, "open") {
		var bs []bench.BigOpen
		for _, s := range specs {
			build := s // durable and relaxed modes share a format: load once
			switch s.Name {
			case "file-relaxed":
				continue
			case "sqlite-normal":
				continue
			case "memory":
				continue
			}
			b, err := bench.RunBigOpen(ctx, c, build, s, *openN)
			if err != nil {
				log.Fatal(err)
			}
			bs = append(bs, b)
			if s.Name == "file-durable" {
				fileBig = &bs[len(bs)-1]
			}
		}
		fmt.Println(bench.BigTable(bs))
		if fileBig != nil {
			b := *fileBig
			fileBig = &b
		}
	}
	if ts := bench.Targets(rs, fileBig); len(ts) > 0 {
		fmt.Println(bench.TargetTable(ts))
	}
}

func names() string {
	var ns []string
	for _, s := range bench.Specs {
		ns = append(ns, s.Name)
	}
	return strings.Join(ns, ",")
}
