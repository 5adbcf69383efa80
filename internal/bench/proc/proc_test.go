package proc

import (
	"runtime"
	"testing"
)

func TestStatus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/self/status is Linux's")
	}
	rss, err := Status("VmRSS")
	if err != nil || rss <= 0 {
		t.Fatalf("Status(VmRSS) = %d, %v; want a positive size", rss, err)
	}
	if _, err := Status("NoSuchLine"); err == nil {
		t.Fatal("a missing line gave no error")
	}
}
