package strategy

import "slices"

// A Stage is where a strategy is in its life: drafted, approved to run,
// completed or abandoned. Only approved strategies commit the
// organisation's budget, so drafts of rival options do not crowd each other
// out.
type Stage string

// The stages.
const (
	// Draft: being written; the zero value reads as Draft.
	Draft     Stage = "draft"
	Approved  Stage = "approved"
	Completed Stage = "completed"
	Abandoned Stage = "abandoned"
)

// transitions is the table of allowed stage changes. A completed or
// abandoned strategy is history and stays as it is; to try again, draft a
// new one.
var transitions = map[Stage][]Stage{
	Draft:    {Approved, Abandoned},
	Approved: {Completed, Abandoned, Draft},
}

// CanMove reports whether a strategy at from may move to to.
func CanMove(from, to Stage) bool {
	if from == "" {
		from = Draft
	}
	return slices.Contains(transitions[from], to)
}

// Open reports whether a strategy at st can still change: drafts and
// approved strategies can, finished ones cannot.
func (st Stage) Open() bool { return st == "" || st == Draft || st == Approved }
