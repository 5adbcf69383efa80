package feedback

import (
	"fmt"
	"slices"
	"strings"
)

// A Rule is a keyword or phrase rule an organisation writes: a text
// containing any of its phrases (whole words, any case) belongs to
// Category. Rules are explainable and override the classifier; the first
// matching rule, in the order given, wins.
type Rule struct {
	// ID names the rule in explanations, e.g. "food-words".
	ID string `json:"id"`
	// Category is one of the organisation's categories.
	Category string `json:"category"`
	// Phrases are words or word sequences, e.g. "room service", "menu".
	Phrases []string `json:"phrases"`

	compiled [][]string
}

// Source says how an item's category was decided.
type Source string

// The sources of a category.
const (
	SourceRule   Source = "rule"   // an organisation's keyword rule matched
	SourceModel  Source = "model"  // the classifier was confident enough
	SourcePerson Source = "person" // a person set or corrected it
	SourceNone   Source = "none"   // nothing decided: the item is Uncategorised
)

// A Categorisation is a category with how it was reached.
type Categorisation struct {
	Category   string  `json:"category"`
	Source     Source  `json:"source"`
	Confidence float64 `json:"confidence"`
	// Rule and Phrase explain a rule match.
	Rule   string `json:"rule,omitempty"`
	Phrase string `json:"phrase,omitempty"`
	// Suggested is the classifier's best guess when it was not confident
	// enough, for the person who empties the uncategorised queue.
	Suggested string `json:"suggested,omitempty"`
}

// DefaultThreshold is the classifier confidence below which an item goes to
// the uncategorised queue.
const DefaultThreshold = 0.5

// A Categoriser sorts texts into an organisation's categories: rules first,
// then the classifier, and Uncategorised when neither is sure. It is
// immutable and safe for concurrent use.
type Categoriser struct {
	categories []string
	rules      []Rule
	model      *Classifier
	threshold  float64
}

// NewCategoriser checks and combines an organisation's categories, its
// rules and an optional classifier (nil for rules only). A rule or a
// classifier naming a category not in categories fails with an error
// wrapping ErrUnknownCategory and ErrInvalid. threshold is the least
// classifier confidence accepted (0 means DefaultThreshold).
func NewCategoriser(categories []string, rules []Rule, model *Classifier, threshold float64) (*Categoriser, error) {
	if len(categories) == 0 {
		return nil, invalidf("categoriser.categories", "must name at least one category")
	}
	known := map[string]bool{}
	for i, c := range categories {
		field := fmt.Sprintf("categoriser.categories[%d]", i)
		if err := checkCategoryName(field, c); err != nil {
			return nil, err
		}
		if c == Uncategorised {
			return nil, invalidf(field, "must not be %q, which the package reserves for its queue", Uncategorised)
		}
		if known[c] {
			return nil, invalidf(field, "names %q twice", c)
		}
		known[c] = true
	}
	switch {
	case threshold == 0:
		threshold = DefaultThreshold
	case threshold < 0 || threshold > 1:
		return nil, invalidf("categoriser.threshold", "must be between 0 and 1, got %g", threshold)
	}
	cz := &Categoriser{categories: slices.Clone(categories), model: model, threshold: threshold}
	ids := map[string]bool{}
	for i, r := range rules {
		field := fmt.Sprintf("rules[%d]", i)
		if strings.TrimSpace(r.ID) == "" {
			return nil, invalidf(field+".id", "must not be blank")
		}
		if ids[r.ID] {
			return nil, invalidf(field+".id", "names %q twice", r.ID)
		}
		ids[r.ID] = true
		if !known[r.Category] {
			return nil, invalidCause(ErrUnknownCategory, field+".category", "rule %q must name one of the organisation's categories (%s), got %q", r.ID, strings.Join(categories, ", "), r.Category)
		}
		if len(r.Phrases) == 0 {
			return nil, invalidf(field+".phrases", "rule %q must have at least one phrase", r.ID)
		}
		r.Phrases = slices.Clone(r.Phrases)
		r.compiled = make([][]string, len(r.Phrases))
		for j, p := range r.Phrases {
			ws := words(p)
			if len(ws) == 0 {
				return nil, invalidf(fmt.Sprintf("%s.phrases[%d]", field, j), "rule %q: a phrase must contain a word, got %q", r.ID, p)
			}
			r.compiled[j] = ws
		}
		cz.rules = append(cz.rules, r)
	}
	if model != nil {
		for _, c := range model.labels {
			if !known[c] {
				return nil, invalidCause(ErrUnknownCategory, "categoriser.model", "predicts %q, which is not one of the organisation's categories", c)
			}
		}
	}
	return cz, nil
}

// Categories returns the organisation's categories.
func (cz *Categoriser) Categories() []string { return slices.Clone(cz.categories) }

// Known reports whether c is one of the organisation's categories.
func (cz *Categoriser) Known(c string) bool { return slices.Contains(cz.categories, c) }

// Model returns the classifier, or nil.
func (cz *Categoriser) Model() *Classifier { return cz.model }

// Rules returns the rules, in order.
func (cz *Categoriser) Rules() []Rule { return slices.Clone(cz.rules) }

// Threshold returns the least classifier confidence accepted.
func (cz *Categoriser) Threshold() float64 { return cz.threshold }

// WithModel returns a categoriser with the same categories, rules and
// threshold and a new classifier, after a retraining.
func (cz *Categoriser) WithModel(m *Classifier) (*Categoriser, error) {
	return NewCategoriser(cz.categories, cz.rules, m, cz.threshold)
}

// Categorise decides text's category.
func (cz *Categoriser) Categorise(text string) Categorisation {
	ws := words(text)
	for _, r := range cz.rules {
		for j, p := range r.compiled {
			if containsPhrase(ws, p) {
				return Categorisation{Category: r.Category, Source: SourceRule, Confidence: 1, Rule: r.ID, Phrase: r.Phrases[j]}
			}
		}
	}
	if cz.model == nil {
		return Categorisation{Category: Uncategorised, Source: SourceNone}
	}
	p := cz.model.Predict(text)
	if p.Confidence < cz.threshold {
		return Categorisation{Category: Uncategorised, Source: SourceNone, Confidence: p.Confidence, Suggested: p.Category}
	}
	return Categorisation{Category: p.Category, Source: SourceModel, Confidence: p.Confidence}
}
