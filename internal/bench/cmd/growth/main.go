// Command growth runs the growth benchmark of BENCHMARKS.md ("Growth"):
// the complaints log's operations at several store sizes on the file store
// and on PostgreSQL, with the growth ratios against the smallest size.
//
//	go run ./cmd/growth                                   # 10k, file store
//	go run ./cmd/growth -sizes 10000,100000 -drivers file,postgres -dsn postgres://...
//	go run ./cmd/growth -sizes 1000000 -json 1m.jsonl     # one size, kept for later
//	go run ./cmd/growth -table 10k.jsonl,100k.jsonl,1m.jsonl   # the table from kept runs
//
// Progress goes to standard error, the table to standard output.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"

	"github.com/cxkit/cxkit/internal/bench/growth"
)

func main() {
	growth.ChildMain() // the open step re-runs this binary as its child
	sizes := flag.String("sizes", "10000", "store sizes in complaints, comma separated, smallest first")
	drivers := flag.String("drivers", growth.DriverFile, "drivers, comma separated: file, postgres")
	month := flag.Int("month", 2000, "complaints in the measured month (the same at every size)")
	rounds := flag.Int("rounds", 5, "rounds of each report; the median is reported")
	dir := flag.String("dir", "", "directory for the file stores (default: a temporary one)")
	dsn := flag.String("dsn", os.Getenv("CXKIT_POSTGRES_DSN"), "PostgreSQL DSN (default $CXKIT_POSTGRES_DSN)")
	parts := flag.String("parts", "complaints,feedback", "what to measure: complaints (the complaints log), feedback (a store of feedback items of each size)")
	jsonOut := flag.String("json", "", "append the measurements to this file, one JSON object a line")
	table := flag.String("table", "", "print the table from these -json files (comma separated) and exit")
	flag.Parse()
	log.SetFlags(0)

	if *table != "" {
		var ms []growth.Measurement
		for _, name := range strings.Split(*table, ",") {
			got, err := readJSON(name)
			if err != nil {
				log.Fatal(err)
			}
			ms = append(ms, got...)
		}
		growth.WriteTable(os.Stdout, ms)
		return
	}
	o := growth.Options{Month: *month, Rounds: *rounds, Dir: *dir, DSN: *dsn, Log: os.Stderr, Complaints: strings.Contains(*parts, "complaints"), Feedback: strings.Contains(*parts, "feedback"), Drivers: strings.Split(*drivers, ",")}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			log.Fatalf("-sizes: %v", err)
		}
		o.Sizes = append(o.Sizes, n)
	}
	ms, err := growth.Run(context.Background(), o)
	if *jsonOut != "" {
		if werr := writeJSON(*jsonOut, ms); werr != nil {
			log.Print(werr)
		}
	}
	growth.WriteTable(os.Stdout, ms)
	if err != nil {
		log.Fatal(err)
	}
}

func writeJSON(name string, ms []growth.Measurement) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, m := range ms {
		if err := enc.Encode(m); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func readJSON(name string) ([]growth.Measurement, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ms []growth.Measurement
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m growth.Measurement
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ms = append(ms, m)
	}
	return ms, sc.Err()
}
