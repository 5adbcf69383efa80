package file

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
)

// The crash harness: the test binary re-executes itself as a child that
// writes records and prints every acknowledged write; the parent SIGKILLs
// it at a random moment, reopens the directory and checks that every
// acknowledged write is there, intact, at exactly its acknowledged version
// (or the next, if an update of it was under way), and that no record is
// half written.

var (
	crashKills = flag.Int("crash.kills", 50, "number of SIGKILLs TestCrashLoop inflicts")
	crashSeed  = flag.Uint64("crash.seed", 0, "seed of TestCrashLoop's random delays (0: from the clock)")
)

const (
	envCrashDir  = "CXKIT_FILE_CRASH_DIR"
	envCrashIter = "CXKIT_FILE_CRASH_ITER"
	envCrashMode = "CXKIT_FILE_CRASH_MODE"
	crashKind    = "crash"
)

// crashBody is the body a crash-test record has at a version: any mix-up of
// versions, records or bytes shows as a mismatch.
func crashBody(id string, version int64) []byte {
	unit := fmt.Sprintf("%s@%d;", id, version)
	n := 1 + int(hashString(unit)%150)
	return []byte(strings.Repeat(unit, n))
}

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

func crashRecord(id string, version int64) store.Record {
	return store.Record{
		Kind: crashKind, ID: id,
		Attrs:   map[string]string{"v": strconv.FormatInt(version, 10)},
		Body:    crashBody(id, version),
		Created: time.Unix(1700000000, 0), Updated: time.Unix(1700000000, int64(version)*1000),
	}
}

// TestCrashChild is the child process of TestCrashLoop; it skips unless
// started by it.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(envCrashDir)
	if dir == "" {
		t.Skip("only runs as TestCrashLoop's child")
	}
	iter := os.Getenv(envCrashIter)
	opts := []Option{WithAutoCompact(0.2, 256<<10)}
	var outMu sync.Mutex
	say := func(format string, args ...any) {
		outMu.Lock()
		fmt.Fprintf(os.Stdout, format+"\n", args...) // one write(2) per line
		outMu.Unlock()
	}
	mode := os.Getenv(envCrashMode)
	switch mode {
	case "relaxed":
		opts = append(opts, WithSyncInterval(2*time.Millisecond))
	case "compact":
		// Compactions back to back, each step announced and drawn out a
		// little, so that kills land in every step of the copy that runs
		// beside the writers and of the switch to the new generation.
		opts = append(opts, withCompactHook(func(phase string) {
			say("phase %s", phase)
			time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
		}))
	}
	d, err := Open(dir, opts...)
	if err != nil {
		fmt.Printf("error open: %v\n", err)
		os.Exit(3)
	}
	say("ready")
	ctx := context.Background()
	var wg sync.WaitGroup
	if mode == "compact" {
		go func() {
			for {
				if err := d.Compact(ctx); err != nil {
					say("error compact: %v", err)
					os.Exit(3)
				}
				say("compacted")
			}
		}()
	}
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), uint64(time.Now().UnixNano())))
			var mine []store.Record
			for n := 0; ; n++ {
				id := fmt.Sprintf("i%s-g%d-%06d", iter, g, n)
				switch x := rng.IntN(10); {
				case x < 5 || len(mine) == 0:
					r, err := d.Create(ctx, crashRecord(id, 1))
					if err != nil {
						say("error create %s: %v", id, err)
						os.Exit(3)
					}
					say("ack %s %d", r.ID, r.Version)
					mine = append(mine, r)
				case x < 8:
					i := rng.IntN(len(mine))
					// As for deletes: an update under way at the kill may or
					// may not have happened.
					say("updating %s", mine[i].ID)
					r := crashRecord(mine[i].ID, mine[i].Version+1)
					r.Version = mine[i].Version
					r, err := d.Update(ctx, r)
					if err != nil {
						say("error update %s: %v", mine[i].ID, err)
						os.Exit(3)
					}
					say("ack %s %d", r.ID, r.Version)
					mine[i] = r
				case x < 9:
					i := rng.IntN(len(mine))
					// An unacknowledged delete may or may not have happened
					// when the kill comes: the parent must know it was tried.
					say("deleting %s", mine[i].ID)
					if err := d.Delete(ctx, crashKind, mine[i].ID, mine[i].Version); err != nil {
						say("error delete %s: %v", mine[i].ID, err)
						os.Exit(3)
					}
					say("del %s", mine[i].ID)
					mine = append(mine[:i], mine[i+1:]...)
				default:
					var ws []store.Write
					for k := range 5 {
						ws = append(ws, store.Write{Action: store.ActionCreate, Record: crashRecord(fmt.Sprintf("%s-b%d", id, k), 1)})
					}
					rs, err := d.Batch(ctx, ws)
					if err != nil {
						say("error batch %s: %v", id, err)
						os.Exit(3)
					}
					for _, r := range rs {
						say("ack %s %d", r.ID, r.Version)
						mine = append(mine, r)
					}
				}
			}
		})
	}
	wg.Wait()
}

