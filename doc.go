// Package cxkit gives a CRM, or any Go service, the whole customer-service
// management loop as a library: the team assesses itself, plans SMART
// improvements, acts on complaints and listens to feedback, and measures
// whether it got better. Each step is its own package, and every one is
// built the same way:
//
//	d, err := file.Open("cxkit-data") // or memory.New(), or postgres.Open(ctx, dsn)
//	if err != nil { ... }
//	defer d.Close()
//	complaintsSvc, err := complaints.New(d, complaints.Config{Org: "harbourside"},
//		complaints.WithEventHandler(cxkit.EventHandlerFunc(notify)))
//	feedbackSvc, err := feedback.New(d, feedback.Config{Categories: cats},
//		feedback.WithComplaintHandOff(complaintsSvc))
//	strategySvc, err := strategy.New(d, strategy.Config{Name: "Harbourside"},
//		strategy.WithSource("complaints", complaintsSvc))
//
// The driver comes first, then a Config of what the organisation decides
// (its categories, policies, targets, goals), then options for how the
// program runs. The same five options exist in every package: WithClock,
// WithLogger, WithRetryAttempts, WithEntropy and WithEventHandler.
//
// This package holds what the packages share:
//
//   - ValidationError, the one error for bad input whichever package
//     returned it (errors.As finds it; it wraps store.ErrInvalid, and
//     ErrPolicy when the organisation's policy refused well-formed input);
//     TransitionError for a workflow step the record's state does not allow.
//   - HistoryEntry, one line of every record's audit trail: who, when, what,
//     why, and from and to for a change of state.
//   - Event, the one notification envelope every package delivers to its
//     EventHandlers after a change is stored.
//   - Metric and MeasurementSource, how strategy's targets read their
//     current values from complaints and feedback.
//   - Eraser and EraseCustomer, which take one customer out of every package
//     the host wires together.
//
// # Assess
//
// Package assessment holds factor catalogues (the ten factors that drive
// customer-service performance, a culture scorecard and a service-audit
// checklist are built in, restated in cxkit's words) and runs team
// self-assessments on them: participants rate statements, results come per
// statement and per factor, and the team picks three things it does well and
// three it could do better. For each "do better" it records what needs to
// happen and what each person will start, as actions with owners and dates.
//
// # Plan
//
// Package strategy turns a "do better" (or the worst complaint category)
// into a SMART improvement strategy: specific, with measurable targets
// (baseline, goal, unit, direction), achievable within the budget and staff
// the organisation declares, relevant to its goals and time-bound, and
// checked against quality-assurance and legal requirements. Validation
// returns a finding per criterion with its reason, and a strategy renders as
// a proposal for management or staff.
//
// # Act and listen
//
// Package complaints runs each complaint through the resolution workflow —
// logged, investigated, acknowledged, solution decided, customer notified,
// followed up, closed, or escalated — as a transition table that refuses
// steps out of order, with remedies under a policy of time limits and
// authority limits, deadlines on a business calendar, and a history of who
// did what and why. Package feedback takes feedback from every channel,
// sorts it into the organisation's own categories (rules first, then a
// classifier: package classify's, or any other model behind the same
// interface), routes it to the manager responsible, summarises it, and
// scores surveys as CSAT, NPS and CES with confidence intervals (package
// survey).
//
// # Measure
//
// Complaint and feedback statistics (Pareto rankings, trends, resolution
// times, survey scores) feed the strategies' targets through a small
// measurement interface, so progress is measured from the data rather than
// typed in, and become the evidence for the next assessment.
//
// # Storage
//
// Every package stores through package store, a small driver contract with a
// portable generic layer. Package store/file is the embedded default: a
// directory on disk, crash-safe and locked. Package store/memory serves tests
// and examples; store/postgres (its own module) serves CRMs that run on
// several hosts; store/storetest checks any adapter against the contract in
// one line. Package money holds amounts as integer minor units.
package cxkit
