package strategy

import "slices"

// A Stage is where a strategy is in its life: drafted, approved to run,
// completed or abandoned. Only approved strategies commit the
// organisation's budget, so drafts of rival alternatives do not crowd each
// other out.
type Stage string

// The stages.
const (
	// StageDraft: being written; the zero value reads as StageDraft.
	StageDraft     Stage = "draft"
	StageApproved  Stage = "approved"
	StageCompleted Stage = "completed"
	StageAbandoned Stage = "abandoned"
)

// Stages returns the stages in the order of a strategy's life.
func Stages() []Stage { return []Stage{StageDraft, StageApproved, StageCompleted, StageAbandoned} }

// CanMove reports whether a strategy at from may move to to. A completed
// or abandoned strategy is history and stays as it is; to try again, draft
// a new one.
func CanMove(from, to Stage) bool {
	if from == "" {
		from = StageDraft
	}
	switch from {
	case StageDraft:
		return to == StageApproved || to == StageAbandoned
	case StageApproved:
		return slices.Contains([]Stage{StageCompleted, StageAbandoned, StageDraft}, to)
	}
	return false
}

// Open reports whether a strategy at st can still change: drafts and
// approved strategies can, finished ones cannot.
func (st Stage) Open() bool { return st == "" || st == StageDraft || st == StageApproved }
