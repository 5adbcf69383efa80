//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package file

import (
	"errors"
	"os"
	"syscall"
)

var errWouldBlock = errors.New("lock held")

// lockFile uses flock(2): the lock belongs to the open file description, so
// a second open of the LOCK file in this same process conflicts too, which
// is what keeps two Drivers in one process apart.
func lockFile(f *os.File, _ string) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch err {
		case nil:
			return nil
		case syscall.EINTR:
			continue
		case syscall.EWOULDBLOCK:
			return errWouldBlock
		}
		return err
	}
}

// unlockFile is a no-op: closing the file drops the flock.
func unlockFile(*os.File, string) {}
