//go:build !linux

package file

// syncData makes a log's written data durable: elsewhere than on Linux,
// os.File.Sync (F_FULLFSYNC on macOS, fsync on the BSDs).
func syncData(f logFile) error { return f.Sync() }
