// Package cxkit gives a CRM, or any Go service, the whole customer-service
// management loop as a library: the team assesses itself, plans SMART
// improvements, acts on complaints and listens to feedback, and measures
// whether it got better. Each step is its own package; this one only
// explains how they fit.
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
