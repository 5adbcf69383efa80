package chart

import (
	"encoding/xml"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// element is one parsed SVG element.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

// parse checks that svg is well-formed XML and returns its elements in
// document order; a chart that is not well-formed breaks the whole page.
func parse(t *testing.T, svg template.HTML) []element {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	var out []element
	var stack []int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(tok)
			}
		}
	}
	if len(out) == 0 || out[0].name != "svg" {
		t.Fatalf("root is not <svg>: %s", svg)
	}
	return out
}

func byClass(es []element, class string) []element {
	var out []element
	for _, e := range es {
		for _, c := range strings.Fields(e.attrs["class"]) {
			if c == class {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

func texts(es []element) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.text)
	}
	return out
}

func attrF(t *testing.T, e element, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.attrs[name], 64)
	if err != nil {
		t.Fatalf("%s %s=%q: %v", e.name, name, e.attrs[name], err)
	}
	return v
}

func TestParetoSortsAndAccumulates(t *testing.T) {
	svg := Pareto("Complaints by category", []Bar{
		{"delivery", 3}, {"billing", 10}, {"staff", 5}, {"product", 2},
	})
	es := parse(t, svg)
	bars := byClass(es, "bar")
	if len(bars) != 4 {
		t.Fatalf("%d bars, want 4", len(bars))
	}
	if got := strings.Join(texts(byClass(es, "category")), ","); got != "billing,staff,delivery,product" {
		t.Errorf("categories in order %s; want largest first", got)
	}
	// Heights fall from left to right.
	for i := 1; i < len(bars); i++ {
		if attrF(t, bars[i], "height") > attrF(t, bars[i-1], "height") {
			t.Errorf("bar %d taller than bar %d", i, i-1)
		}
	}
	pts := byClass(es, "cumulative-point")
	if len(pts) != 4 || len(byClass(es, "cumulative")) != 1 {
		t.Fatalf("cumulative line: %d points", len(pts))
	}
	// The line rises and ends at 100%, the top of the plot (y0 = 44).
	for i := 1; i < len(pts); i++ {
		if attrF(t, pts[i], "cy") > attrF(t, pts[i-1], "cy") {
			t.Errorf("cumulative point %d lower than %d", i, i-1)
		}
	}
	if y := attrF(t, pts[3], "cy"); y != 44 {
		t.Errorf("cumulative ends at y=%v; want 44 (100%%)", y)
	}
	// billing is 10 of 20: the first point sits at 50%.
	if y, want := attrF(t, pts[0], "cy"), 256-0.5*(256-44); math.Abs(y-want) > 0.01 {
		t.Errorf("first cumulative point y=%v; want %v", y, want)
	}
	if len(byClass(es, "mark80")) != 1 {
		t.Error("no 80% mark")
	}
}

func TestParetoTiesAreStable(t *testing.T) {
	es := parse(t, Pareto("t", []Bar{{"b", 1}, {"a", 1}, {"c", 2}}))
	if got := strings.Join(texts(byClass(es, "category")), ","); got != "c,a,b" {
		t.Errorf("order %s; want c,a,b", got)
	}
}

func TestEscaping(t *testing.T) {
	evil := `<script>alert("x")</script> & co`
	charts := map[string]template.HTML{
		"pareto":    Pareto(evil, []Bar{{evil, 1}}),
		"weekly":    Weekly(evil, []string{evil}, Series{evil, []float64{1}}),
		"intervals": Intervals(evil, 0, 100, "%", []Estimate{{Label: evil, Value: 50, Low: 40, High: 60}}),
		"progress":  ProgressBars(evil, []Progress{{Label: evil, Detail: evil, Status: evil}}),
		"profile":   Profile(evil, 1, 5, 3, []Score{{Label: evil, Value: 3}}),
	}
	for name, svg := range charts {
		if strings.Contains(string(svg), "<script") {
			t.Errorf("%s: label not escaped", name)
		}
		es := parse(t, svg)
		if !strings.Contains(strings.Join(texts(es), "|"), `<script>alert("x")</script> & co`) {
			t.Errorf("%s: escaped label does not decode back to the original", name)
		}
	}
}

