package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Config scales the workload. The defaults are the full comparison; CI
// runs a tiny one.
type Config struct {
	N         int    // records in each create phase and in the read dataset
	SyncN     int    // records of the one-commit-per-record phases on durable engines (0: N), which are fsync-bound and slow
	Writers   int    // concurrent writers of the concurrent create phase
	Batch     int    // records per commit of the batch phase
	Gets      int    // random reads
	BodyBytes int    // aimed size of each JSON body
	Dir       string // where engines put their files; each phase gets a fresh subdirectory
	Log       io.Writer
}

// DefaultConfig is the workload of BENCHMARKS.md.
func DefaultConfig() Config {
	return Config{N: 100_000, Writers: 16, Batch: 1000, Gets: 10_000, BodyBytes: 1024, Log: io.Discard}
}

// Result is one engine's figures.
type Result struct {
	Engine                       string
	N                            int
	Create1, CreateN, Batch      time.Duration // the three create phases
	ReadAll, Gets, Count         time.Duration // on the batch phase's data, best of three
	Groups                       int
	Open                         time.Duration // reopen of the N records and one Get, in process
	Payload, Disk, DiskCompacted int64
	Skipped                      []string // phases an engine cannot run (memory: open, disk)
	Writers, GetsN               int
	CreateCount                  int // records of the Create1 and CreateN phases
}

// Rate is records (or reads) per second.
func Rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func (c Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

// phaseDir returns a fresh directory for one phase of one engine.
func (c Config) phaseDir(engine, phase string) (string, error) {
	dir := filepath.Join(c.Dir, engine+"-"+phase)
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// Run runs the whole 100k workload on one engine.
func Run(ctx context.Context, c Config, spec Spec) (Result, error) {
	res := Result{Engine: spec.Name, N: c.N, Writers: c.Writers, GetsN: c.Gets, CreateCount: c.N}
	if spec.Durable && c.SyncN > 0 {
		res.CreateCount = c.SyncN
	}
	g := Gen{BodyBytes: c.BodyBytes}
	volatile := spec.Name == "memory"

	withEngine := func(phase string, fn func(dir string, e Engine) error) error {
		dir, err := c.phaseDir(spec.Name, phase)
		if err != nil {
			return err
		}
		e, err := spec.Open(dir)
		if err != nil {
			return fmt.Errorf("%s: open: %w", spec.Name, err)
		}
		err = fn(dir, e)
		if cerr := e.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", spec.Name, phase, err)
		}
		if phase != "data" {
			return os.RemoveAll(dir)
		}
		return nil
	}

	c.logf("%s: %d creates, 1 writer", spec.Name, res.CreateCount)
	if err := withEngine("create1", func(_ string, e Engine) (err error) {
		res.Create1, err = CreateSerial(ctx, e, g, res.CreateCount)
		return err
	}); err != nil {
		return res, err
	}
	c.logf("%s: %d creates, %d writers", spec.Name, res.CreateCount, c.Writers)
	if err := withEngine("createN", func(_ string, e Engine) (err error) {
		res.CreateN, err = CreateConcurrent(ctx, e, g, res.CreateCount, c.Writers)
		return err
	}); err != nil {
		return res, err
	}
	c.logf("%s: %d creates in batches of %d, then reads", spec.Name, c.N, c.Batch)
	var dataDir string
	if err := withEngine("data", func(dir string, e Engine) (err error) {
		dataDir = dir
		if res.Batch, res.Payload, err = CreateBatches(ctx, e, g, 0, c.N, c.Batch); err != nil {
			return err
		}
		// The reads are short, so the best of three: on a shared machine
		// the slower runs measure the neighbours.
		best := func(d *time.Duration, x time.Duration) {
			if *d == 0 || x < *d {
				*d = x
			}
		}
		// Each timed read starts from a collected heap. Otherwise the
		// garbage of the phases before (100,000 pregenerated records of the
		// create phases, some 130 MB) sets the collector's next goal, and
		// whether a scan pays for a collection, and how many, depends on
		// what ran before it: with -sync-n 100000 one run gave the file
		// driver 0.83x bbolt's read-all rate, with -sync-n 5000 1.75x.
		for range 3 {
			runtime.GC()
			d, err := ReadAll(ctx, e, c.N)
			if err != nil {
				return err
			}
			best(&res.ReadAll, d)
			runtime.GC()
			if d, err = RandomGets(ctx, e, g, c.N, c.Gets); err != nil {
				return err
			}
			best(&res.Gets, d)
			runtime.GC()
			d, groups, err := CountGrouped(ctx, e, c.N)
			if err != nil {
				return err
			}
			best(&res.Count, d)
			res.Groups = groups
		}
		return nil
	}); err != nil {
		return res, err
	}
	defer os.RemoveAll(dataDir)
	if volatile {
		res.Skipped = append(res.Skipped, "open", "disk")
		return res, nil
	}
	var err error
	if res.Disk, err = DirBytes(dataDir); err != nil {
		return res, err
	}
	c.logf("%s: reopen, compact", spec.Name)
	e, d, err := OpenAndGet(ctx, spec, dataDir, g.Record(c.N/2).ID)
	if err != nil {
		return res, fmt.Errorf("%s reopen: %w", spec.Name, err)
	}
	res.Open = d
	err = e.Compact(ctx)
	if cerr := e.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, fmt.Errorf("%s compact: %w", spec.Name, err)
	}
	res.DiskCompacted, err = DirBytes(dataDir)
	return res, err
}

