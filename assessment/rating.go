package assessment

// AnswerKind says whether a rating carries a score or one of the two answers
// that never count as one.
type AnswerKind string

// The answer kinds. The zero value means AnswerKindScored, so a plain {statement,
// score} in JSON is a score.
const (
	AnswerKindScored        AnswerKind = ""
	AnswerKindNotApplicable AnswerKind = "not-applicable"
	AnswerKindDontKnow      AnswerKind = "dont-know"
)

// A Rating is one participant's answer to one statement.
type Rating struct {
	// Statement is the statement's ID in the assessment's catalogue.
	Statement string `json:"statement"`
	// Answer is AnswerKindScored, AnswerKindNotApplicable or AnswerKindDontKnow.
	Answer AnswerKind `json:"answer,omitempty"`
	// Score is a value of the assessment's scale when Answer is AnswerKindScored,
	// and 0 otherwise.
	Score int `json:"score,omitempty"`
	// Comment is optional free text: why the participant sees it so.
	Comment string `json:"comment,omitempty"`
}

// Rate returns a scored rating of statement.
func Rate(statement string, score int) Rating { return Rating{Statement: statement, Score: score} }

// RateNA returns a "not applicable" rating of statement.
func RateNA(statement string) Rating {
	return Rating{Statement: statement, Answer: AnswerKindNotApplicable}
}

// RateDontKnow returns a "don't know" rating of statement.
func RateDontKnow(statement string) Rating {
	return Rating{Statement: statement, Answer: AnswerKindDontKnow}
}

// WithComment returns r with a comment.
func (r Rating) WithComment(c string) Rating { r.Comment = c; return r }
