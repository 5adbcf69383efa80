//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package file

// Without mmap, every read is a ReadAt.
func mapLog(logFile, int64) []byte { return nil }

func unmapLog([]byte) {}