// BigOpen is the result of the open step on a large dataset.
type BigOpen struct {
	Engine  string
	N       int
	Build   time.Duration
	Payload int64
	Disk    int64
	Stats   OpenStats
}

// RunBigOpen loads n records into build's format in dir (in batches, so
// that it takes seconds, not hours) unless they are there already, then
// measures opening them with spec in a child process.
func RunBigOpen(ctx context.Context, c Config, build, spec Spec, n int) (BigOpen, error) {
	res := BigOpen{Engine: spec.Name, N: n}
	g := Gen{BodyBytes: c.BodyBytes}
	dir := filepath.Join(c.Dir, "big-"+build.Name)
	marker := filepath.Join(c.Dir, fmt.Sprintf("big-%s.%d.payload", build.Name, n))
	if b, err := os.ReadFile(marker); err == nil {
		fmt.Sscan(string(b), &res.Payload)
	} else {
		c.logf("%s: loading %d records", build.Name, n)
		if err := os.RemoveAll(dir); err != nil {
			return res, err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return res, err
		}
		e, err := build.Open(dir)
		if err != nil {
			return res, err
		}
		res.Build, res.Payload, err = CreateBatches(ctx, e, g, 0, n, max(c.Batch, 1000))
		if cerr := e.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return res, err
		}
		if err := os.WriteFile(marker, fmt.Append(nil, res.Payload), 0o644); err != nil {
			return res, err
		}
	}
	var err error
	if res.Disk, err = DirBytes(dir); err != nil {
		return res, err
	}
	c.logf("%s: opening %d records in a child process", spec.Name, n)
	res.Stats, err = MeasureOpen(spec, dir, g.Record(n-1).ID)
	return res, err
}

// Table renders results as a Markdown table, one column per engine.
func Table(rs []Result) string {
	var b strings.Builder
	b.WriteString("| |")
	for _, r := range rs {
		b.WriteString(" " + r.Engine + " |")
	}
	b.WriteString("\n|---|")
	for range rs {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	row := func(name string, f func(r Result) string) {
		b.WriteString("| " + name + " |")
		for _, r := range rs {
			b.WriteString(" " + f(r) + " |")
		}
		b.WriteString("\n")
	}
	if len(rs) == 0 {
		return ""
	}
	r0 := rs[0]
	row("records per create phase", func(r Result) string { return fmt.Sprint(r.CreateCount) })
	row("create, 1 writer (records/s)", func(r Result) string { return num(Rate(r.CreateCount, r.Create1)) })
	row(fmt.Sprintf("create, %d writers (records/s)", r0.Writers), func(r Result) string { return num(Rate(r.CreateCount, r.CreateN)) })
	row("create, batches (records/s)", func(r Result) string { return num(Rate(r.N, r.Batch)) })
	row("read all (records/s)", func(r Result) string { return num(Rate(r.N, r.ReadAll)) })
	row(fmt.Sprintf("%d random gets (gets/s)", r0.GetsN), func(r Result) string { return num(Rate(r.GetsN, r.Gets)) })
	row("count by category × month (ms)", func(r Result) string { return ms(r.Count) })
	row(fmt.Sprintf("open %d records + 1 get (ms)", r0.N), func(r Result) string { return skip(r, "open", ms(r.Open)) })
	row("disk / payload", func(r Result) string { return skip(r, "disk", ratio(r.Disk, r.Payload)) })
	row("disk / payload after compaction", func(r Result) string { return skip(r, "disk", ratio(r.DiskCompacted, r.Payload)) })
	return b.String()
}

// BigTable renders the open step.
func BigTable(bs []BigOpen) string {
	var b strings.Builder
	b.WriteString("| engine | records | payload | disk | open + 1 get | RSS after open | RSS growth | Go heap | RSS growth / payload |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, x := range bs {
		grow := x.Stats.RSSAfter - x.Stats.RSSBefore
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s ms | %s | %s | %s | %.2f |\n", x.Engine, x.N, mib(x.Payload), mib(x.Disk),
			ms(x.Stats.Open), mib(x.Stats.RSSAfter), mib(grow), mib(x.Stats.HeapInUse), float64(grow)/float64(x.Payload))
	}
	return b.String()
}

