package growth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/cxkit/cxkit/complaints"
	"github.com/cxkit/cxkit/internal/bench/proc"
)

// Opening is measured in a child process (the same binary, started with
// these variables set, calling ChildMain first thing), so that its memory
// is the open store's and not the loader's.
const (
	envChild  = "CXKIT_GROWTH_CHILD" // "open" or "crash"
	envDriver = "CXKIT_GROWTH_DRIVER"
	envDir    = "CXKIT_GROWTH_DIR"
	envDSN    = "CXKIT_GROWTH_DSN"
	envSchema = "CXKIT_GROWTH_SCHEMA"
	envMonth  = "CXKIT_GROWTH_MONTH"
)

// openStats is what an open child measured.
type openStats struct {
	Open      time.Duration `json:"open_ns"`    // driver open and service ready
	RSSBefore int64         `json:"rss_before"` // VmRSS before opening
	RSSAfter  int64         `json:"rss_after"`  // VmRSS after opening, GC and returning free memory
}

// ChildMain runs a child's part and exits if this process is a child of
// Run; otherwise it returns at once. Call it first in main or TestMain.
func ChildMain() {
	mode := os.Getenv(envChild)
	if mode == "" {
		return
	}
	t := target{driver: os.Getenv(envDriver), dir: os.Getenv(envDir), dsn: os.Getenv(envDSN), schema: os.Getenv(envSchema)}
	month, _ := strconv.Atoi(os.Getenv(envMonth))
	var err error
	switch mode {
	case "open":
		var st openStats
		if st, err = childOpen(t, month); err == nil {
			b, _ := json.Marshal(st)
			fmt.Printf("OPENSTATS %s\n", b)
		}
	case "crash":
		err = childCrash(t)
	default:
		err = fmt.Errorf("unknown child mode %q", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// childOpen opens the store, checks it answers the month's Pareto, and
// measures the open and the memory it holds.
func childOpen(t target, month int) (openStats, error) {
	ctx := context.Background()
	var st openStats
	runtime.GC()
	st.RSSBefore, _ = proc.Status("VmRSS")
	t0 := time.Now()
	d, err := t.open(ctx)
	if err != nil {
		return st, err
	}
	defer d.Close()
	svc, err := newService(d)
	if err != nil {
		return st, err
	}
	st.Open = time.Since(t0)
	runtime.GC()
	debug.FreeOSMemory()
	st.RSSAfter, _ = proc.Status("VmRSS")
	p, err := svc.Pareto(ctx, monthStart, monthEnd, complaints.DimensionCategory)
	if err != nil {
		return st, err
	}
	if p.Total != int64(month) {
		return st, fmt.Errorf("reopened store counts %d complaints in the month, want %d", p.Total, month)
	}
	return st, d.Close()
}

// childCrash opens the store, logs one complaint (acknowledged: durable)
// and exits without closing, as a killed process would leave it.
func childCrash(t target) error {
	ctx := context.Background()
	d, err := t.open(ctx)
	if err != nil {
		return err
	}
	svc, err := newService(d)
	if err != nil {
		return err
	}
	if _, err := svc.Log(ctx, intake(-1)); err != nil {
		return err
	}
	os.Exit(0) // no Close: no close mark, no checkpoint
	return nil
}

func runChild(t target, mode string, month int) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(exe, "-test.run=^$") // a test binary runs no test; the command ignores the flag in a child
	cmd.Env = append(os.Environ(), envChild+"="+mode, envDriver+"="+t.driver, envDir+"="+t.dir, envDSN+"="+t.dsn,
		envSchema+"="+t.schema, envMonth+"="+strconv.Itoa(month),
		// A binary built with -race sleeps a second at exit by default;
		// the smoke run under -race starts eight children.
		"GORACE=atexit_sleep_ms=0 "+os.Getenv("GORACE"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s child: %v: %s", mode, err, errb.String())
	}
	return out.String(), nil
}

func openChild(t target, month int) (openStats, error) {
	out, err := runChild(t, "open", month)
	if err != nil {
		return openStats{}, err
	}
	var st openStats
	for line := range strings.SplitSeq(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "OPENSTATS "); ok {
			return st, json.Unmarshal([]byte(rest), &st)
		}
	}
	return st, fmt.Errorf("open child printed no stats: %q", out)
}

// measureOpen opens the cleanly closed store in a child.
func (z *sized) measureOpen(month int) error {
	st, err := openChild(z.t, month)
	if err != nil {
		return fmt.Errorf("%s at %d: %w", z.t.driver, z.n, err)
	}
	z.sample(OpOpen, "ms", float64(st.Open)/1e6)
	z.sample(OpRSS, "MiB", float64(st.RSSAfter)/(1<<20))
	z.sample(OpRSSPerRecord, "B", float64(st.RSSAfter-st.RSSBefore)/float64(z.n))
	return nil
}

// measureCrashOpen has a child write and exit without closing, then opens
// the store in another.
func (z *sized) measureCrashOpen(month int) error {
	if _, err := runChild(z.t, "crash", month); err != nil {
		return fmt.Errorf("%s at %d: %w", z.t.driver, z.n, err)
	}
	st, err := openChild(z.t, month)
	if err != nil {
		return fmt.Errorf("%s at %d, after the crash: %w", z.t.driver, z.n, err)
	}
	z.sample(OpOpenCrash, "ms", float64(st.Open)/1e6)
	return nil
}
