package classify

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user and system CPU time so far. A benchmark
// that reports it per op (cpu-ns/op) is steadier than ns/op on a machine
// shared with other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds cpu-ns/op to b from a cpuTime taken before the loop.
func reportCPU(b *testing.B, start time.Duration, n int) {
	if n > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
	}
}
