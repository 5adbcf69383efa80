package feedback

import (
	"context"
	"fmt"
)

// Source says how an item's category was decided.
type Source string

// The sources of a category.
const (
	SourceRule   Source = "rule"   // an organisation's keyword rule matched
	SourceModel  Source = "model"  // the classifier was confident enough
	SourcePerson Source = "person" // a person set or corrected it
	SourceNone   Source = "none"   // nothing decided: the item is Uncategorised
)

// Sources returns every source, in a fixed order.
func Sources() []Source { return []Source{SourceRule, SourceModel, SourcePerson, SourceNone} }

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
	// Problem says why the classifier gave no answer (a model service that
	// was down), when it did not.
	Problem string `json:"problem,omitempty"`
}

// categorise decides text's category: rules first, then the classifier,
// and Uncategorised when neither is sure. Without rules the text is not
// split into words at all, so categorising costs one prediction.
func categorise(ctx context.Context, cc *compiled, model Classifier, text string) Categorisation {
	if len(cc.rules) > 0 {
		ws := words(text)
		for _, r := range cc.rules {
			for j, p := range r.words {
				if containsPhrase(ws, p) {
					return Categorisation{Category: r.Category, Source: SourceRule, Confidence: 1, Rule: r.ID, Phrase: r.Phrases[j]}
				}
			}
		}
	}
	if model == nil {
		return Categorisation{Category: Uncategorised, Source: SourceNone}
	}
	p, err := model.Classify(ctx, text)
	switch {
	case err != nil:
		// A model service that is down must not lose the feedback: the
		// item waits for a person, saying why.
		return Categorisation{Category: Uncategorised, Source: SourceNone, Problem: err.Error()}
	case !cc.known[p.Category]:
		return Categorisation{Category: Uncategorised, Source: SourceNone, Confidence: p.Confidence,
			Problem: fmt.Sprintf("the classifier answered %q, which is not one of the organisation's categories", p.Category)}
	case p.Confidence < cc.cfg.Threshold:
		return Categorisation{Category: Uncategorised, Source: SourceNone, Confidence: p.Confidence, Suggested: p.Category}
	}
	return Categorisation{Category: p.Category, Source: SourceModel, Confidence: p.Confidence}
}

// describe says in words how the category was reached, for the history.
func (c Categorisation) describe() string {
	switch c.Source {
	case SourceRule:
		return fmt.Sprintf("%s by rule %s (matched %q)", c.Category, c.Rule, c.Phrase)
	case SourceModel:
		return fmt.Sprintf("%s by the classifier (confidence %.2f)", c.Category, c.Confidence)
	case SourcePerson:
		return c.Category + " by a person"
	}
	switch {
	case c.Problem != "":
		return "waiting for a person: " + c.Problem
	case c.Suggested != "":
		return fmt.Sprintf("waiting for a person: the classifier's best guess was %s at confidence %.2f, below the threshold", c.Suggested, c.Confidence)
	}
	return "waiting for a person: no rule matched and there is no classifier"
}