func TestEmptyAndBadNumbers(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name      string
		svg       template.HTML
		wantEmpty bool
	}{
		{"pareto nil", Pareto("t", nil), true},
		{"pareto all zero", Pareto("t", []Bar{{"a", 0}}), true},
		{"pareto NaN", Pareto("t", []Bar{{"a", nan}, {"b", 2}}), false},
		{"weekly no labels", Weekly("t", nil, Series{"s", nil}), true},
		{"weekly no series", Weekly("t", []string{"w1"}), true},
		{"weekly inf", Weekly("t", []string{"w1", "w2"}, Series{"s", []float64{inf}}), false},
		{"intervals none", Intervals("t", -100, 100, "", nil), true},
		{"intervals bad axis", Intervals("t", 5, 5, "", []Estimate{{Label: "a"}}), true},
		{"intervals NaN", Intervals("t", -100, 100, "", []Estimate{{Label: "a", Value: nan, Low: nan, High: inf}}), false},
		{"progress none", ProgressBars("t", nil), true},
		{"progress NaN", ProgressBars("t", []Progress{{Label: "a", Done: nan, Elapsed: inf}}), false},
		{"profile none", Profile("t", 1, 5, 3, nil), true},
		{"profile NaN", Profile("t", 1, 5, 3, []Score{{Label: "a", Value: nan}}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := string(tc.svg)
			if strings.Contains(s, "NaN") || strings.Contains(s, "Inf") || strings.Contains(s, `="n/a"`) {
				t.Fatalf("non-finite number in markup: %s", s)
			}
			es := parse(t, tc.svg)
			if got := len(byClass(es, "empty")) == 1; got != tc.wantEmpty {
				t.Errorf("says no data: %v; want %v", got, tc.wantEmpty)
			}
		})
	}
}

func TestWeekly(t *testing.T) {
	weeks := []string{"11-02", "11-09", "11-16"}
	es := parse(t, Weekly("Per week", weeks,
		Series{"complaints", []float64{4, 0, 7}},
		Series{"feedback", []float64{10, 12}}, // short: last week is zero
	))
	if n := len(byClass(es, "series-0")); n != 3 {
		t.Errorf("%d complaint bars, want 3", n)
	}
	fb := byClass(es, "series-1")
	if len(fb) != 3 {
		t.Fatalf("%d feedback bars, want 3", len(fb))
	}
	if h := attrF(t, fb[2], "height"); h != 0 {
		t.Errorf("missing value drawn with height %v", h)
	}
	if got := strings.Join(texts(byClass(es, "legend")), ","); got != "complaints,feedback" {
		t.Errorf("legend %q", got)
	}
	if got := strings.Join(texts(byClass(es, "period")), ","); got != strings.Join(weeks, ",") {
		t.Errorf("period labels %q", got)
	}
}

func TestIntervals(t *testing.T) {
	es := parse(t, Intervals("NPS", -100, 100, "", []Estimate{
		{Label: "Q1", Value: 10, Low: -5, High: 25, N: 80},
		{Label: "Q2", Value: 30, Low: 40, High: 20, N: 90}, // bounds swapped
	}))
	if n := len(byClass(es, "point")); n != 2 {
		t.Fatalf("%d points", n)
	}
	w := byClass(es, "whisker")
	if len(w) != 2 || len(byClass(es, "whisker-cap")) != 4 {
		t.Fatalf("%d whiskers", len(w))
	}
	// Axis -100..100 over y 44..240: Q1's whisker spans -5..25.
	y := func(v float64) float64 { return 240 - (v+100)/200*(240-44) }
	if got := attrF(t, w[0], "y1"); math.Abs(got-y(-5)) > 0.01 {
		t.Errorf("whisker low at %v; want %v", got, y(-5))
	}
	if got := attrF(t, w[1], "y2"); math.Abs(got-y(40)) > 0.01 {
		t.Errorf("swapped whisker high at %v; want %v", got, y(40))
	}
	if len(byClass(es, "zero")) != 1 {
		t.Error("no zero line on an axis crossing zero")
	}
	if !strings.Contains(string(Intervals("NPS", -100, 100, "", []Estimate{{Label: "Q1", N: 80}})), "n=80") {
		t.Error("tooltip lacks n")
	}
	es = parse(t, Intervals("CSAT", 0, 100, "%", []Estimate{{Label: "Q1", Value: 80, Low: 75, High: 85}}))
	if len(byClass(es, "zero")) != 0 {
		t.Error("zero line on an axis that starts at zero")
	}
}