// crashState is what the parent knows was acknowledged.
type crashState struct {
	version  map[string]int64 // acknowledged version of each live record
	deleted  map[string]bool  // acknowledged deletes
	deleting map[string]bool  // deletes tried, maybe not acknowledged
	updating map[string]bool  // updates tried, maybe not acknowledged
}

func TestCrashLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("crash loop is not short")
	}
	kills := *crashKills
	seed := *crashSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("kills=%d seed=%d", kills, seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	var dir string
	var st crashState
	var truncations, torn, compactions, acked int
	var prevGen uint64
	var interrupted int
	killedIn := map[string]int{} // kills of "compact" children by compaction step
	start := time.Now()
	for i := range kills {
		// A fresh directory now and then keeps the long loop's logs small
		// enough that each iteration stays quick.
		if i%50 == 0 {
			dir = t.TempDir()
			st = crashState{version: map[string]int64{}, deleted: map[string]bool{}, deleting: map[string]bool{}, updating: map[string]bool{}}
		}
		mode := "durable"
		switch i % 3 {
		case 1:
			mode = "compact"
		case 2:
			mode = "relaxed"
		}
		lines := runCrashChild(t, dir, i, mode, time.Duration(rng.IntN(40_000))*time.Microsecond)
		if mode == "compact" {
			// The step the kill interrupted: the last announced, unless a
			// compaction completed after it.
			last := "none"
			for _, l := range lines {
				if p, ok := strings.CutPrefix(l, "phase "); ok {
					last = p
				} else if l == "compacted" {
					last = "between"
				}
			}
			killedIn[last]++
		}
		for _, l := range lines {
			f := strings.Fields(l)
			switch {
			case len(f) == 3 && f[0] == "ack":
				v, _ := strconv.ParseInt(f[2], 10, 64)
				st.version[f[1]] = v
				delete(st.deleted, f[1])
				delete(st.updating, f[1])
				acked++
			case len(f) == 2 && f[0] == "updating":
				st.updating[f[1]] = true
			case len(f) == 2 && f[0] == "deleting":
				st.deleting[f[1]] = true
			case len(f) == 2 && f[0] == "del":
				delete(st.version, f[1])
				delete(st.deleting, f[1])
				st.deleted[f[1]] = true
			case f[0] == "error":
				t.Fatalf("iteration %d: child: %s", i, l)
			}
		}
		rep, gen := checkCrashDir(t, dir, &st, i)
		if rep.Truncated {
			truncations++
			torn += rep.Frames
		}
		if len(rep.Removed) > 0 {
			interrupted++ // a compaction was under way at the kill
		}
		if i%50 == 0 {
			prevGen = 1
		}
		compactions += int(gen - prevGen)
		prevGen = gen
	}
	t.Logf("%d kills in %v: %d acknowledged writes checked, %d recoveries cut a torn tail (%d frames), %d compactions completed, %d interrupted by the kill and cleaned up",
		kills, time.Since(start).Round(time.Millisecond), acked, truncations, torn, compactions, interrupted)
	t.Logf("kills of children compacting back to back, by the step under way: %v", killedIn)
}