// Find returns the result of the named engine.
func Find(rs []Result, name string) (Result, bool) {
	i := slices.IndexFunc(rs, func(r Result) bool { return r.Engine == name })
	if i < 0 {
		return Result{}, false
	}
	return rs[i], true
}

func skip(r Result, phase, s string) string {
	if slices.Contains(r.Skipped, phase) {
		return "–"
	}
	return s
}

func num(f float64) string {
	switch {
	case f >= 100:
		return fmt.Sprintf("%.0f", f)
	default:
		return fmt.Sprintf("%.1f", f)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/1e6) }

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func ratio(a, b int64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}

// Interleaved runs the 1-writer create phase of each spec in turn, rounds
// times, each on a fresh directory, and returns the rates per spec per
// round. Interleaving matters on a shared disk, whose sync rate drifts by
// several times over minutes: running one engine after the other would
// compare the disk at two moments rather than the engines.
func Interleaved(ctx context.Context, c Config, specs []Spec, n, rounds int) (map[string][]float64, error) {
	out := map[string][]float64{}
	g := Gen{BodyBytes: c.BodyBytes}
	for round := range rounds {
		for _, s := range specs {
			dir, err := c.phaseDir(s.Name, "interleaved")
			if err != nil {
				return nil, err
			}
			e, err := s.Open(dir)
			if err != nil {
				return nil, err
			}
			d, err := CreateSerial(ctx, e, g, n)
			if cerr := e.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return nil, fmt.Errorf("%s round %d: %w", s.Name, round, err)
			}
			out[s.Name] = append(out[s.Name], Rate(n, d))
			c.logf("%s round %d: %.0f records/s", s.Name, round, Rate(n, d))
			if err := os.RemoveAll(dir); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Median of xs (which it sorts).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

// ReadRates are the read phases of one engine, one value per round.
type ReadRates struct {
	ReadAll []float64 // records/s
	Gets    []float64 // gets/s
	Count   []float64 // ms
}

// InterleavedReads loads c.N records into each spec (in batches), then
// runs the read phases (read all, c.Gets random gets, the grouped count) of
// each spec in turn, rounds times. Each round reopens the engine and only
// it is open, so that no engine's memory weighs on another's garbage
// collections; the reopen and a first scan are not timed. As with Interleaved, taking turns
// compares the engines under the same load of a shared machine, where one
// engine after the other would compare two moments of the neighbours.
func InterleavedReads(ctx context.Context, c Config, specs []Spec, rounds int) (map[string]*ReadRates, error) {
	g := Gen{BodyBytes: c.BodyBytes}
	dirs := map[string]string{}
	for _, s := range specs {
		dir, err := c.phaseDir(s.Name, "reads")
		if err != nil {
			return nil, err
		}
		dirs[s.Name] = dir
		e, err := s.Open(dir)
		if err != nil {
			return nil, err
		}
		c.logf("%s: loading %d records for the interleaved reads", s.Name, c.N)
		_, _, err = CreateBatches(ctx, e, g, 0, c.N, c.Batch)
		if cerr := e.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
	}
	out := map[string]*ReadRates{}
	for round := range rounds {
		for _, s := range specs {
			runtime.GC()
			e, err := s.Open(dirs[s.Name])
			if err != nil {
				return nil, err
			}
			rr := out[s.Name]
			if rr == nil {
				rr = &ReadRates{}
				out[s.Name] = rr
			}
			// One untimed scan first: it maps (bbolt, file) or caches
			// (SQLite) the data after the reopen, so that the timed phases
			// measure the engine warm, as the workload's best of three
			// does, not the page faults of a fresh mapping.
			_, err = ReadAll(ctx, e, c.N)
			var d time.Duration
			if err == nil {
				d, err = ReadAll(ctx, e, c.N)
			}
			if err == nil {
				rr.ReadAll = append(rr.ReadAll, Rate(c.N, d))
				d, err = RandomGets(ctx, e, g, c.N, c.Gets)
			}
			if err == nil {
				rr.Gets = append(rr.Gets, Rate(c.Gets, d))
				d, _, err = CountGrouped(ctx, e, c.N)
			}
			if err == nil {
				rr.Count = append(rr.Count, float64(d)/1e6)
			}
			if cerr := e.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return nil, fmt.Errorf("%s round %d: %w", s.Name, round, err)
			}
			c.logf("%s round %d: read all %.0f records/s, gets %.0f/s, count %.1f ms", s.Name, round,
				rr.ReadAll[round], rr.Gets[round], rr.Count[round])
		}
	}
	for _, dir := range dirs {
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Spread renders the median of xs and their range, as "median (min–max)".
func Spread(xs []float64, f func(float64) string) string {
	if len(xs) == 0 {
		return "–"
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return fmt.Sprintf("%s (%s–%s)", f(Median(slices.Clone(s))), f(s[0]), f(s[len(s)-1]))
}
