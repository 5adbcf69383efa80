package cxkit

import "time"

// A HistoryEntry is one line of a record's audit trail: who did what, when
// and why, and for a change of state where it went from and to. Every
// record that cxkit keeps (complaints, feedback items, assessments, actions,
// audits, strategies) carries its history as a list of these, oldest first.
type HistoryEntry struct {
	// At is when it happened, by the service's clock, in UTC.
	At time.Time `json:"at"`
	// By is who did it: the person the caller named, or the rule or
	// process that acted ("sweep", "feedback hand-over").
	By string `json:"by,omitempty"`
	// Action is what was done, as a short word programs can match on: a
	// workflow step ("investigate"), or "created", "reassigned", "erased".
	Action string `json:"action"`
	// What says what changed, in words a manager reads.
	What string `json:"what,omitempty"`
	// Why is the reason or note the person gave, if any.
	Why string `json:"why,omitempty"`
	// From and To are the states before and after, for a change of state.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}
