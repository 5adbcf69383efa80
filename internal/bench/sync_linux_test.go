//go:build linux

package bench_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// BenchmarkSyncPatterns measures what one durable commit of ~1 KiB costs
// on this disk with each way of appending to a log, to tell how much of a
// driver's 1-writer rate is the disk and how much is the pattern:
//
//   - append+fsync: grow the file and fsync (metadata too), as os.File.Sync does;
//   - append+fdatasync: grow the file and fdatasync (the size still forces a journal commit);
//   - prealloc+fdatasync: write into space fallocated ahead and fdatasync
//     (ext4 still journals the conversion of unwritten extents);
//   - prezeroed+fdatasync: write into space zero-filled and synced ahead
//     (data only: no size or extent change per commit);
//   - ring+fdatasync: overwrite the same block, as SQLite reuses its WAL.
func BenchmarkSyncPatterns(b *testing.B) {
	frame := make([]byte, 1100)
	for _, p := range []struct {
		name     string
		prealloc bool
		zeroed   bool
		ring     bool
		sync     func(f *os.File) error
	}{
		{"append+fsync", false, false, false, func(f *os.File) error { return f.Sync() }},
		{"append+fdatasync", false, false, false, fdatasync},
		{"prealloc+fdatasync", true, false, false, fdatasync},
		{"prezeroed+fdatasync", false, true, false, fdatasync},
		{"ring+fdatasync", false, false, true, fdatasync},
	} {
		b.Run(p.name, func(b *testing.B) {
			f, err := os.Create(filepath.Join(b.TempDir(), "log"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			if p.prealloc {
				if err := syscall.Fallocate(int(f.Fd()), 0, 0, 256<<20); err != nil {
					b.Skip("fallocate:", err)
				}
				f.Sync()
			}
			if p.zeroed {
				// enough for 20k commits; a log would zero the next chunk ahead
				if _, err := f.WriteAt(make([]byte, 24<<20), 0); err != nil {
					b.Fatal(err)
				}
				f.Sync()
			}
			var off int64
			for b.Loop() {
				if _, err := f.WriteAt(frame, off); err != nil {
					b.Fatal(err)
				}
				if !p.ring {
					off += int64(len(frame))
				}
				if err := p.sync(f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
	}
}

func fdatasync(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }
