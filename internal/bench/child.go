package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/cxkit/cxkit/internal/bench/proc"
)

// The open measurement runs in a child process, so that the parent's heap
// (the workload, other engines) does not count in the child's memory.
// The child is the same binary (a test binary or the storebench command)
// started with these variables set; it calls ChildMain first thing.
const (
	envChild  = "CXKIT_BENCH_CHILD"
	envEngine = "CXKIT_BENCH_ENGINE"
	envDir    = "CXKIT_BENCH_DIR"
	envID     = "CXKIT_BENCH_ID"
	// EnvCPUProfile, if set in the parent's environment, names a file the
	// child writes a CPU profile of the open to.
	EnvCPUProfile = "CXKIT_BENCH_CPUPROFILE"
)

// OpenStats is what the child measured.
type OpenStats struct {
	Engine     string        `json:"engine"`
	Open       time.Duration `json:"open_ns"`        // open and first Get
	RSSBefore  int64         `json:"rss_before"`     // VmRSS before opening
	RSSAfter   int64         `json:"rss_after"`      // VmRSS after opening, GC and returning free memory
	HeapInUse  int64         `json:"heap_in_use"`    // Go heap objects after open and GC
	GoMapped   int64         `json:"go_total_bytes"` // all memory the Go runtime mapped
	RSSAnonKiB int64         `json:"rss_anon_kib"`   // RssAnon: what is not file-backed (bbolt's mmap is file-backed)
}

// MeasureOpen runs a child process that opens the engine named spec in dir,
// reads record id and reports OpenStats.
func MeasureOpen(spec Spec, dir, id string) (OpenStats, error) {
	exe, err := os.Executable()
	if err != nil {
		return OpenStats{}, err
	}
	cmd := exec.Command(exe, "-test.run=^$") // a test binary runs no test; storebench ignores it
	cmd.Env = append(os.Environ(), envChild+"=open", envEngine+"="+spec.Name, envDir+"="+dir, envID+"="+id)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return OpenStats{}, fmt.Errorf("open child: %v: %s", err, errb.String())
	}
	var st OpenStats
	for line := range strings.SplitSeq(out.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, "OPENSTATS "); ok {
			return st, json.Unmarshal([]byte(rest), &st)
		}
	}
	return st, fmt.Errorf("open child printed no stats: %s %s", out.String(), errb.String())
}

// ChildMain runs the child's measurement and exits if this process is a
// child; otherwise it returns at once. Call it first in main or TestMain.
func ChildMain() {
	if os.Getenv(envChild) != "open" {
		return
	}
	st, err := childOpen(os.Getenv(envEngine), os.Getenv(envDir), os.Getenv(envID))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b, _ := json.Marshal(st)
	fmt.Printf("OPENSTATS %s\n", b)
	os.Exit(0)
}

func childOpen(name, dir, id string) (OpenStats, error) {
	specs, err := SpecsNamed(name)
	if err != nil {
		return OpenStats{}, err
	}
	st := OpenStats{Engine: name}
	runtime.GC()
	st.RSSBefore, _ = proc.Status("VmRSS")
	if path := os.Getenv(EnvCPUProfile); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return st, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return st, err
		}
	}
	e, d, err := OpenAndGet(context.Background(), specs[0], dir, id)
	pprof.StopCPUProfile()
	if err != nil {
		return st, err
	}
	st.Open = d
	runtime.GC()
	debug.FreeOSMemory()
	st.RSSAfter, _ = proc.Status("VmRSS")
	st.RSSAnonKiB, _ = proc.Status("RssAnon")
	st.RSSAnonKiB /= 1024
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	st.HeapInUse = int64(s[0].Value.Uint64())
	st.GoMapped = int64(s[1].Value.Uint64())
	runtime.KeepAlive(e)
	return st, e.Close()
}
