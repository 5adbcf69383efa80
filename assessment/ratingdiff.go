package assessment

import (
	"fmt"
	"strconv"
	"strings"
)

// ratingDiff collects what one Rate call changed on a sheet, so the
// sheet's history says what moved without copying the whole sheet into
// every entry.
type ratingDiff struct {
	added    int
	changed  []string // "a1 4 -> 2"
	comments int      // answers kept, comment changed
}

func (d *ratingDiff) note(old, cur Rating) {
	if old.Answer != cur.Answer || old.Score != cur.Score {
		d.changed = append(d.changed, fmt.Sprintf("%s %s -> %s", cur.Statement, answerText(old), answerText(cur)))
	} else if old.Comment != cur.Comment {
		d.comments++
	}
}

// String is the history entry's "what", or "" when nothing changed.
func (d *ratingDiff) String() string {
	var parts []string
	if d.added > 0 {
		noun := "statements"
		if d.added == 1 {
			noun = "statement"
		}
		parts = append(parts, fmt.Sprintf("rated %d new %s", d.added, noun))
	}
	if len(d.changed) > 0 {
		parts = append(parts, "changed "+strings.Join(d.changed, ", "))
	}
	if d.comments > 0 {
		parts = append(parts, fmt.Sprintf("edited the comment on %d", d.comments))
	}
	return strings.Join(parts, "; ")
}

func answerText(r Rating) string {
	switch r.Answer {
	case AnswerKindNotApplicable:
		return "not applicable"
	case AnswerKindDontKnow:
		return "don't know"
	}
	return strconv.Itoa(r.Score)
}
