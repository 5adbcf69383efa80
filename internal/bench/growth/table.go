package growth

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// WriteTable writes one Markdown table per driver: each operation's cost
// at every size, and its growth ratios (the cost at a size divided by the
// cost at the smallest). A one-month report that costs the month, not the
// store, has ratios near 1.
func WriteTable(w io.Writer, ms []Measurement) {
	var drivers []string
	var sizes []int
	for _, m := range ms {
		if !slices.Contains(drivers, m.Driver) {
			drivers = append(drivers, m.Driver)
		}
		if !slices.Contains(sizes, m.Size) {
			sizes = append(sizes, m.Size)
		}
	}
	slices.Sort(sizes)
	for _, drv := range drivers {
		fmt.Fprintf(w, "\n%s\n\n| operation |", drv)
		for _, n := range sizes {
			fmt.Fprintf(w, " %s |", sizeName(n))
		}
		for _, n := range sizes[1:] {
			fmt.Fprintf(w, " %s / %s |", sizeName(n), sizeName(sizes[0]))
		}
		fmt.Fprint(w, "\n|---|")
		fmt.Fprint(w, strings.Repeat("---:|", 2*len(sizes)-1), "\n")
		for _, op := range Ops() {
			// Several runs of one size (kept with -json) are merged: the
			// median of their medians.
			row := make([]*Measurement, len(sizes))
			runs := make([][]float64, len(sizes))
			any := false
			for i := range ms {
				m := &ms[i]
				if m.Driver == drv && m.Op == op {
					j := slices.Index(sizes, m.Size)
					row[j] = m
					runs[j] = append(runs[j], m.Value)
					any = true
				}
			}
			for j, vs := range runs {
				if len(vs) > 1 {
					m := *row[j]
					m.Value = median(vs)
					row[j] = &m
				}
			}
			if !any {
				continue
			}
			fmt.Fprintf(w, "| %s |", op)
			for _, m := range row {
				if m == nil {
					fmt.Fprint(w, " |")
				} else {
					fmt.Fprintf(w, " %s |", format(m.Value, m.Unit))
				}
			}
			for _, m := range row[1:] {
				if m == nil || row[0] == nil || row[0].Value <= 0 {
					fmt.Fprint(w, " |")
				} else {
					fmt.Fprintf(w, " %.2fx |", m.Value/row[0].Value)
				}
			}
			fmt.Fprintln(w)
		}
	}
}

// sizeName writes 10000 as 10k and 1000000 as 1M.
func sizeName(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return strconv.Itoa(n/1_000_000) + "M"
	case n >= 1000 && n%1000 == 0:
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}

func format(v float64, unit string) string {
	switch {
	case unit == "ms" && v >= 1000:
		return strconv.FormatFloat(v/1000, 'f', 2, 64) + " s"
	case unit == "ms" && v < 1:
		return strconv.FormatFloat(v*1000, 'f', 0, 64) + " µs"
	case unit == "ms" && v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64) + " ms"
	case unit == "ms":
		return strconv.FormatFloat(v, 'f', 1, 64) + " ms"
	case unit == "B":
		return strconv.FormatFloat(math.Max(v, 0), 'f', 0, 64) + " B"
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + unit
}

func median(vs []float64) float64 {
	s := slices.Sorted(slices.Values(vs))
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}
