package assessment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/cxkit/cxkit"
	"io"
	"strconv"
	"strings"
)

// A Catalogue is a versioned list of factors, each a numbered list of
// statements a team rates itself against. Catalogues are data: the built-in
// ones are embedded JSON, and a user can load their own with
// DecodeCatalogue. Statement IDs are stable across versions so that two
// assessments can be compared statement by statement.
type Catalogue struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Title   string `json:"title"`
	// Source says where the statements come from, for the reader who wants
	// to hold the catalogue beside the original.
	Source string `json:"source,omitempty"`
	// Scale is the ID of the rating scale the statements are rated on.
	Scale   string   `json:"scale"`
	Factors []Factor `json:"factors"`
	// Sources lists where evidence may come from (audit catalogues only).
	Sources []EvidenceSource `json:"sources,omitempty"`
}

// A Factor is one numbered group of statements: a factor driving service
// performance, an area of the culture tool, or an area an audit covers.
type Factor struct {
	ID         string      `json:"id"`
	Number     int         `json:"number"`
	Title      string      `json:"title"`
	Statements []Statement `json:"statements"`
}

// A Statement is one numbered thing to rate.
type Statement struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
	Text   string `json:"text"`
}

// An EvidenceSource is a kind of evidence an audit may draw on.
type EvidenceSource struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
}

// UnmarshalJSON accepts a source as an object {"id","title"} or as a bare
// string, which becomes both ID and title.
func (s *EvidenceSource) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		*s = EvidenceSource{ID: str, Title: str}
		return nil
	}
	type plain EvidenceSource
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if p.ID == "" {
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		if n, ok := m["name"].(string); ok {
			p.ID = n
		}
	}
	*s = EvidenceSource(p)
	return nil
}

// catalogueJSON lets a version be written as a number or a string.
type catalogueJSON struct {
	Catalogue
	Version json.RawMessage `json:"version"`
}

// LoadOption configures DecodeCatalogue.
type LoadOption func(*loadConfig)

type loadConfig struct{ scales []Scale }

// WithScales makes extra scales known to the loader, for catalogues that
// rate on a scale of the user's own.
func WithScales(scales ...Scale) LoadOption {
	return func(c *loadConfig) { c.scales = append(c.scales, scales...) }
}

// DecodeCatalogue reads one catalogue as JSON from r and validates it. Errors
// name the offending field: a duplicate ID, an empty text, numbering out of
// order, an unknown scale or an unknown JSON field.
func DecodeCatalogue(r io.Reader, opts ...LoadOption) (*Catalogue, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("assessment: reading catalogue: %w", err)
	}
	return ParseCatalogue(data, opts...)
}

// ParseCatalogue is DecodeCatalogue for a catalogue already in memory.
func ParseCatalogue(data []byte, opts ...LoadOption) (*Catalogue, error) {
	cfg := loadConfig{scales: BuiltinScales()}
	for _, o := range opts {
		o(&cfg)
	}
	// First the syntax and the shape, so an error names its full path;
	// then the typed decode, which cannot fail on a checked shape.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, invalidf("catalogue", "must be one JSON object: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalidf("catalogue", "must be one JSON object with nothing after it, found more data at byte %d", dec.InputOffset())
	}
	if err := shapeCatalogue.check("catalogue", raw); err != nil {
		return nil, err
	}
	var cj catalogueJSON
	if err := json.Unmarshal(data, &cj); err != nil {
		return nil, invalidf("catalogue", "must be one JSON object of the catalogue schema: %v", err)
	}
	c := cj.Catalogue
	v, err := versionString(cj.Version)
	if err != nil {
		return nil, err
	}
	c.Version = v
	if _, err := c.validate(cfg.scales); err != nil {
		return nil, err
	}
	return &c, nil
}

func versionString(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", invalidf("catalogue.version", "must be a string or a number, got %s", raw)
}

// Validate checks the catalogue against the built-in scales and any extra
// scales given: IDs present, well formed and unique, texts and titles not
// empty, numbers running 1, 2, 3 ... in order, the scale known.
func (c *Catalogue) Validate(extra ...Scale) error {
	_, err := c.validate(append(BuiltinScales(), extra...))
	return err
}

