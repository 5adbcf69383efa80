package assessment

import (
	"errors"
	"github.com/cxkit/cxkit"
	"os"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/store"
)

func loadMini(t testing.TB) *Catalogue {
	t.Helper()
	f, err := os.Open("testdata/mini.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := DecodeCatalogue(f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDecodeCatalogueValid(t *testing.T) {
	c := loadMini(t)
	if c.Key() != "mini@1" {
		t.Errorf("key = %q, want mini@1 (numeric version read as text)", c.Key())
	}
	if c.Len() != 8 {
		t.Errorf("Len = %d, want 8", c.Len())
	}
	s, f, ok := c.Statement("b2")
	if !ok || f.ID != "b" || s.Number != 2 {
		t.Errorf("Statement(b2) = %+v, %+v, %v", s, f, ok)
	}
	if _, _, ok := c.Statement("zz"); ok {
		t.Error("Statement(zz) found")
	}
}

// catalogueJSONWith builds a catalogue document from a factors fragment.
func catalogueJSONWith(scale, factors string) string {
	return `{"id":"t","version":"1","title":"T","scale":"` + scale + `","factors":` + factors + `}`
}

func TestDecodeCatalogueRejects(t *testing.T) {
	one := `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"}]}]`
	tests := []struct {
		name, doc, field, rule string
		unknownScale           bool
	}{
		{"unknown scale", catalogueJSONWith("stars7", one), "catalogue.scale", "must be a known scale", true},
		{"empty scale", catalogueJSONWith("", one), "catalogue.scale", "must be a known scale", true},
		{"duplicate statement ID", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"},{"id":"s1","number":2,"text":"y"}]}]`),
			"catalogue.factors[0].statements[1].id", "must be unique", false},
		{"duplicate statement ID across factors", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"}]},{"id":"g","number":2,"title":"G","statements":[{"id":"s1","number":1,"text":"y"}]}]`),
			"catalogue.factors[1].statements[0].id", "must be unique in the catalogue", false},
		{"duplicate factor ID", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"}]},{"id":"f","number":2,"title":"G","statements":[{"id":"s2","number":1,"text":"y"}]}]`),
			"catalogue.factors[1].id", "must be unique", false},
		{"empty text", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"  "}]}]`),
			"catalogue.factors[0].statements[0].text", "must not be empty", false},
		{"empty title", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"","statements":[{"id":"s1","number":1,"text":"x"}]}]`),
			"catalogue.factors[0].title", "must not be empty", false},
		{"statement numbering gap", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"},{"id":"s2","number":3,"text":"y"}]}]`),
			"catalogue.factors[0].statements[1].number", "must be 2", false},
		{"factor numbering", catalogueJSONWith("agree5", `[{"id":"f","number":2,"title":"F","statements":[{"id":"s1","number":1,"text":"x"}]}]`),
			"catalogue.factors[0].number", "must be 1", false},
		{"no statements", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[]}]`),
			"catalogue.factors[0].statements", "must not be empty", false},
		{"no factors", catalogueJSONWith("agree5", `[]`), "catalogue.factors", "must not be empty", false},
		{"bad ID characters", catalogueJSONWith("agree5", `[{"id":"f g","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"}]}]`),
			"catalogue.factors[0].id", "must be ASCII letters", false},
		{"empty statement ID", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[{"id":"","number":1,"text":"x"}]}]`),
			"catalogue.factors[0].statements[0].id", "must not be empty", false},
		{"factor ID equals statement ID", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[{"id":"f","number":1,"text":"x"}]}]`),
			"catalogue.factors[0].statements[0].id", "must differ from every factor ID", false},
		// Issue 15: unknown fields and type errors name their full path, and
		// nothing may follow the catalogue object.
		{"unknown field", `{"id":"t","version":"1","title":"T","scale":"agree5","factorz":[]}`, "catalogue.factorz", "is not a field", false},
		{"unknown field deep", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"},{"id":"s2","number":2,"txt":"y"}]}]`),
			"catalogue.factors[0].statements[1].txt", "is not a field", false},
		{"type error deep", catalogueJSONWith("agree5", `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"},{"id":"s2","number":"2","text":"y"}]}]`),
			"catalogue.factors[0].statements[1].number", "must be a whole number", false},
		{"type error top", `{"id":7,"version":"1","title":"T","scale":"agree5","factors":` + one + `}`, "catalogue.id", "must be a string", false},
		{"trailing data", catalogueJSONWith("agree5", one) + `{"id":"u"}`, "catalogue", "nothing after it", false},
		{"trailing garbage", catalogueJSONWith("agree5", one) + ` x`, "catalogue", "nothing after it", false},
		{"missing version", `{"id":"t","title":"T","scale":"agree5","factors":` + one + `}`, "catalogue.version", "must not be empty", false},
		{"version of wrong type", `{"id":"t","version":true,"title":"T","scale":"agree5","factors":` + one + `}`, "catalogue.version", "must be a string or a number", false},
		{"not JSON", `{"id":`, "catalogue", "must be one JSON object", false},
		{"duplicate source", `{"id":"t","version":"1","title":"T","scale":"met3","factors":` + one + `,"sources":["survey","survey"]}`, "catalogue.sources[1].id", "must be unique", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCatalogue([]byte(tt.doc))
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			var ve *cxkit.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v is not a *cxkit.ValidationError", err)
			}
			if ve.Field != tt.field || !strings.Contains(ve.Rule, tt.rule) {
				t.Errorf("got %q, want field %q and rule containing %q", err, tt.field, tt.rule)
			}
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("%v does not wrap store.ErrInvalid", err)
			}
			if got := errors.Is(err, ErrUnknownScale); got != tt.unknownScale {
				t.Errorf("errors.Is(err, ErrUnknownScale) = %v, want %v", got, tt.unknownScale)
			}
		})
	}
}

