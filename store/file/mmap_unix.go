//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package file

import (
	"strconv"
	"syscall"
)

// mapLog maps the first length bytes of f read-only, shared, so that reads
// copy records straight out of the page cache with no system call; or
// returns nil (reads then use ReadAt) when f is not a plain file (a test's
// wrapper), the platform is 32-bit, or mmap fails. length may exceed the
// file: only offsets of frames already written are ever read.
func mapLog(f logFile, length int64) []byte {
	fd, ok := f.(interface{ Fd() uintptr })
	if !ok || strconv.IntSize < 64 || length <= 0 {
		return nil
	}
	b, err := syscall.Mmap(int(fd.Fd()), 0, int(length), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return b
}

func unmapLog(b []byte) {
	if b != nil {
		syscall.Munmap(b)
	}
}
