package file

import (
	"fmt"
	"os"

	"github.com/cxkit/cxkit/store"
)

// lockDir takes the exclusive lock on the directory's LOCK file, failing at
// once with store.ErrLocked if another process, or another Driver in this
// one, holds it. The lock lives as long as the returned file is open; the
// operating system drops it when the process dies, so a crash never leaves
// a stale lock behind.
func lockDir(root *os.Root, dir string) (*os.File, error) {
	f, err := root.OpenFile(lockName, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("file: open lock file in %s: %w", dir, err)
	}
	if err := lockFile(f, dir); err != nil {
		f.Close()
		if err == errWouldBlock {
			return nil, &store.Error{Op: "open", Err: fmt.Errorf("%w: %s is in use by another process or another open Driver", store.ErrLocked, dir)}
		}
		return nil, fmt.Errorf("file: lock %s: %w", dir, err)
	}
	return f, nil
}
