package file

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The backup crash test: a child process writes with four goroutines and
// takes backups one after another into b-1, b-2, ...; the parent SIGKILLs
// it at a random moment and checks that the source lost nothing
// acknowledged and that every backup directory that exists is whole: it
// verifies against its BACKUP file and opens. A backup cut short by the
// kill must leave only its temporary directory.

var backupKills = flag.Int("backupcrash.kills", 3, "number of SIGKILLs TestBackupCrash inflicts (300 with CXKIT_LONG=1)")

const envBackupDir = "CXKIT_FILE_BACKUP_DIR"

// TestBackupCrashChild is the child of TestBackupCrash; it skips unless
// started by it.
func TestBackupCrashChild(t *testing.T) {
	dir := os.Getenv(envBackupDir)
	if dir == "" {
		t.Skip("only runs as TestBackupCrash's child")
	}
	d, err := Open(filepath.Join(dir, "src"))
	if err != nil {
		fmt.Printf("error open: %v\n", err)
		os.Exit(3)
	}
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		fmt.Fprintf(os.Stdout, format+"\n", args...)
		mu.Unlock()
	}
	say("ready")
	iter := os.Getenv(envCrashIter)
	for g := range 4 {
		go func() {
			for i := 0; ; i++ {
				id := fmt.Sprintf("i%s-g%d-%06d", iter, g, i)
				if _, err := d.Create(context.Background(), crashRecord(id, 1)); err != nil {
					say("error create: %v", err)
					os.Exit(3)
				}
				say("ack %s", id)
			}
		}()
	}
	for n := 1; ; n++ {
		name := fmt.Sprintf("b-%s-%d", iter, n)
		if _, err := d.BackupDir(context.Background(), filepath.Join(dir, name)); err != nil {
			say("error backup: %v", err)
			os.Exit(3)
		}
		say("backup %s", name)
	}
}

func TestBackupCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is not short")
	}
	kills := *backupKills
	if os.Getenv("CXKIT_LONG") == "1" {
		kills = max(kills, 300)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("kills=%d seed=%d", kills, seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	dir := t.TempDir()
	acked := map[string]bool{}
	backups, partial := 0, 0
	for i := range kills {
		if i%50 == 0 && i > 0 {
			dir = t.TempDir()
			clear(acked)
		}
		lines := runChild(t, "TestBackupCrashChild", []string{envBackupDir + "=" + dir, envCrashIter + "=" + strconv.Itoa(i)}, time.Duration(rng.IntN(150_000))*time.Microsecond)
		done := map[string]bool{}
		for _, l := range lines {
			f := strings.Fields(l)
			switch {
			case len(f) == 2 && f[0] == "ack":
				acked[f[1]] = true
			case len(f) == 2 && f[0] == "backup":
				done[f[1]] = true
			case f[0] == "error":
				t.Fatalf("iteration %d: child: %s", i, l)
			}
		}
		src, err := Open(filepath.Join(dir, "src"))
		if err != nil {
			t.Fatalf("iteration %d: source after kill: %v", i, err)
		}
		for id := range acked {
			if _, err := src.Get(ctx, crashKind, id); err != nil {
				t.Fatalf("iteration %d: acknowledged %s: %v", i, id, err)
			}
		}
		src.Close()
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			name := e.Name()
			switch {
			case strings.HasPrefix(name, ".b-"):
				partial++
				os.RemoveAll(filepath.Join(dir, name))
			case strings.HasPrefix(name, "b-"):
				p := filepath.Join(dir, name)
				info, err := VerifyBackup(ctx, p)
				if err != nil {
					t.Fatalf("iteration %d: backup %s exists but %v (reported done: %v)", i, name, err, done[name])
				}
				b, err := Open(p)
				if err != nil || b.Stats().Records != info.Records {
					t.Fatalf("iteration %d: backup %s: open %v", i, name, err)
				}
				b.Close()
				os.RemoveAll(p)
				backups++
				delete(done, name)
			}
		}
		if len(done) > 0 {
			t.Fatalf("iteration %d: backups reported done but missing: %v", i, done)
		}
	}
	t.Logf("%d kills: %d whole backups checked, %d cut short by the kill left only a temporary directory", kills, backups, partial)
}
