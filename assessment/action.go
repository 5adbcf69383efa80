package assessment

import (
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

// ActionStatus is where an action stands. The zero value is not a status;
// new actions start as ActionStatusOpen.
type ActionStatus string

// The action statuses.
const (
	ActionStatusOpen       ActionStatus = "open"        // agreed, not started
	ActionStatusInProgress ActionStatus = "in-progress" // someone is on it
	ActionStatusDone       ActionStatus = "done"        // finished
	ActionStatusDropped    ActionStatus = "dropped"     // decided against; the history says why
)

// actionMoves is the transition table. Done and dropped actions can be
// reopened because a re-assessment may show the problem is back; nothing
// jumps straight from dropped to done, since that would skip the work.
var actionMoves = map[ActionStatus][]ActionStatus{
	ActionStatusOpen:       {ActionStatusInProgress, ActionStatusDone, ActionStatusDropped},
	ActionStatusInProgress: {ActionStatusOpen, ActionStatusDone, ActionStatusDropped},
	ActionStatusDone:       {ActionStatusOpen},
	ActionStatusDropped:    {ActionStatusOpen},
}

// Valid reports whether s is one of the four statuses.
func (s ActionStatus) Valid() bool { _, ok := actionMoves[s]; return ok }

// CanMoveTo reports whether an action in status s may move to next.
func (s ActionStatus) CanMoveTo(next ActionStatus) bool {
	for _, n := range actionMoves[s] {
		if n == next {
			return true
		}
	}
	return false
}

// An Action is something a person has undertaken so that a "do better"
// statement of an assessment, or a recommendation of an audit, improves: what
// needs to happen, what the owner will set in motion, by when.
//
// Strategy and reporting code read actions; the fields below are stable.
type Action struct {
	store.Meta

	// Assessment is the ID of the assessment the action came from, or ""
	// for an action from an audit.
	Assessment string `json:"assessment,omitempty"`
	// Audit and Recommendation identify the audit recommendation the action
	// came from, or are "" for an action from an assessment.
	Audit          string `json:"audit,omitempty"`
	Recommendation string `json:"recommendation,omitempty"`

	// Catalogue and CatalogueVersion identify the catalogue that Factor and
	// Statement belong to.
	Catalogue        string `json:"catalogue,omitempty"`
	CatalogueVersion string `json:"catalogue_version,omitempty"`
	// Factor is the ID of the factor (or audit area) the action improves.
	Factor string `json:"factor,omitempty"`
	// Statement is the ID of the linked statement; "" only for audit
	// actions that concern a whole area.
	Statement string `json:"statement,omitempty"`

	// NeedsToHappen is the change the team wants to see.
	NeedsToHappen string `json:"needs_to_happen"`
	// Initiate is what the owner will set in motion themselves.
	Initiate string `json:"initiate,omitempty"`
	// Owner is who answers for the action. Required.
	Owner string `json:"owner"`
	// Due is when it should be done. Required.
	Due time.Time `json:"due"`
	// Status is where the action stands.
	Status ActionStatus `json:"status"`
	// History records every change, oldest first: the audit trail.
	History []cxkit.HistoryEntry `json:"history,omitempty"`
}

// validate checks the fields every action needs. The links to assessment,
// factor and statement are checked by the Service, which has the
// catalogue.
func (a *Action) validate() error {
	switch {
	case a.Assessment == "" && a.Audit == "":
		return invalidf("action.assessment", "must name the assessment or the audit the action comes from")
	case a.Assessment != "" && a.Audit != "":
		return invalidf("action.audit", "must be empty when the action comes from an assessment")
	case strings.TrimSpace(a.NeedsToHappen) == "":
		return invalidf("action.needs_to_happen", "must say what needs to happen")
	case a.Assessment != "" && strings.TrimSpace(a.Initiate) == "":
		return invalidf("action.initiate", "must say what the owner will initiate")
	case a.Assessment != "" && a.Statement == "":
		return invalidf("action.statement", "must link the statement the action improves")
	case strings.TrimSpace(a.Owner) == "":
		return invalidf("action.owner", "must not be empty: every action needs an owner")
	case a.Due.IsZero():
		return invalidf("action.due", "must be set: every action needs a due date")
	case a.Status != "" && !a.Status.Valid():
		return invalidf("action.status", "must be one of open, in-progress, done, dropped; got %q", a.Status)
	}
	return nil
}
