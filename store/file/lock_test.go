package file

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/store"
)

const envLockDir = "CXKIT_FILE_LOCK_DIR"

// TestLockInProcess: a second Open of the same directory fails at once with
// ErrLocked, and succeeds once the first is closed.
func TestLockInProcess(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	// The same directory by another path is the same lock.
	if _, err := Open(filepath.Join(dir, ".", "")); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second Open by another path = %v, want ErrLocked", err)
	}
	d.Close()
	d2, err := Open(dir)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	d2.Close()
}

// TestLockChild is TestLockOtherProcess's child: it tries to open the
// directory and prints what happened.
func TestLockChild(t *testing.T) {
	dir := os.Getenv(envLockDir)
	if dir == "" {
		t.Skip("only runs as TestLockOtherProcess's child")
	}
	d, err := Open(dir)
	switch {
	case errors.Is(err, store.ErrLocked):
		fmt.Println("result: locked:", err)
	case err != nil:
		fmt.Println("result: error:", err)
	default:
		fmt.Println("result: opened")
		d.Close()
	}
}

// TestLockOtherProcess: another process gets ErrLocked while this one
// holds the directory, and can open it once this one lets go.
func TestLockOtherProcess(t *testing.T) {
	dir := t.TempDir()
	child := func() string {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLockChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envLockDir+"="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if r, ok := strings.CutPrefix(l, "result: "); ok {
				return r
			}
		}
		t.Fatalf("child said nothing:\n%s", out)
		return ""
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := child(); !strings.HasPrefix(got, "locked") {
		t.Fatalf("child while locked: %s", got)
	}
	d.Close()
	if got := child(); got != "opened" {
		t.Fatalf("child after Close: %s", got)
	}
}

// TestPathEscape: every file is opened through an os.Root, so a symlink in
// the directory that points outside it is refused, not followed.
func TestPathEscape(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	os.WriteFile(secret, []byte(fileMagic), 0o644)

	for _, name := range []string{logName(1), lockName} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Symlink(secret, filepath.Join(dir, name)); err != nil {
				t.Skip("no symlinks:", err)
			}
			d, err := Open(dir)
			if err == nil {
				d.Close()
				t.Fatalf("Open followed a symlink %s out of the directory", name)
			}
			if !strings.Contains(err.Error(), "escapes") {
				t.Fatalf("Open = %v, want os.Root's path escape error", err)
			}
		})
	}
	if b, _ := os.ReadFile(secret); string(b) != fileMagic {
		t.Fatalf("file outside the directory changed: %q", b)
	}
}
