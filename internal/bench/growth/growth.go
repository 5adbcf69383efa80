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
	// Complaints and Feedback say which rows to measure: the complaints
	// log's, and feedback's (on a store of feedback items of each size).
	Complaints, Feedback bool
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
		OpSweepFirst, OpSweep, OpExportMonth, OpExportAll, OpExportFirst, OpExportMid, OpExportLast, OpOpen, OpOpenCrash, OpRSS, OpRSSPerRecord,
		OpFeedbackLoad, OpFeedbackIntake, OpFeedbackSummary, OpFeedbackSummaryAll}
}

// importRows is the size of the hand-kept CSV each import round reads.
const importRows = 500

// Run measures every size on every driver and returns the measurements.
// All sizes of a driver are loaded first and then measured in turn, round
// by round (the 10k store, the 100k store, the 1M store, then again), so
// that a change in the machine's load touches every size alike and the
// ratios stay fair on a busy machine. It stops at the first error; a
// report whose answer differs between sizes (the month is not the same
// month) is one.
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
		if o.Complaints {
			ms, err := runDriver(ctx, o, drv)
			out = append(out, ms...)
			if err != nil {
				return out, fmt.Errorf("growth: %s: %w", drv, err)
			}
		}
		if o.Feedback {
			ms, err := runFeedback(ctx, o, drv)
			out = append(out, ms...)
			if err != nil {
				return out, fmt.Errorf("growth: %s, feedback: %w", drv, err)
			}
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
	switch t.driver {
	case DriverFile:
		return os.RemoveAll(t.dir)
	case DriverPostgres:
	default:
		return fmt.Errorf("unknown driver %q (want %s or %s)", t.driver, DriverFile, DriverPostgres)
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

// sized is one store of one size under measurement, with the samples
// taken so far.
type sized struct {
	n       int
	t       target
	d       store.Driver
	svc     *complaints.Service
	got     answers
	samples map[string][]float64
	units   map[string]string
	ids     []string // complaints logged by the log rounds, for the step rounds
	log     io.Writer
}

// sample records one round of op.
func (z *sized) sample(op, unit string, v float64) {
	z.samples[op] = append(z.samples[op], v)
	z.units[op] = unit
}

// timed runs f once and records its duration in milliseconds.
func (z *sized) timed(op string, f func() error) error {
	t0 := time.Now()
	if err := f(); err != nil {
		return fmt.Errorf("%s at %d: %s: %w", z.t.driver, z.n, op, err)
	}
	z.sample(op, "ms", float64(time.Since(t0))/1e6)
	return nil
}

// measurements are the medians of the samples, in table order.
func (z *sized) measurements() []Measurement {
	var out []Measurement
	for _, op := range Ops() {
		vs := z.samples[op]
		if len(vs) == 0 {
			continue
		}
		out = append(out, Measurement{Driver: z.t.driver, Size: z.n, Op: op, Unit: z.units[op], Value: median(vs), Min: slices.Min(vs), Max: slices.Max(vs), Rounds: len(vs)})
	}
	return out
}

func runDriver(ctx context.Context, o Options, drv string) (_ []Measurement, err error) {
	var zs []*sized
	defer func() {
		for _, z := range zs {
			if z.d != nil {
				z.d.Close()
			}
			z.t.fresh(context.WithoutCancel(ctx))
		}
	}()
	for _, n := range o.Sizes {
		z := &sized{n: n, log: o.Log, samples: map[string][]float64{}, units: map[string]string{},
			t: target{driver: drv, dir: filepath.Join(o.Dir, drv+"-"+strconv.Itoa(n)), dsn: o.DSN, schema: "cxkit_growth_" + strconv.Itoa(n)}}
		zs = append(zs, z)
		if err := z.load(ctx, o.Month); err != nil {
			return nil, fmt.Errorf("loading %d: %w", n, err)
		}
	}
	fmt.Fprintf(o.Log, "%s: measuring %d rounds of each size in turn\n", drv, o.Rounds)
	// Grouped counts run at least 20 times: on PostgreSQL a prepared
	// statement may switch to a generic plan after five executions on a
	// connection, and the slowest round shows it (Measurement.Max).
	counts := max(o.Rounds, 20)
	for round := range counts {
		for _, z := range zs {
			if err := z.reports(ctx, round < o.Rounds); err != nil {
				return nil, err
			}
		}
	}
	for _, z := range zs {
		if z.got.Pareto != int64(o.Month) || z.got.Trend != int64(o.Month) || z.got.Summary != int64(o.Month) || z.got.Exported != int64(o.Month)+1 {
			return nil, fmt.Errorf("at %d the month's reports count %+v, want %d complaints each", z.n, z.got, o.Month)
		}
	}
	for _, z := range zs {
		if err := z.firstSweep(ctx); err != nil {
			return nil, err
		}
	}
	for round := range o.Rounds {
		for _, z := range zs {
			if err := z.writes(ctx, round); err != nil {
				return nil, err
			}
		}
	}
	for _, z := range zs {
		if err := z.exportAll(ctx, o.Month); err != nil {
			return nil, err
		}
		if z.got != zs[0].got {
			return nil, fmt.Errorf("at %d the month's reports differ from the first size's (%+v, then %+v): the month is not held fixed", z.n, zs[0].got, z.got)
		}
		err := z.d.Close()
		z.d = nil
		if err != nil {
			return nil, err
		}
	}
	// Open, in child processes so that the memory is the open store's.
	for range min(o.Rounds, 3) {
		for _, z := range zs {
			if err := z.measureOpen(o.Month); err != nil {
				return nil, err
			}
		}
	}
	for _, z := range zs {
		if err := z.measureCrashOpen(o.Month); err != nil {
			return nil, err
		}
	}
	var out []Measurement
	for _, z := range zs {
		out = append(out, logMeasurements(o.Log, fmt.Sprintf("%s, %d complaints", drv, z.n), z.measurements())...)
	}
	return out, nil
}

// load fills a fresh store: the history in chunks, then the month,
// through the bulk path.
func (z *sized) load(ctx context.Context, month int) error {
	if err := z.t.fresh(ctx); err != nil {
		return err
	}
	var err error
	if z.d, err = z.t.open(ctx); err != nil {
		return err
	}
	if z.svc, err = newService(z.d); err != nil {
		return err
	}
	fmt.Fprintf(z.log, "%s: loading %d complaints (a month of %d)\n", z.t.driver, z.n, month)
	t0 := time.Now()
	load := func(cs []complaints.Complaint) error {
		res, err := z.svc.ImportMany(ctx, cs, "migration")
		if err == nil && len(res.Imported) != len(cs) {
			err = fmt.Errorf("imported %d of %d (skipped %d)", len(res.Imported), len(cs), len(res.Skipped))
		}
		return err
	}
	if err := history(z.n-month, month, 20_000, load); err != nil {
		return err
	}
	if err := load(monthComplaints(month)); err != nil {
		return err
	}
	z.sample(OpLoad, "ms", float64(time.Since(t0))/1e6/float64(z.n)*1000)
	return vacuum(ctx, z.d, z.t.schema)
}

// vacuum does on PostgreSQL what autovacuum does after a bulk load, now,
// so that every size is measured with fresh statistics and visibility
// maps.
func vacuum(ctx context.Context, d store.Driver, schema string) error {
	pg, ok := d.(*postgres.Driver)
	if !ok {
		return nil
	}
	for _, table := range []string{"records", "attrs"} {
		if _, err := pg.Pool().Exec(ctx, "VACUUM (ANALYZE) "+schema+"."+table); err != nil {
			return err
		}
	}
	return nil
}

// reports runs one round of the month's reports: the grouped counts
// always, the others when all is set.
func (z *sized) reports(ctx context.Context, all bool) error {
	svc, got := z.svc, &z.got
	err := errors.Join(
		z.timed(OpPareto, func() error {
			p, err := svc.Pareto(ctx, monthStart, monthEnd, complaints.DimensionCategory)
			got.Pareto = p.Total
			return err
		}),
		z.timed(OpTrend, func() error {
			ps, err := svc.Trend(ctx, monthStart, monthEnd, complaints.GranularityDay)
			got.Trend = 0
			for _, p := range ps {
				got.Trend += p.Count
			}
			return err
		}),
		z.timed(OpTrendBy, func() error {
			_, err := svc.TrendBy(ctx, monthStart, monthEnd, complaints.GranularityDay, complaints.DimensionCategory)
			return err
		}),
	)
	if err != nil || !all {
		return err
	}
	return errors.Join(
		z.timed(OpSummary, func() error {
			s, err := svc.Summarise(ctx, monthStart, monthEnd)
			got.Summary = s.Total
			return err
		}),
		z.timed(OpExportMonth, func() error {
			var cw countWriter
			err := svc.Export(ctx, &cw, monthStart, monthEnd, complaints.ExportOptions{})
			got.Exported = cw.rows
			return err
		}),
		z.timed(OpDue, func() error {
			rs, err := svc.Due(ctx)
			got.Due = len(rs)
			return err
		}),
	)
}

// firstSweep records the month's late complaints: once per load, so one
// round.
func (z *sized) firstSweep(ctx context.Context) error {
	return z.timed(OpSweepFirst, func() error {
		rep, err := z.svc.Sweep(ctx)
		z.got.Breaches, z.got.Escalated, z.got.AtRisk = rep.Breaches, rep.Escalated, rep.AtRisk
		if err == nil && rep.Breaches == 0 {
			err = errors.New("found nothing late: the month's open complaints should be")
		}
		fmt.Fprintf(z.log, "%s at %d, first sweep: %d open complaints checked, %d deadlines breached, %d escalated, %d at risk\n",
			z.t.driver, z.n, rep.Checked, rep.Breaches, rep.Escalated, rep.AtRisk)
		return err
	})
}

// writes runs one round of the sweeps that find nothing new and of the
// writes into the store of this size: a complaint logged, its first step,
// and a hand-kept log of its own imported.
func (z *sized) writes(ctx context.Context, round int) error {
	return errors.Join(
		z.timed(OpSweep, func() error {
			rep, err := z.svc.Sweep(ctx)
			if err == nil && rep.Breaches+rep.Escalated+rep.AtRisk != 0 {
				err = fmt.Errorf("found something new: %+v", rep)
			}
			return err
		}),
		z.timed(OpLog, func() error {
			c, err := z.svc.Log(ctx, intake(round))
			z.ids = append(z.ids, c.ID)
			return err
		}),
		z.timed(OpStep, func() error {
			_, err := z.svc.Investigate(ctx, z.ids[round], complaints.Input{By: "agent", Note: "called the courier"})
			return err
		}),
		z.timed(OpImport, func() error {
			res, err := z.svc.Import(ctx, bytes.NewReader(handKeptCSV(round, importRows)), complaints.ImportOptions{By: "office manager"})
			if err == nil && len(res.Imported) != importRows {
				err = fmt.Errorf("imported %d of %d rows", len(res.Imported), importRows)
			}
			return err
		}),
	)
}

// exportAll exports the whole store once, timing every 1,000 rows to show
// whether a page costs the same at any point of the history.
func (z *sized) exportAll(ctx context.Context, month int) error {
	t0 := time.Now()
	cw := countWriter{every: 1000, start: t0}
	if err := z.svc.Export(ctx, &cw, historyFrom(z.n, month).Add(-time.Hour), now.Add(time.Hour), complaints.ExportOptions{}); err != nil {
		return fmt.Errorf("%s at %d: export: %w", z.t.driver, z.n, err)
	}
	z.sample(OpExportAll, "ms", float64(time.Since(t0))/1e6/float64(cw.rows-1)*1000)
	if len(cw.laps) >= 2 {
		laps := make([]float64, len(cw.laps))
		for i, l := range cw.laps {
			laps[i] = float64(l) / 1e6
		}
		z.sample(OpExportFirst, "ms", laps[0])
		z.sample(OpExportMid, "ms", median(laps))
		z.sample(OpExportLast, "ms", laps[len(laps)-1])
		fmt.Fprintf(z.log, "%s at %d, export: the first runs of 1,000 rows took (ms) %.0f\n", z.t.driver, z.n, laps[:min(len(laps), 8)])
	}
	return nil
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

// logMeasurements writes one size's measurements under a heading and
// returns them.
func logMeasurements(w io.Writer, heading string, ms []Measurement) []Measurement {
	fmt.Fprintf(w, "%s:\n", heading)
	for _, m := range ms {
		fmt.Fprintf(w, "  %-55s %s\n", m.Op, format(m.Value, m.Unit))
	}
	return ms
}
