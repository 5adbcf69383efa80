package assessment

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
)

//go:embed catalogues/*.json
var builtinFS embed.FS

// The IDs of the built-in catalogues.
const (
	// FactorsCatalogue: the ten factors driving customer service
	// performance.
	FactorsCatalogue = "cxkit-factors"
	// CultureCatalogue: the four areas of a customer service culture
	// (financial, customer focus, growth and learning, business processes
	// and technology).
	CultureCatalogue = "cxkit-culture"
	// AuditCatalogue: the customer service audit checklist, rated met,
	// partly met or not met, with its evidence sources.
	AuditCatalogue = "cxkit-audit"
)

// Builtin returns fresh copies of the built-in catalogues, parsed from the
// embedded JSON through the same loader a user's catalogue goes through.
// The copies are the caller's to change.
func Builtin() ([]*Catalogue, error) {
	names, err := fs.Glob(builtinFS, "catalogues/*.json")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	out := make([]*Catalogue, 0, len(names))
	for _, n := range names {
		data, err := builtinFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		c, err := ParseCatalogue(data)
		if err != nil {
			return nil, fmt.Errorf("assessment: built-in catalogue %s: %w", n, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// BuiltinCatalogue returns a fresh copy of the built-in catalogue with the
// given ID.
func BuiltinCatalogue(id string) (*Catalogue, error) {
	cs, err := Builtin()
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.ID == id {
			return c, nil
		}
	}
	return nil, invalidf("catalogue.id", "must name a built-in catalogue (%s, %s, %s), got %q", FactorsCatalogue, CultureCatalogue, AuditCatalogue, id)
}
