package complaints

import "slices"

// Status is where a complaint stands in the resolution workflow.
type Status string

// The states. The main line follows the six steps of complaint resolution:
// logged, investigated, declared to resolve, solved, customer notified,
// followed up; then closed. Escalated and Referred are the two side tracks.
const (
	StatusReceived      Status = "received"         // received and logged
	StatusInvestigating Status = "investigating"    // finding out exactly what happened
	StatusAcknowledged  Status = "acknowledged"     // someone has declared the organisation will resolve it
	StatusDecided       Status = "solution-decided" // a remedy has been chosen under policy
	StatusNotified      Status = "notified"         // the customer has been told the solution
	StatusFollowedUp    Status = "followed-up"      // the customer has been asked how it went
	StatusClosed        Status = "closed"
	StatusEscalated     Status = "escalated"           // handed to a higher internal level
	StatusReferred      Status = "referred"            // with an outside body (ombudsman, regulator, industry body)
	StatusWaiting       Status = "waiting-on-customer" // paused until the customer answers: the resolution clock stops
)

// Statuses() lists every state, main line first.
func Statuses() []Status {
	return []Status{StatusReceived, StatusInvestigating, StatusAcknowledged, StatusDecided, StatusNotified, StatusFollowedUp, StatusClosed, StatusEscalated, StatusReferred, StatusWaiting}
}

// Step is something a person does to move a complaint on.
type Step string

// The steps.
const (
	StepInvestigate Step = "investigate"
	StepAcknowledge Step = "acknowledge"
	StepDecide      Step = "decide"
	StepNotify      Step = "notify"
	StepFollowUp    Step = "follow-up"
	StepClose       Step = "close"
	StepEscalate    Step = "escalate"
	StepRefer       Step = "refer"
	StepReopen      Step = "reopen"
	// StepCloseEarly closes a complaint without the remaining steps where
	// that is the honest outcome: withdrawn, a duplicate, not a complaint.
	StepCloseEarly Step = "close-early"
	// StepFirstContact records a complaint resolved at first contact: one
	// step standing for deciding the remedy and telling the customer.
	StepFirstContact Step = "resolve-at-first-contact"
	// StepWait pauses the complaint until the customer answers; StepResume
	// takes it back to where it stood.
	StepWait   Step = "wait-on-customer"
	StepResume Step = "resume"
)

// Steps() lists every step.
func Steps() []Step {
	return []Step{StepInvestigate, StepAcknowledge, StepDecide, StepNotify, StepFollowUp, StepClose, StepEscalate, StepRefer, StepReopen, StepCloseEarly, StepFirstContact, StepWait, StepResume}
}

// transitions is the workflow: for each state, the steps allowed from it and
// where each leads. Escalated is not listed: an escalated complaint resumes
// the main line from the state it was escalated in (see Next).
var transitions = map[Status]map[Step]Status{
	StatusReceived: {
		StepInvestigate:  StatusInvestigating,
		StepEscalate:     StatusEscalated,
		StepRefer:        StatusReferred,
		StepCloseEarly:   StatusClosed,
		StepFirstContact: StatusNotified,
	},
	StatusInvestigating: {
		StepAcknowledge:  StatusAcknowledged,
		StepEscalate:     StatusEscalated,
		StepRefer:        StatusReferred,
		StepCloseEarly:   StatusClosed,
		StepFirstContact: StatusNotified,
		StepWait:         StatusWaiting,
	},
	StatusAcknowledged: {
		StepDecide:       StatusDecided,
		StepEscalate:     StatusEscalated,
		StepRefer:        StatusReferred,
		StepCloseEarly:   StatusClosed,
		StepFirstContact: StatusNotified,
		StepWait:         StatusWaiting,
	},
	StatusDecided: {
		StepDecide:     StatusDecided, // revise before the customer is told, e.g. after a rejected approval
		StepNotify:     StatusNotified,
		StepEscalate:   StatusEscalated,
		StepRefer:      StatusReferred,
		StepCloseEarly: StatusClosed,
		StepWait:       StatusWaiting,
	},
	StatusNotified: {
		StepFollowUp:   StatusFollowedUp,
		StepEscalate:   StatusEscalated,
		StepRefer:      StatusReferred,
		StepCloseEarly: StatusClosed,
	},
	StatusFollowedUp: {
		StepClose:    StatusClosed,
		StepEscalate: StatusEscalated,
		StepRefer:    StatusReferred,
	},
	StatusReferred: {
		StepClose:      StatusClosed,
		StepCloseEarly: StatusClosed,
	},
	StatusClosed: {
		StepReopen: StatusInvestigating,
	},
}

// Next returns the state that step leads to from c's state, and whether
// the step is allowed at all. An escalated complaint allows escalating
// further, referral, and the main-line steps of the state it was escalated
// from (so the higher level picks the work up where it stood). A complaint
// waiting on the customer allows resuming (to the state it paused in) and
// closing early.
func Next(from, resume Status, step Step) (Status, bool) {
	if from == StatusWaiting {
		switch step {
		case StepResume:
			if resume == "" || resume == StatusWaiting {
				resume = StatusInvestigating
			}
			return resume, true
		case StepCloseEarly:
			return StatusClosed, true
		}
		return "", false
	}
	if from == StatusEscalated {
		switch step {
		case StepEscalate:
			return StatusEscalated, true
		case StepRefer:
			return StatusReferred, true
		}
		if resume == "" || resume == StatusEscalated {
			resume = StatusReceived
		}
		to, ok := transitions[resume][step]
		if !ok || to == StatusEscalated || to == StatusReferred || to == StatusWaiting {
			return "", false
		}
		return to, true
	}
	to, ok := transitions[from][step]
	return to, ok
}

// Allowed lists the steps that may be taken from a state (with resume as
// for Next), in the order of Steps(): what a user interface offers.
func Allowed(from, resume Status) []Step {
	var out []Step
	for _, s := range Steps() {
		if _, ok := Next(from, resume, s); ok {
			out = append(out, s)
		}
	}
	return out
}

// ParseStatus reads a state by its name ("investigating"), for hosts
// taking states from forms or queries. An unknown name is an error naming
// the field and the states there are.
func ParseStatus(s string) (Status, error) {
	if st := Status(s); slices.Contains(Statuses(), st) {
		return st, nil
	}
	return "", invalid("status", "must be one of %s, got %q", join(Statuses()), s)
}

// ParseStep reads a step by its name ("follow-up").
func ParseStep(s string) (Step, error) {
	if st := Step(s); slices.Contains(Steps(), st) {
		return st, nil
	}
	return "", invalid("step", "must be one of %s, got %q", join(Steps()), s)
}