func TestDecodeCatalogueCustomScale(t *testing.T) {
	doc := catalogueJSONWith("stars3", `[{"id":"f","number":1,"title":"F","statements":[{"id":"s1","number":1,"text":"x"}]}]`)
	stars := Scale{ID: "stars3", Points: []Point{{1, "one star"}, {2, "two stars"}, {3, "three stars"}}}
	if _, err := ParseCatalogue([]byte(doc)); !errors.Is(err, ErrUnknownScale) {
		t.Fatalf("without the scale: %v, want ErrUnknownScale", err)
	}
	if _, err := ParseCatalogue([]byte(doc), WithScales(stars)); err != nil {
		t.Fatalf("with the scale: %v", err)
	}
	bad := Scale{ID: "stars3", Points: []Point{{1, "one"}, {1, "also one"}}}
	_, err := ParseCatalogue([]byte(doc), WithScales(bad))
	var ve *cxkit.ValidationError
	if !errors.As(err, &ve) || ve.Field != "scale.points[1].value" {
		t.Fatalf("bad scale: %v, want an error on scale.points[1].value", err)
	}
}

func TestBuiltinCatalogues(t *testing.T) {
	cs, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{FactorsCatalogue: ScaleAgree5, CultureCatalogue: ScaleAgree5, AuditCatalogue: ScaleMet3}
	if len(cs) != len(want) {
		t.Fatalf("got %d built-in catalogues, want %d", len(cs), len(want))
	}
	for _, c := range cs {
		if want[c.ID] != c.Scale {
			t.Errorf("catalogue %s: scale %q, want %q", c.ID, c.Scale, want[c.ID])
		}
	}
	// Copies are independent: changing one does not change the next.
	cs[0].Factors[0].Statements[0].Text = "changed"
	again, _ := Builtin()
	if again[0].Factors[0].Statements[0].Text == "changed" {
		t.Error("Builtin returned shared data")
	}
	audit, err := BuiltinCatalogue(AuditCatalogue)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{SourceObservation, SourceFeedbackForms, SourceComplaintForms, SourceSurveys, SourceQuestionnaires, SourceThirdParties} {
		found := false
		for _, s := range audit.Sources {
			found = found || s.ID == src
		}
		if !found {
			t.Errorf("audit catalogue lacks source %q", src)
		}
	}
	if _, err := BuiltinCatalogue("nope"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("BuiltinCatalogue(nope) = %v, want store.ErrInvalid", err)
	}
}
