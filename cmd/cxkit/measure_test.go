package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/postgres"
	"github.com/cxkit/cxkit/store/storecopy"
)

// TestMeasureCopy times "cxkit copy" of a file store of
// CXKIT_MEASURE_COPY records into PostgreSQL and back into a new file
// store, then compares the two file stores record by record. It is a
// measurement for BENCHMARKS.md, not a check CI runs:
//
//	CXKIT_MEASURE_COPY=1000000 .ci/postgres.sh -run TestMeasureCopy -v -timeout 60m .
//	(run from cmd/cxkit with the script's cd pointed there)
func TestMeasureCopy(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CXKIT_MEASURE_COPY"))
	dsn := os.Getenv("CXKIT_POSTGRES_DSN")
	if n <= 0 || dsn == "" {
		t.Skip("set CXKIT_MEASURE_COPY=<records> and CXKIT_POSTGRES_DSN")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "src")
	d, err := file.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	kinds := []string{"complaint", "feedback", "strategy", "assessment"}
	var ws []store.Write
	for i := range n {
		r := store.Record{
			Kind: kinds[i%len(kinds)], ID: fmt.Sprintf("01J%010d", i),
			Attrs:   map[string]string{"status": []string{"open", "closed", "waiting"}[i%3], "team": fmt.Sprintf("team-%d", i%17), "created": store.TimeKey(t0.Add(time.Duration(i) * time.Second))},
			Body:    fmt.Appendf(nil, `{"customer":"customer %d","summary":"delivery arrived late and the box was damaged","channel":"email","score":%d}`, i%50000, i%10),
			Created: t0.Add(time.Duration(i) * time.Second), Updated: t0.Add(time.Duration(i)*time.Second + time.Hour),
		}
		ws = append(ws, store.Write{Action: store.ActionCreate, Record: r})
		if len(ws) == 1000 || i == n-1 {
			if _, err := d.Batch(ctx, ws); err != nil {
				t.Fatal(err)
			}
			ws = ws[:0]
		}
	}
	d.Close()
	t.Logf("made a file store of %d records in %v", n, time.Since(start).Round(time.Millisecond))

	schema := fmt.Sprintf("cxkit_measure_%d", time.Now().UnixNano())
	timed := func(what string, args ...string) time.Duration {
		start := time.Now()
		code, _, errs := cx(t, "", args...)
		el := time.Since(start)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", what, code, errs)
		}
		t.Logf("%s: %d records in %v, %.0f records/s", what, n, el.Round(time.Millisecond), float64(n)/el.Seconds())
		return el
	}
	toPG := timed("file -> PostgreSQL", "copy", "-schema", schema, dir, dsn)
	back := filepath.Join(t.TempDir(), "back")
	fromPG := timed("PostgreSQL -> file", "copy", "-schema", schema, dsn, back)
	again := timed("file -> PostgreSQL again (all there: resumed copy that skips)", "copy", "-schema", schema, dir, dsn)
	// The peer: the same copy between two file stores, no network or
	// database in the way.
	fileToFile := timed("file -> file (peer)", "copy", dir, filepath.Join(t.TempDir(), "peer"))

	// Record by record: the two file stores, and PostgreSQL against the
	// source.
	start = time.Now()
	a, err := file.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := file.Open(back)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	pg, err := postgres.Open(ctx, dsn, postgres.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	compared := 0
	for _, kind := range kinds {
		q := store.Query{Limit: store.MaxLimit}
		for {
			pa, err := a.List(ctx, kind, q)
			if err != nil {
				t.Fatal(err)
			}
			pb, err := b.List(ctx, kind, q)
			if err != nil {
				t.Fatal(err)
			}
			pp, err := pg.List(ctx, kind, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(pa.Records) != len(pb.Records) || len(pa.Records) != len(pp.Records) || pa.Next != pb.Next {
				t.Fatalf("%s after %q: pages of %d, %d, %d records", kind, q.After, len(pa.Records), len(pb.Records), len(pp.Records))
			}
			for i := range pa.Records {
				if !storecopy.Same(pa.Records[i], pb.Records[i]) || !storecopy.Same(pa.Records[i], pp.Records[i]) {
					t.Fatalf("%s/%s differs after the round trip", kind, pa.Records[i].ID)
				}
				compared++
			}
			if pa.Next == "" {
				break
			}
			q.After = pa.Next
		}
	}
	if compared != n {
		t.Fatalf("compared %d records, want %d", compared, n)
	}
	t.Logf("compared %d records one by one (source, PostgreSQL, copy back) in %v", compared, time.Since(start).Round(time.Millisecond))
	t.Logf("summary: to PostgreSQL %v (%.0f/s, %.1fx file to file), back %v (%.0f/s, %.1fx), rerun %v (%.1fx)",
		toPG.Round(time.Millisecond), float64(n)/toPG.Seconds(), toPG.Seconds()/fileToFile.Seconds(),
		fromPG.Round(time.Millisecond), float64(n)/fromPG.Seconds(), fromPG.Seconds()/fileToFile.Seconds(),
		again.Round(time.Millisecond), again.Seconds()/fileToFile.Seconds())
}
