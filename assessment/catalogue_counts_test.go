package assessment

// This test guards the built-in catalogues in catalogues/*.json as data: it
// decodes them with encoding/json into its own small structs (so it does not
// depend on the package's Catalogue type) and checks them against the source
// checklists they restate. The expected counts were verified by reading the
// seed documents; catalogues/COUNTS.md gives the seed line numbers.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

type countsCatalogue struct {
	ID      string         `json:"id"`
	Version string         `json:"version"`
	Title   string         `json:"title"`
	Source  string         `json:"source"`
	Scale   string         `json:"scale"`
	Factors []countsFactor `json:"factors"`
	Sources []string       `json:"sources"`
}

type countsFactor struct {
	ID         string            `json:"id"`
	Number     int               `json:"number"`
	Title      string            `json:"title"`
	Statements []countsStatement `json:"statements"`
}

type countsStatement struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
	Text   string `json:"text"`
}

type countsWant struct {
	id    string
	count int
}

type countsFile struct {
	file    string
	id      string
	scale   string
	factors []countsWant
	sources []string // audit only
}

var countsFiles = []countsFile{
	{
		file:  "factors.json",
		id:    "cxkit-factors",
		scale: "agree5",
		factors: []countsWant{
			{"leadership", 22},            // seed 000, "Leadership and Customer service", items at lines 29-89
			{"policy-standards", 11},      // seed 000, "Policy and standards", lines 93-123
			{"planning", 13},              // seed 000, "Planning and implementing customer service requirements", lines 127-160
			{"monitoring", 19},            // seed 000, "Monitoring, adjusting and reporting customer service performance", lines 163-224
			{"reducing-unacceptable", 21}, // seed 000, "Reducing Unacceptable Customer Service", lines 230-283 (item 20 at line 280 is indented)
			{"creativity", 21},            // seed 002, "Creativity and Innovation", lines 28-76
			{"perceptions", 22},           // seed 002, "Customer Perceptions", lines 81-159 (unnumbered line 159 folded into item 22)
			{"improving-perceptions", 24}, // seed 002, "Improving Customer Perceptions", lines 164-222
			{"systems-procedures", 20},    // seed 002, "Customer Service Systems and Procedures", lines 227-280
			{"improving-service", 23},     // seed 002, "Improving Customer Service", lines 283-331
		},
	},
	{
		file:  "culture.json",
		id:    "cxkit-culture",
		scale: "agree5",
		factors: []countsWant{
			{"financial", 7},             // seed 004, Tool A.1 "Financial", bullets at lines 16-22
			{"customer-focus", 13},       // seed 004, Tool A.1 "Customer Focus", bullets at lines 25-39
			{"growth-learning", 10},      // seed 004, Tool A.1 "Growth and Learning", bullets at lines 43-54
			{"processes-technology", 11}, // seed 004, Tool A.1 "Business Processes and Technology", bullets at lines 59-71 (page text truncated after line 71)
		},
	},
	{
		file:  "audit.json",
		id:    "cxkit-audit",
		scale: "met3",
		// seed 003: the six areas an audit may examine (lines 131-136), each
		// with the six things an audit includes (lines 114-119).
		factors: []countsWant{
			{"communication", 6},      // seed 003 line 131, "communication with customers"
			{"promptness", 6},         // seed 003 line 132, "promptness with orders, deliveries, etc."
			{"flexibility", 6},        // seed 003 line 133, "flexibility within each situation"
			{"information", 6},        // seed 003 line 134, "provision of information"
			{"problem-handling", 6},   // seed 003 line 135, "handling of problems"
			{"feedback-provision", 6}, // seed 003 line 136, "provision of feedback"
		},
		// seed 003 lines 122-125: observing staff, feedback forms, complaint
		// forms, surveys, questionnaires, third parties.
		sources: []string{"observation", "feedback-forms", "complaint-forms", "surveys", "questionnaires", "third-parties"},
	},
}

// countsSeedDir is where the source checklists live relative to this package.
const countsSeedDir = "../../shared/seeds"

// countsMaxSharedRun: a statement may not share a run of this many
// consecutive (normalised) words with any seed document: the project rule
// allows no verbatim phrase of six words or more (titles, being names, are
// not checked).
const countsMaxSharedRun = 6