func (c *Catalogue) validate(scales []Scale) (Scale, error) {
	if err := checkID("catalogue.id", c.ID); err != nil {
		return Scale{}, err
	}
	if strings.TrimSpace(c.Version) == "" {
		return Scale{}, invalidf("catalogue.version", "must not be empty")
	}
	if strings.TrimSpace(c.Title) == "" {
		return Scale{}, invalidf("catalogue.title", "must not be empty")
	}
	scale, ok := findScale(scales, c.Scale)
	if !ok {
		known := make([]string, len(scales))
		for i, s := range scales {
			known[i] = s.ID
		}
		return Scale{}, &cxkit.ValidationError{Field: "catalogue.scale", Rule: fmt.Sprintf("must be a known scale (%s), got %q", strings.Join(known, ", "), c.Scale), Err: ErrUnknownScale}
	}
	if err := scale.Validate(); err != nil {
		return Scale{}, err
	}
	if len(c.Factors) == 0 {
		return Scale{}, invalidf("catalogue.factors", "must not be empty")
	}
	factorIDs := map[string]int{}
	statementIDs := map[string]string{}
	for i, f := range c.Factors {
		at := fmt.Sprintf("catalogue.factors[%d]", i)
		if err := checkID(at+".id", f.ID); err != nil {
			return Scale{}, err
		}
		if j, dup := factorIDs[f.ID]; dup {
			return Scale{}, invalidf(at+".id", "must be unique, %q is also factors[%d]", f.ID, j)
		}
		factorIDs[f.ID] = i
		if f.Number != i+1 {
			return Scale{}, invalidf(at+".number", "must be %d (factors are numbered 1, 2, 3 ... in order), got %d", i+1, f.Number)
		}
		if strings.TrimSpace(f.Title) == "" {
			return Scale{}, invalidf(at+".title", "must not be empty")
		}
		if len(f.Statements) == 0 {
			return Scale{}, invalidf(at+".statements", "must not be empty")
		}
		for k, s := range f.Statements {
			sat := fmt.Sprintf("%s.statements[%d]", at, k)
			if err := checkID(sat+".id", s.ID); err != nil {
				return Scale{}, err
			}
			if other, dup := statementIDs[s.ID]; dup {
				return Scale{}, invalidf(sat+".id", "must be unique in the catalogue, %q is also in factor %q", s.ID, other)
			}
			if _, dup := factorIDs[s.ID]; dup {
				return Scale{}, invalidf(sat+".id", "must differ from every factor ID, got %q", s.ID)
			}
			statementIDs[s.ID] = f.ID
			if s.Number != k+1 {
				return Scale{}, invalidf(sat+".number", "must be %d (statements are numbered 1, 2, 3 ... within a factor), got %d", k+1, s.Number)
			}
			if strings.TrimSpace(s.Text) == "" {
				return Scale{}, invalidf(sat+".text", "must not be empty")
			}
		}
	}
	for id, fi := range factorIDs {
		if _, clash := statementIDs[id]; clash {
			return Scale{}, invalidf(fmt.Sprintf("catalogue.factors[%d].id", fi), "must differ from every statement ID, got %q", id)
		}
	}
	seen := map[string]bool{}
	for i, s := range c.Sources {
		at := fmt.Sprintf("catalogue.sources[%d]", i)
		if strings.TrimSpace(s.ID) == "" {
			return Scale{}, invalidf(at+".id", "must not be empty")
		}
		if seen[s.ID] {
			return Scale{}, invalidf(at+".id", "must be unique, got %q twice", s.ID)
		}
		seen[s.ID] = true
	}
	return scale, nil
}

// checkID keeps IDs plain: they end up in store attributes, URLs and file
// names of exports.
func checkID(field, id string) error {
	if id == "" {
		return invalidf(field, "must not be empty")
	}
	if len(id) > 64 {
		return invalidf(field, "must be at most 64 bytes, got %d", len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return invalidf(field, "must be ASCII letters, digits, '-', '_' or '.', got %s", strconv.Quote(id))
		}
	}
	return nil
}

func findScale(scales []Scale, id string) (Scale, bool) {
	for _, s := range scales {
		if s.ID == id {
			return s, true
		}
	}
	return Scale{}, false
}

// Factor returns the factor with the given ID.
func (c *Catalogue) Factor(id string) (*Factor, bool) {
	for i := range c.Factors {
		if c.Factors[i].ID == id {
			return &c.Factors[i], true
		}
	}
	return nil, false
}

// Statement returns the statement with the given ID and the factor it
// belongs to.
func (c *Catalogue) Statement(id string) (*Statement, *Factor, bool) {
	for i := range c.Factors {
		f := &c.Factors[i]
		for k := range f.Statements {
			if f.Statements[k].ID == id {
				return &f.Statements[k], f, true
			}
		}
	}
	return nil, nil, false
}

// Len is the number of statements in the catalogue.
func (c *Catalogue) Len() int {
	n := 0
	for _, f := range c.Factors {
		n += len(f.Statements)
	}
	return n
}

// Key is "id@version", the catalogue's identity in stored assessments.
func (c *Catalogue) Key() string { return c.ID + "@" + c.Version }
