package growth

import (
	"bytes"
	"context"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/complaints"
)

func TestMain(m *testing.M) {
	ChildMain()
	os.Exit(m.Run())
}

var (
	flagSizes   = flag.String("growth.sizes", "", "store sizes for TestGrowth (default: a tiny smoke run)")
	flagDrivers = flag.String("growth.drivers", "", "drivers for TestGrowth (default: file, and postgres when CXKIT_POSTGRES_DSN is set)")
	flagMonth   = flag.Int("growth.month", 0, "complaints in the month (default 2000, 40 in the smoke run)")
	flagRounds  = flag.Int("growth.rounds", 0, "rounds of each report (default 5, 2 in the smoke run)")
)

// TestGrowth runs the growth benchmark. Without flags it is a smoke run
// at two tiny sizes, which checks what the measurements rest on: every
// operation is measured at every size, and the month's reports, the due
// list and the first sweep give the same answers at both sizes (Run
// fails otherwise). With -growth.sizes it measures for real:
//
//	go test -run TestGrowth -v -timeout 0 -growth.sizes 10000,100000 .
func TestGrowth(t *testing.T) {
	o := Options{Complaints: true, Feedback: true, Month: 40, Rounds: 2, Sizes: []int{120, 240}, Drivers: []string{DriverFile}, DSN: os.Getenv("CXKIT_POSTGRES_DSN"), Dir: t.TempDir()}
	if *flagSizes != "" {
		o.Month, o.Rounds, o.Sizes = 2000, 5, nil
		for _, s := range strings.Split(*flagSizes, ",") {
			n, err := strconv.Atoi(s)
			if err != nil {
				t.Fatal(err)
			}
			o.Sizes = append(o.Sizes, n)
		}
	}
	if o.DSN != "" {
		o.Drivers = append(o.Drivers, DriverPostgres)
	}
	if *flagDrivers != "" {
		o.Drivers = strings.Split(*flagDrivers, ",")
	}
	if *flagMonth > 0 {
		o.Month = *flagMonth
	}
	if *flagRounds > 0 {
		o.Rounds = *flagRounds
	}
	var progress bytes.Buffer
	o.Log = &progress
	ms, err := Run(context.Background(), o)
	t.Log("\n" + progress.String())
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	WriteTable(&table, ms)
	t.Log(table.String())

	seen := map[string]int{}
	for _, m := range ms {
		seen[m.Driver+"|"+m.Op]++
		if m.Rounds < 1 || m.Min > m.Value || m.Value > m.Max {
			t.Errorf("%s %s at %d: median %v outside [%v, %v] over %d rounds", m.Driver, m.Op, m.Size, m.Value, m.Min, m.Max, m.Rounds)
		}
	}
	for _, drv := range o.Drivers {
		for _, op := range Ops() {
			if (op == OpExportFirst || op == OpExportMid || op == OpExportLast) && o.Sizes[0] < 2000 {
				continue // two runs of 1,000 rows need 2,000 complaints
			}
			if seen[drv+"|"+op] != len(o.Sizes) {
				t.Errorf("%s: %q measured at %d sizes, want %d", drv, op, seen[drv+"|"+op], len(o.Sizes))
			}
		}
	}
	if !strings.Contains(table.String(), "| "+OpPareto+" |") || !strings.Contains(table.String(), sizeName(o.Sizes[1])+" / "+sizeName(o.Sizes[0])) {
		t.Errorf("the table lacks the Pareto row or the ratio column:\n%s", table.String())
	}
}

func TestMonthHeldFixed(t *testing.T) {
	// The month's complaints come from their own seed: the same at every
	// size, whatever the history before them.
	a, b := monthComplaints(50), monthComplaints(50)
	for i := range a {
		if a[i].Received != b[i].Received || a[i].Status != b[i].Status || a[i].Category != b[i].Category {
			t.Fatalf("complaint %d differs between two calls", i)
		}
		if a[i].Received.Before(monthStart) || !a[i].Received.Before(monthEnd) {
			t.Fatalf("complaint %d received %v, outside the month", i, a[i].Received)
		}
	}
	total := 0
	err := history(1000, 100, 300, func(cs []complaints.Complaint) error {
		for _, c := range cs {
			if !c.Received.Before(monthStart) || c.Status != complaints.StatusClosed || !c.Closed.Before(now) || c.Received.Before(historyFrom(1000, 100)) {
				t.Fatalf("history complaint received %v, %s, closed %v: want received in the history and closed before now", c.Received, c.Status, c.Closed)
			}
		}
		total += len(cs)
		return nil
	})
	if err != nil || total != 1000 {
		t.Fatalf("history gave %d complaints (%v), want 1000", total, err)
	}
}