func TestProgressColours(t *testing.T) {
	tests := []struct {
		status, want string
	}{
		{"on track", colGreen}, {"On-Track", colGreen}, {"achieved", colGreen},
		{"at risk", colAmber}, {"off track", colRed}, {"off_track", colRed},
		{"", colGrey}, {"draft", colGrey},
	}
	for _, tc := range tests {
		if got := statusColour(tc.status); got != tc.want {
			t.Errorf("statusColour(%q) = %s; want %s", tc.status, got, tc.want)
		}
	}
}

func TestProgressBars(t *testing.T) {
	es := parse(t, ProgressBars("Strategies", []Progress{
		{Label: "Fewer billing complaints", Done: 0.5, Elapsed: 0.25, Status: "on track", Detail: "14 → 9"},
		{Label: "Faster answers", Done: 1.7, Elapsed: -1, Status: "off track"},
	}))
	p := byClass(es, "done")
	tr := byClass(es, "track")
	if len(p) != 2 || len(tr) != 2 {
		t.Fatalf("%d bars, %d tracks", len(p), len(tr))
	}
	full := attrF(t, tr[0], "width")
	if got := attrF(t, p[0], "width"); math.Abs(got-full/2) > 0.01 {
		t.Errorf("half done drawn %v of %v", got, full)
	}
	if got := attrF(t, p[1], "width"); got != full {
		t.Errorf("over-achieved drawn %v; want clamped to %v", got, full)
	}
	if p[0].attrs["fill"] != colGreen || p[1].attrs["fill"] != colRed {
		t.Errorf("fills %s %s", p[0].attrs["fill"], p[1].attrs["fill"])
	}
	if got := strings.Join(texts(byClass(es, "status")), ","); got != "on track,off track" {
		t.Errorf("statuses %q", got)
	}
	el := byClass(es, "elapsed")
	if attrF(t, el[1], "x1") != attrF(t, tr[1], "x") {
		t.Error("negative elapsed not clamped to the start")
	}
}

func TestProfile(t *testing.T) {
	es := parse(t, Profile("Factors", 1, 5, 3, []Score{
		{Label: "Leadership", Value: 4, Low: 3.5, High: 4.5},
		{Label: "Systems", Value: 2},
	}))
	s := byClass(es, "score")
	if len(s) != 2 {
		t.Fatalf("%d bars", len(s))
	}
	// Scale 1..5 over x 270..664: 4 is three quarters along.
	if got, want := attrF(t, s[0], "width"), 0.75*(664-270); math.Abs(got-want) > 0.01 {
		t.Errorf("width %v; want %v", got, want)
	}
	if n := len(byClass(es, "whisker")); n != 1 {
		t.Errorf("%d whiskers; want 1 (only the factor with an interval)", n)
	}
	if got := strings.Join(texts(byClass(es, "factor")), ","); got != "Leadership,Systems" {
		t.Errorf("factor order %q; want as given", got)
	}
	if len(byClass(es, "neutral")) != 1 {
		t.Error("no neutral line")
	}
}

func TestCountTop(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{0, 4}, {-1, 4}, {3, 4}, {5, 8}, {8, 8}, {10, 12}, {13, 16}, {50, 60}, {61, 80}, {230, 240}, {1000, 1000},
	}
	for _, tc := range tests {
		got := countTop(tc.in)
		if got != tc.want || got/4 != math.Trunc(got/4) {
			t.Errorf("countTop(%v) = %v; want %v with whole quarters", tc.in, got, tc.want)
		}
	}
}
