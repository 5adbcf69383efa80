//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package file

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
)

var errWouldBlock = errors.New("lock held")

// On systems without flock the lock only keeps Drivers of this process
// apart: a registry of locked directories. Two processes are not excluded;
// the package documentation says so.
var (
	lockedMu sync.Mutex
	locked   = map[string]bool{}
)

func lockFile(_ *os.File, dir string) error {
	name, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	lockedMu.Lock()
	defer lockedMu.Unlock()
	if locked[name] {
		return errWouldBlock
	}
	locked[name] = true
	return nil
}

func unlockFile(_ *os.File, dir string) {
	name, _ := filepath.Abs(dir)
	lockedMu.Lock()
	delete(locked, name)
	lockedMu.Unlock()
}
