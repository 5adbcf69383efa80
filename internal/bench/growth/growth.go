package growth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/postgres"
)

// Drivers are the drivers a run can measure.
const (
	DriverFile     = "file"
	DriverPostgres = "postgres"
)

// Options say what a run measures.
type Options struct {
	// Sizes are the store sizes, in complaints, smallest first; growth
	// ratios are against the first.
	Sizes []int
	// Drivers are DriverFile and/or DriverPostgres.
	Drivers []string
	// Month is how many complaints the measured month holds, the same at
	// every size; it must be below the smallest size.
	Month int
	// Rounds is how many times each report is measured; the median is
	// kept.
	Rounds int
	// Dir holds the file stores (a new temporary directory if empty; each
	// store is removed after its size is measured).
	Dir string
	// DSN is the PostgreSQL server's; each size gets its own schema,
	// dropped before and after.
	DSN string
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// Measurement is one operation's cost at one size on one driver.
type Measurement struct {
	Driver string `json:"driver"`
	Size   int    `json:"size"`
	Op     string `json:"op"`
	// Value is the median over the rounds, in Unit.
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	// Min and Max bound the rounds; Rounds is how many there were.
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Rounds int     `json:"rounds"`
}

// The operations, in the order the table shows them.
const (
	OpLoad         = "bulk load (ImportMany), per 1,000 complaints"
	OpLog          = "log one complaint"
	OpStep         = "workflow step (investigate)"
	OpImport       = "import a hand-kept CSV of 500 rows"
	OpPareto       = "one-month Pareto by category"
	OpTrend        = "one-month daily trend"
	OpTrendBy      = "one-month daily trend by category"
	OpSummary      = "one-month complaints summary"
	OpDue          = "due list (what needs doing now)"
	OpSweepFirst   = "first sweep (finds the month's late complaints)"
	OpSweep        = "sweep with nothing new"
	OpExportMonth  = "export one month (CSV)"
	OpExportAll    = "export the whole store, per 1,000 complaints"
	OpExportFirst  = "export the whole store: its first 1,000 rows"
	OpExportMid    = "export the whole store: its median 1,000 rows"
	OpExportLast   = "export the whole store: its last 1,000 rows"
	OpOpen         = "open after a clean close"
	OpOpenCrash    = "open after a crash"
	OpRSS          = "memory after open (RSS)"
	OpRSSPerRecord = "memory after open, per complaint"
)

// Ops lists the operations in table order.
func Ops() []string {
	return []string{OpLoad, OpLog, OpStep, OpImport, OpPareto, OpTrend, OpTrendBy, OpSummary, OpDue,
		OpSweepFirst, OpSweep, OpExportMonth, OpExportAll, OpExportFirst, OpExportMid, OpExportLast, OpOpen, OpOpenCrash, OpRSS, OpRSSPerRecord}
}

// importRows is the size of the hand-kept CSV each import round reads.
const importRows = 500

// Run measures every size on every driver, smallest size first, and
// returns the measurements. It stops at the first error; a report whose
// answer differs between sizes (the month is not the same month) is one.
func Run(ctx context.Context, o Options) ([]Measurement, error) {
	if o.Month <= 0 || o.Rounds <= 0 || len(o.Sizes) == 0 {
		return nil, errors.New("growth: sizes, month and rounds must be positive")
	}
	for _, n := range o.Sizes {
		if n <= o.Month {
			return nil, fmt.Errorf("growth: size %d must be above the month's %d complaints", n, o.Month)
		}
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Dir == "" {
		dir, err := os.MkdirTemp("", "cxkit-growth")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		o.Dir = dir
	}
	var out []Measurement
	for _, drv := range o.Drivers {
		var first *answers
		for _, n := range o.Sizes {
			ms, got, err := runSize(ctx, o, drv, n)
			if err != nil {
				return out, fmt.Errorf("growth: %s at %d: %w", drv, n, err)
			}
			if first == nil {
				first = &got
			} else if got != *first {
				return out, fmt.Errorf("growth: %s at %d: the month's reports differ from the first size's (%+v, then %+v): the month is not held fixed", drv, n, *first, got)
			}
			out = append(out, ms...)
		}
	}
	return out, nil
}

// answers are what the month's reports said: the same at every size, or
// the benchmark is not measuring the same month.
type answers struct {
	Pareto, Trend, Summary, Exported int64
	Due, Breaches, Escalated, AtRisk int
}

// target is one store under measurement.
type target struct {
	driver string
	dir    string // file
	dsn    string // postgres
	schema string // postgres
}

func (t target) open(ctx context.Context) (store.Driver, error) {
	switch t.driver {
	case DriverFile:
		return file.Open(t.dir)
	case DriverPostgres:
		return postgres.Open(ctx, t.dsn, postgres.WithSchema(t.schema))
	}
	return nil, fmt.Errorf("unknown driver %q (want %s or %s)", t.driver, DriverFile, DriverPostgres)
}

// fresh removes what an earlier run left of the store.
func (t target) fresh(ctx context.Context) error {
	if t.driver == DriverFile {
		return os.RemoveAll(t.dir)
	}
	if t.dsn == "" {
		return errors.New("no PostgreSQL DSN given (set CXKIT_POSTGRES_DSN or -dsn)")
	}
	d, err := postgres.Open(ctx, t.dsn, postgres.WithSchema(t.schema))
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = d.Pool().Exec(ctx, "DROP SCHEMA IF EXISTS "+t.schema+" CASCADE")
	return err
}

func newService(d store.Driver) (*complaints.Service, error) {
	return complaints.New(d, config(), complaints.WithClock(func() time.Time { return now }))
}

// recorder collects the measurements of one size.
type recorder struct {
	driver string
	size   int
	out    []Measurement
	log    io.Writer
}

func (r *recorder) add(op, unit string, vals ...float64) {
	m := Measurement{Driver: r.driver, Size: r.size, Op: op, Unit: unit, Value: median(vals), Min: slices.Min(vals), Max: slices.Max(vals), Rounds: len(vals)}
	r.out = append(r.out, m)
	fmt.Fprintf(r.log, "  %-50s %s\n", op, format(m.Value, unit))
}

// timed runs f rounds times and records the durations in milliseconds.
func (r *recorder) timed(op string, rounds int, f func(round int) error) error {
	ms := make([]float64, 0, rounds)
	for i := range rounds {
		t0 := time.Now()
		if err := f(i); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		ms = append(ms, float64(time.Since(t0))/1e6)
	}
	r.add(op, "ms", ms...)
	return nil
}

func runSize(ctx context.Context, o Options, drv string, n int) ([]Measurement, answers, error) {
	var got answers
	t := target{driver: drv, dir: filepath.Join(o.Dir, drv+"-"+strconv.Itoa(n)), dsn: o.DSN, schema: "cxkit_growth_" + strconv.Itoa(n)}
	if err := t.fresh(ctx); err != nil {
		return nil, got, err
	}
	defer t.fresh(context.WithoutCancel(ctx))
	rec := &recorder{driver: drv, size: n, log: o.Log}
	fmt.Fprintf(o.Log, "%s, %d complaints (a month of %d), %d rounds:\n", drv, n, o.Month, o.Rounds)

	d, err := t.open(ctx)
	if err != nil {
		return nil, got, err
	}
	closed := false
	defer func() {
		if !closed {
			d.Close()
		}
	}()
	svc, err := newService(d)
	if err != nil {
		return nil, got, err
	}

	// Load: the history in chunks, then the month, through the bulk path.
	t0 := time.Now()
	load := func(cs []complaints.Complaint) error {
		res, err := svc.ImportMany(ctx, cs, "migration")
		if err == nil && len(res.Imported) != len(cs) {
			err = fmt.Errorf("imported %d of %d (skipped %d)", len(res.Imported), len(cs), len(res.Skipped))
		}
		return err
	}
	if err := history(n-o.Month, o.Month, 20_000, load); err != nil {
		return nil, got, fmt.Errorf("load: %w", err)
	}
	if err := load(monthComplaints(o.Month)); err != nil {
		return nil, got, fmt.Errorf("load: %w", err)
	}
	rec.add(OpLoad, "ms", float64(time.Since(t0))/1e6/float64(n)*1000)
	if drv == DriverPostgres {
		// What autovacuum does after a bulk load, done now so that every
		// size is measured with fresh statistics and visibility maps.
		pg := d.(*postgres.Driver)
		if _, err := pg.Pool().Exec(ctx, "VACUUM (ANALYZE) "+t.schema+".records"); err != nil {
			return nil, got, err
		}
		if _, err := pg.Pool().Exec(ctx, "VACUUM (ANALYZE) "+t.schema+".attrs"); err != nil {
			return nil, got, err
		}
	}

	// The month's reports.
	rounds := o.Rounds
	// Grouped counts run at least 20 times: on PostgreSQL a prepared
	// statement may switch to a generic plan after five executions on a
	// connection, and the slowest round shows it (Measurement.Max).
	counts := max(rounds, 20)
	err = errors.Join(
		rec.timed(OpPareto, counts, func(int) error {
			p, err := svc.Pareto(ctx, monthStart, monthEnd, complaints.DimensionCategory)
			got.Pareto = p.Total
			return err
		}),
		rec.timed(OpTrend, counts, func(int) error {
			ps, err := svc.Trend(ctx, monthStart, monthEnd, complaints.GranularityDay)
			got.Trend = 0
			for _, p := range ps {
				got.Trend += p.Count
			}
			return err
		}),
		rec.timed(OpTrendBy, counts, func(int) error {
			_, err := svc.TrendBy(ctx, monthStart, monthEnd, complaints.GranularityDay, complaints.DimensionCategory)
			return err
		}),
		rec.timed(OpSummary, rounds, func(int) error {
			s, err := svc.Summarise(ctx, monthStart, monthEnd)
			got.Summary = s.Total
			return err
		}),
		rec.timed(OpExportMonth, rounds, func(int) error {
			var cw countWriter
			err := svc.Export(ctx, &cw, monthStart, monthEnd, complaints.ExportOptions{})
			got.Exported = cw.rows
			return err
		}),
		rec.timed(OpDue, rounds, func(int) error {
			rs, err := svc.Due(ctx)
			got.Due = len(rs)
			return err
		}),
	)
	if err != nil {
		return nil, got, err
	}
	if got.Pareto != int64(o.Month) || got.Trend != int64(o.Month) || got.Summary != int64(o.Month) || got.Exported != int64(o.Month)+1 {
		return nil, got, fmt.Errorf("the month's reports count %+v, want %d complaints each", got, o.Month)
	}

	// The first sweep records the month's late complaints (once per
	// load, so one round); later sweeps find nothing new.
	err = errors.Join(
		rec.timed(OpSweepFirst, 1, func(int) error {
			rep, err := svc.Sweep(ctx)
			got.Breaches, got.Escalated, got.AtRisk = rep.Breaches, rep.Escalated, rep.AtRisk
			if err == nil && rep.Breaches == 0 {
				err = errors.New("found nothing late: the month's open complaints should be")
			}
			fmt.Fprintf(o.Log, "  (first sweep: %d open complaints checked, %d deadlines breached, %d escalated, %d at risk)\n", rep.Checked, rep.Breaches, rep.Escalated, rep.AtRisk)
			return err
		}),
		rec.timed(OpSweep, rounds, func(int) error {
			rep, err := svc.Sweep(ctx)
			if err == nil && rep.Breaches+rep.Escalated+rep.AtRisk != 0 {
				err = fmt.Errorf("found something new: %+v", rep)
			}
			return err
		}),
	)
	if err != nil {
		return nil, got, err
	}

	// Writes into the store of this size: each round logs a complaint
	// then takes its first step, and imports a hand-kept log of its own.
	var ids []string
	err = errors.Join(
		rec.timed(OpLog, rounds, func(i int) error {
			c, err := svc.Log(ctx, intake(i))
			ids = append(ids, c.ID)
			return err
		}),
		rec.timed(OpStep, rounds, func(i int) error {
			_, err := svc.Investigate(ctx, ids[i], complaints.Input{By: "agent", Note: "called the courier"})
			return err
		}),
		rec.timed(OpImport, rounds, func(i int) error {
			res, err := svc.Import(ctx, bytes.NewReader(handKeptCSV(i, importRows)), complaints.ImportOptions{By: "office manager"})
			if err == nil && len(res.Imported) != importRows {
				err = fmt.Errorf("imported %d of %d rows", len(res.Imported), importRows)
			}
			return err
		}),
	)
	if err != nil {
		return nil, got, err
	}

	// The whole store, once (it is the history's size).
	// The time every 1,000 rows took shows whether a page costs the
	// same at any point of the history.
	t0 = time.Now()
	cw := countWriter{every: 1000, start: t0}
	if err := svc.Export(ctx, &cw, historyFrom(n, o.Month).Add(-time.Hour), now.Add(time.Hour), complaints.ExportOptions{}); err != nil {
		return nil, got, fmt.Errorf("export: %w", err)
	}
	rec.add(OpExportAll, "ms", float64(time.Since(t0))/1e6/float64(cw.rows-1)*1000)
	if len(cw.laps) >= 2 {
		rec.add(OpExportFirst, "ms", float64(cw.laps[0])/1e6)
		laps := make([]float64, len(cw.laps))
		for i, l := range cw.laps {
			laps[i] = float64(l) / 1e6
		}
		rec.add(OpExportMid, "ms", median(laps))
		fmt.Fprintf(o.Log, "  (the first runs of 1,000 rows, ms: %.0f)\n", laps[:min(len(laps), 8)])
		rec.add(OpExportLast, "ms", float64(cw.laps[len(cw.laps)-1])/1e6)
	}

	// Open, in child processes so that the memory is the open store's.
	closed = true
	if err := d.Close(); err != nil {
		return nil, got, err
	}
	if err := measureOpen(rec, t, n, o.Month, min(rounds, 3)); err != nil {
		return nil, got, err
	}
	return rec.out, got, nil
}

// countWriter counts CSV lines written through it and, with every set,
// the time each run of that many lines took.
type countWriter struct {
	rows  int64
	every int64
	start time.Time
	laps  []time.Duration
}

func (w *countWriter) Write(p []byte) (int, error) {
	for _, b := range p {
		if b != '\n' {
			continue
		}
		w.rows++
		// Row 1 is the header: laps are rows 2..1001, 1002..2001, ...
		if w.every > 0 && w.rows > 1 && (w.rows-1)%w.every == 0 {
			t := time.Now()
			w.laps = append(w.laps, t.Sub(w.start))
			w.start = t
		}
	}
	return len(p), nil
}
