//go:build linux

package file

import "syscall"

// syncData makes a log's written data durable. On Linux it is fdatasync,
// which skips the inode's timestamps: with the log grown ahead in zeros, a
// commit then flushes its data blocks and no journal transaction, where
// fsync would commit the journal for the new mtime on every write. When
// the file size did change, fdatasync flushes it too, as recovery needs.
// A wrapped file (the tests' fault injection) gets its own Sync.
func syncData(f logFile) error {
	fd, ok := f.(interface{ Fd() uintptr })
	if !ok {
		return f.Sync()
	}
	for {
		err := syscall.Fdatasync(int(fd.Fd()))
		if err != syscall.EINTR {
			return err
		}
	}
}