// runCrashChild runs one child, kills it delay after it is ready, and
// returns the lines it printed.
func runCrashChild(t *testing.T, dir string, iter int, mode string, delay time.Duration) []string {
	t.Helper()
	return runChild(t, "TestCrashChild", []string{envCrashDir + "=" + dir, envCrashIter + "=" + strconv.Itoa(iter), envCrashMode + "=" + mode}, delay)
}

// runChild runs the test named test of this binary as a child with env
// added, kills it delay after it printed "ready", and returns the other
// lines it printed.
func runChild(t *testing.T, test string, env []string, delay time.Duration) []string {
	t.Helper()
	iter := env[len(env)-1]
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(out)
	ready := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		seen := false
		for sc.Scan() {
			l := sc.Text()
			if l == "ready" && !seen {
				seen = true
				close(ready)
				continue
			}
			lines = append(lines, l)
		}
		if !seen {
			close(ready)
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("child (%s) never got ready", iter)
	}
	time.Sleep(delay)
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child (%s) did not die of SIGKILL: %v; output:\n%s", iter, err, strings.Join(lines, "\n"))
	}
	return lines
}

// checkCrashDir reopens dir and checks it against what was acknowledged.
func checkCrashDir(t *testing.T, dir string, st *crashState, iter int) (Recovery, uint64) {
	t.Helper()
	d, err := Open(dir)
	if err != nil {
		t.Fatalf("iteration %d: reopen after kill: %v", iter, err)
	}
	defer d.Close()
	rep := d.Recovery()
	ctx := context.Background()
	for id, v := range st.version {
		r, err := d.Get(ctx, crashKind, id)
		if errors.Is(err, store.ErrNotFound) && st.deleting[id] {
			// The delete was under way at the kill, and made it.
			delete(st.version, id)
			delete(st.deleting, id)
			st.deleted[id] = true
			continue
		}
		if err != nil {
			t.Fatalf("iteration %d: acknowledged %s v%d: %v (recovery %+v)", iter, id, v, err, rep)
		}
		// Exactly the acknowledged version, or the next one if an update
		// was under way at the kill.
		if r.Version != v && !(st.updating[id] && r.Version == v+1) {
			t.Fatalf("iteration %d: %s at v%d, acknowledged v%d (update under way: %v)", iter, id, r.Version, v, st.updating[id])
		}
		delete(st.updating, id)
		// Next iterations start from what is on disk.
		st.version[id] = r.Version
	}
	for id := range st.deleted {
		if _, err := d.Get(ctx, crashKind, id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("iteration %d: %s deleted (acknowledged) but Get gives %v", iter, id, err)
		}
	}
	// Nothing half written: every record visible is one whole write.
	n := 0
	for q := (store.Query{Limit: store.MaxLimit}); ; {
		p, err := d.List(ctx, crashKind, q)
		if err != nil {
			t.Fatalf("iteration %d: list: %v", iter, err)
		}
		for _, r := range p.Records {
			n++
			if string(r.Body) != string(crashBody(r.ID, r.Version)) || r.Attrs["v"] != strconv.FormatInt(r.Version, 10) {
				t.Fatalf("iteration %d: %s v%d is not what was written at that version", iter, r.ID, r.Version)
			}
		}
		if p.Next == "" {
			break
		}
		q.After = p.Next
	}
	g, err := d.Count(ctx, crashKind, nil)
	if err != nil || g[0].Count != int64(n) {
		t.Fatalf("iteration %d: count %v, %v; listed %d", iter, g, err, n)
	}
	d.fileMu.RLock()
	gen := d.gen
	d.fileMu.RUnlock()
	return rep, gen
}
