// Package proc reads what Linux says about the running process, for the
// benchmarks' memory figures.
package proc

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Status reads a "kB" line of /proc/self/status (VmRSS, RssAnon, ...), in
// bytes.
func Status(key string) (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", key)
}