func countsLoad(t *testing.T, file string) countsCatalogue {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("catalogues", file))
	if err != nil {
		t.Fatalf("reading %s: %v", file, err)
	}
	var c countsCatalogue
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("decoding %s: %v", file, err)
	}
	return c
}

func TestCatalogueCounts(t *testing.T) {
	for _, want := range countsFiles {
		t.Run(want.file, func(t *testing.T) {
			c := countsLoad(t, want.file)
			if c.ID != want.id {
				t.Errorf("id = %q, want %q", c.ID, want.id)
			}
			if c.Scale != want.scale {
				t.Errorf("scale = %q, want %q", c.Scale, want.scale)
			}
			if strings.TrimSpace(c.Version) == "" || strings.TrimSpace(c.Title) == "" || strings.TrimSpace(c.Source) == "" {
				t.Errorf("version, title and source must not be empty: %q, %q, %q", c.Version, c.Title, c.Source)
			}
			if len(c.Factors) != len(want.factors) {
				t.Fatalf("%d factors, want %d", len(c.Factors), len(want.factors))
			}
			seen := map[string]string{}
			use := func(id, where string) {
				if prev, dup := seen[id]; dup {
					t.Errorf("%s: id %q already used by %s", where, id, prev)
				}
				seen[id] = where
			}
			for i, f := range c.Factors {
				wf := want.factors[i]
				where := fmt.Sprintf("factors[%d]", i)
				if f.ID != wf.id {
					t.Errorf("%s: id = %q, want %q", where, f.ID, wf.id)
				}
				use(f.ID, where)
				if f.Number != i+1 {
					t.Errorf("%s (%s): number = %d, want %d", where, f.ID, f.Number, i+1)
				}
				if strings.TrimSpace(f.Title) == "" {
					t.Errorf("%s (%s): empty title", where, f.ID)
				}
				if len(f.Statements) != wf.count {
					t.Errorf("%s (%s): %d statements, want %d (the seed's count)", where, f.ID, len(f.Statements), wf.count)
				}
				for k, s := range f.Statements {
					swhere := fmt.Sprintf("%s.statements[%d]", where, k)
					if wantID := fmt.Sprintf("%s-%02d", f.ID, k+1); s.ID != wantID {
						t.Errorf("%s: id = %q, want %q", swhere, s.ID, wantID)
					}
					use(s.ID, swhere)
					if s.Number != k+1 {
						t.Errorf("%s (%s): number = %d, want %d", swhere, s.ID, s.Number, k+1)
					}
					if strings.TrimSpace(s.Text) == "" {
						t.Errorf("%s (%s): empty text", swhere, s.ID)
					}
				}
			}
			if want.sources == nil {
				if len(c.Sources) != 0 {
					t.Errorf("sources = %v, want none (audit catalogue only)", c.Sources)
				}
			} else if strings.Join(c.Sources, ",") != strings.Join(want.sources, ",") {
				t.Errorf("sources = %v, want %v", c.Sources, want.sources)
			}
		})
	}

	t.Run("no-seed-wording", func(t *testing.T) {
		grams := countsSeedGrams(t)
		for _, want := range countsFiles {
			c := countsLoad(t, want.file)
			for _, f := range c.Factors {
				for _, s := range f.Statements {
					w := countsWords(s.Text)
					for i := 0; i+countsMaxSharedRun <= len(w); i++ {
						run := strings.Join(w[i:i+countsMaxSharedRun], " ")
						if src, ok := grams[run]; ok {
							t.Errorf("%s %s shares %d words with seed %s: %q", want.file, s.ID, countsMaxSharedRun, src, run)
							break
						}
					}
				}
			}
		}
	})
}

// countsSeedGrams returns every run of countsMaxSharedRun words in the seed
// documents, mapped to the file it came from. It skips the test when the
// seeds are not available (for example outside the project workspace).
func countsSeedGrams(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(countsSeedDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("seed documents not found in %s (relative to package assessment); skipping the copied-wording check", countsSeedDir)
	}
	grams := map[string]string{}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("reading seed %s: %v", path, err)
		}
		w := countsWords(string(data))
		for i := 0; i+countsMaxSharedRun <= len(w); i++ {
			grams[strings.Join(w[i:i+countsMaxSharedRun], " ")] = filepath.Base(path)
		}
	}
	return grams
}

// countsWords lower-cases s and splits it into runs of letters and digits, so
// punctuation, line wraps and PDF-extraction spacing do not hide a shared run.
func countsWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
