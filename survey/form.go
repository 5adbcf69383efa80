package survey

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A QuestionType says what answers a question takes.
type QuestionType string

// The question types. The three score types have fixed scales, so that
// scores from any form or wave are comparable.
const (
	QuestionTypeRating   QuestionType = "rating"    // a whole number from Min to Max
	QuestionTypeChoice   QuestionType = "choice"    // one of Choices
	QuestionTypeFreeText QuestionType = "free-text" // any text
	QuestionTypeNPS      QuestionType = "nps"       // 0 to 10: how likely to recommend
	QuestionTypeCSAT     QuestionType = "csat"      // 1 to 5: how satisfied
	QuestionTypeCES      QuestionType = "ces"       // 1 to 7: agreement that it was easy
)

// Scale returns the fixed scale of a score type, and ok false for others.
func (t QuestionType) Scale() (lo, hi int, ok bool) {
	switch t {
	case QuestionTypeNPS:
		return 0, 10, true
	case QuestionTypeCSAT:
		return 1, 5, true
	case QuestionTypeCES:
		return 1, 7, true
	}
	return 0, 0, false
}

func (t QuestionType) valid() bool { return slices.Contains(QuestionTypes(), t) }

// QuestionTypes returns every question type, in a fixed order.
func QuestionTypes() []QuestionType {
	return []QuestionType{QuestionTypeRating, QuestionTypeChoice, QuestionTypeFreeText, QuestionTypeNPS, QuestionTypeCSAT, QuestionTypeCES}
}

// A Question is one question of a form.
type Question struct {
	// ID identifies the question across versions: an answer to "food" in
	// version 1 and in version 2 is an answer to the same question, which
	// is what keeps waves comparable. Lower-case letters, digits and '-'.
	ID   string       `json:"id"`
	Text string       `json:"text"`
	Type QuestionType `json:"type"`
	// Min and Max bound a rating question (ignored for the score types,
	// whose scales are fixed).
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
	// Choices are the options of a choice question.
	Choices  []string `json:"choices,omitempty"`
	Required bool     `json:"required,omitempty"`
}

// Scale returns the answer range of a numeric question (rating, NPS,
// CSAT, CES), and numeric false for the others.
func (q Question) Scale() (lo, hi int, numeric bool) {
	if lo, hi, ok := q.Type.Scale(); ok {
		return lo, hi, true
	}
	if q.Type == QuestionTypeRating {
		return q.Min, q.Max, true
	}
	return 0, 0, false
}

// A Section groups questions under a heading.
type Section struct {
	Title     string     `json:"title"`
	Questions []Question `json:"questions"`
}

// A Purpose tells a feedback form, which is always available, from a
// survey questionnaire, which is sent out in waves.
type Purpose string

// The purposes of a form.
const (
	PurposeFeedbackForm Purpose = "feedback-form"
	PurposeSurvey       Purpose = "survey"
)

// Purposes returns every purpose, in a fixed order.
func Purposes() []Purpose { return []Purpose{PurposeFeedbackForm, PurposeSurvey} }

// A Form is one version of a feedback form or survey questionnaire. A
// published version never changes; changing a form means publishing the
// next version, and answers keep pointing at the version they answered.
type Form struct {
	// Name identifies the form across versions: lower-case letters, digits
	// and '-', e.g. "guest-stay".
	Name    string  `json:"name"`
	Version int     `json:"version"`
	Title   string  `json:"title"`
	Purpose Purpose `json:"purpose"`
	// Sections hold the questions; question IDs are unique in a version.
	Sections []Section `json:"sections"`
	// Note says why this version exists ("added a section on food").
	Note string `json:"note,omitempty"`
}

// ValidName reports whether name can name a form or a question: 1 to 64
// lower-case letters, digits or '-', starting with a letter.
func ValidName(name string) bool { return slugRE.MatchString(name) }

var slugRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,63}$`)

// Question returns the question with the given ID.
func (f Form) Question(id string) (Question, bool) {
	for _, s := range f.Sections {
		for _, q := range s.Questions {
			if q.ID == id {
				return q, true
			}
		}
	}
	return Question{}, false
}

// Questions returns every question, in order.
func (f Form) Questions() []Question {
	var qs []Question
	for _, s := range f.Sections {
		qs = append(qs, s.Questions...)
	}
	return qs
}

// Validate checks a form version on its own: names, a version of at
// least 1, a purpose, questions with distinct IDs, valid types, scales and
// choices. It returns a *cxkit.ValidationError naming the field.
func (f Form) Validate() error {
	if !slugRE.MatchString(f.Name) {
		return invalidf("form.name", "must be 1 to 64 lower-case letters, digits or '-' starting with a letter, got %q", f.Name)
	}
	if f.Version < 1 {
		return invalidf("form.version", "must be at least 1, got %d", f.Version)
	}
	if f.Purpose != PurposeFeedbackForm && f.Purpose != PurposeSurvey {
		return invalidf("form.purpose", "must be feedback-form or survey, got %q", f.Purpose)
	}
	if len(f.Sections) == 0 {
		return invalidf("form.sections", "must have at least one section")
	}
	seen := map[string]bool{}
	for si, s := range f.Sections {
		if len(s.Questions) == 0 {
			return invalidf(fmt.Sprintf("form.sections[%d].questions", si), "must have at least one question")
		}
		for qi, q := range s.Questions {
			field := fmt.Sprintf("form.sections[%d].questions[%d]", si, qi)
			if !slugRE.MatchString(q.ID) {
				return invalidf(field+".id", "must be 1 to 64 lower-case letters, digits or '-' starting with a letter, got %q", q.ID)
			}
			if seen[q.ID] {
				return invalidf(field+".id", "repeats question %q", q.ID)
			}
			seen[q.ID] = true
			if strings.TrimSpace(q.Text) == "" {
				return invalidf(field+".text", "must not be blank")
			}
			if !q.Type.valid() {
				return invalidf(field+".type", "must be one of rating, choice, free-text, nps, csat, ces, got %q", q.Type)
			}
			if q.Type == QuestionTypeRating && q.Min >= q.Max {
				return invalidf(field+".max", "must be greater than min (%d), got %d", q.Min, q.Max)
			}
			if q.Type == QuestionTypeChoice {
				if len(q.Choices) < 2 {
					return invalidf(field+".choices", "must offer at least two choices")
				}
				seenChoice := map[string]bool{}
				for ci, c := range q.Choices {
					if strings.TrimSpace(c) == "" || seenChoice[c] {
						return invalidf(fmt.Sprintf("%s.choices[%d]", field, ci), "must be a distinct, non-blank option, got %q", c)
					}
					seenChoice[c] = true
				}
			}
		}
	}
	return nil
}

// Compatible checks that next keeps every question it shares with prev the
// same type and scale, so that answers to both versions can be pooled and
// waves compared.
func Compatible(prev, next Form) error {
	for _, q := range next.Questions() {
		old, ok := prev.Question(q.ID)
		if !ok {
			continue
		}
		lo1, hi1, _ := old.Scale()
		lo2, hi2, _ := q.Scale()
		if old.Type != q.Type || lo1 != lo2 || hi1 != hi2 {
			return invalidf("form.question "+q.ID, "must keep the type and scale it had in version %d (%s %d-%d); give a changed question a new ID", prev.Version, old.Type, lo1, hi1)
		}
	}
	return nil
}

// An Answer is the answer to one question. A question not answered has no
// Answer, which is why scores count answered responses only.
type Answer struct {
	Question string `json:"q"`
	// Value is the number chosen on a numeric question (rating, NPS, CSAT,
	// CES).
	Value int `json:"v,omitempty"`
	// Choice is the option chosen on a choice question.
	Choice string `json:"c,omitempty"`
	// Text is the answer to a free-text question.
	Text string `json:"t,omitempty"`
}

// CheckAnswers validates answers against the form version f: every answer
// is to a question on that version, once, within its scale or choices, and
// every required question is answered. field names the answers in the
// error ("item.answers").
func (f Form) CheckAnswers(field string, answers []Answer) error {
	seen := map[string]bool{}
	for i, a := range answers {
		af := fmt.Sprintf("%s[%d]", field, i)
		q, ok := f.Question(a.Question)
		if !ok {
			return invalidf(af+".question", "must be a question on form %s version %d, got %q", f.Name, f.Version, a.Question)
		}
		if seen[a.Question] {
			return invalidf(af+".question", "answers %q twice", a.Question)
		}
		seen[a.Question] = true
		if lo, hi, numeric := q.Scale(); numeric {
			if a.Value < lo || a.Value > hi {
				return invalidf(af+".value", "must be between %d and %d for %s question %q, got %d", lo, hi, q.Type, q.ID, a.Value)
			}
			if a.Choice != "" || a.Text != "" {
				return invalidf(af, "must carry only a value for %s question %q", q.Type, q.ID)
			}
			continue
		}
		if a.Value != 0 {
			return invalidf(af+".value", "must be empty for %s question %q", q.Type, q.ID)
		}
		switch q.Type {
		case QuestionTypeChoice:
			if !slices.Contains(q.Choices, a.Choice) {
				return invalidf(af+".choice", "must be one of %s, got %q", strings.Join(q.Choices, ", "), a.Choice)
			}
			if a.Text != "" {
				return invalidf(af+".text", "must be empty for choice question %q", q.ID)
			}
		case QuestionTypeFreeText:
			if a.Choice != "" {
				return invalidf(af+".choice", "must be empty for free-text question %q", q.ID)
			}
		}
	}
	for _, q := range f.Questions() {
		if q.Required && !seen[q.ID] {
			return invalidf(field, "must answer required question %q", q.ID)
		}
	}
	return nil
}
