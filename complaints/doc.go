// Package complaints runs an organisation's customer complaints: receiving
// and logging them, resolving them step by step under the organisation's
// policies, watching the deadlines, escalating what is late, telling the
// host CRM about every change, and analysing the complaints log.
//
// The common path: a service over a store, a complaint logged, worked
// through the steps, and the log analysed.
//
//	svc, err := complaints.New(d, complaints.Config{
//		Org:    "harbourside",
//		Policy: complaints.Policy{Currency: "AUD"},
//	})
//	if err != nil {
//		return err // a *cxkit.ValidationError naming the bad field
//	}
//	c, err := svc.Log(ctx, complaints.Intake{
//		Channel:    complaints.ChannelPhone,
//		Customer:   complaints.Customer{Ref: "crm-1042", Name: "Sam Lee"},
//		Summary:    "The parcel arrived a week late",
//		Category:   "delivery",
//		MadeBy:     complaints.MadeByRegular,
//		DirectedAt: complaints.Target{Kind: complaints.TargetKindOutsourced, Name: "courier"},
//		Severity:   complaints.SeverityMedium,
//		By:         "desk-agent",
//	})
//	if err != nil {
//		return err
//	}
//	c, err = svc.Investigate(ctx, c.ID, complaints.Input{By: "team leader"})
//	// ... Acknowledge, Decide, Notify, FollowUp, Close
//	p, err := svc.Pareto(ctx, monthStart, monthEnd, complaints.DimensionCategory)
//
// # The model
//
// A Complaint records when and how it arrived (Channel), who made it
// (Customer, a reference into the host CRM plus a name and contact kept
// apart so they can be erased; and MadeBy: a member of the public, a
// regular or corporate customer, a colleague), what it is about (Summary,
// the organisation's own Category, the product or order it Concerns) and at
// whom it is directed (Target: a staff member, a team, an outsourced party,
// a product or a policy). Its History is the audit trail: every change says
// who made it, when, what changed and why.
//
// Everything an organisation decides for itself is data in a Config: the
// service Charter's responsibilities (who, whether a person, a team or a
// department, receives, investigates and resolves which complaints; new
// complaints are assigned by it), the remedies policy (package remedy), the Targets for
// acknowledgement, resolution and follow-up, the business calendar (package
// calendar) they are measured in, and the internal escalation Ladder with its rules.
//
// # The workflow
//
// The resolution steps are a transition table in code (see Next and
// Allowed), not advice:
//
//  1. received and logged (Service.Log), so nothing is lost and the log can
//     be analysed later;
//  2. investigating (Investigate): finding out from everyone involved
//     exactly what happened;
//  3. acknowledged (Acknowledge): the organisation commits to putting it
//     right, and a named person takes responsibility for that;
//  4. solution decided (Decide): a remedy chosen under the policy;
//  5. notified (Notify): the customer is told the solution, and how they
//     were told is kept;
//  6. followed up (FollowUp): the customer is asked how the complaint was
//     handled; an unhappy customer is offered escalation or an outside
//     body;
//
// then closed. Escalated (to a level of the internal ladder), referred (to
// an ombudsman, regulator or industry body, with its reference, date, own
// deadline and outcome) and waiting on the customer (WaitOnCustomer, which
// stops the resolution clock until Resume) are tracked states of their
// own; an escalated or waiting complaint resumes the main line where it
// stood. Where the six steps are not the honest story there are shorter
// ones: ResolveAtFirstContact (one step for deciding and telling, when the
// agent fixed it on the call), CloseEarly (withdrawn by the customer, a
// duplicate linked to the complaint kept, not a complaint at all), and
// FollowUpUnreachable (the customer could not be asked). A closed
// complaint can be reopened. An outcome once recorded is never replaced
// silently.
// A step that is not allowed returns a *cxkit.TransitionError naming the
// state and the step, and changes nothing; bad input returns a
// *cxkit.ValidationError naming the field and the rule.
//
// # Remedies under policy
//
// Refunds, replacements, exchanges, vouchers or credit, repairs and
// apologies are checked against the remedy.Policy of the Config (package
// remedy, the refunds policy as data): time since purchase, proof of
// purchase, used goods (excluded unless faulty), and each role's authority
// limit in money (integer minor units, never floats). A remedy above the
// decider's limit is stored pending until someone whose role may approve
// that amount approves or rejects it; the customer cannot be notified of a
// remedy that is not approved. A purchase has a price: a refund never
// exceeds it, and the policy can cap each remedy per purchase, in money or
// as a share of the price. An approved remedy can be revised until the
// customer is told; RecordRefund keeps how and when a refund was paid
// (cash, card, cheque, credit note, bank transfer).
//
// # Deadlines and escalation
//
// Each complaint carries its due times (Deadlines), in calendar time or in
// the business hours of a calendar.Calendar (package calendar: opening
// hours per weekday, holidays, a time zone). Service.Deadlines says whether
// each is on track, at risk (past the warning fraction), paused, breached,
// met or missed; Service.Due lists what needs doing now and who must do
// it (the owner follows escalation and reassignment); Service.Sweep, run
// periodically, announces deadlines at risk and breached (EventAtRisk,
// EventBreach) and escalates by rule (agent, team leader, manager,
// director).
//
// Targets apply to an organisation, with rules for particular categories
// and severities (a safety complaint is not a late parcel). Reopening a complaint
// restarts its resolution and follow-up clocks at the reopening, so it is
// not breached the moment it reopens; deadlines missed before the
// reopening stay in Complaint.PastBreaches and in the breach statistics.
// Complaints taken over by Import keep their historical dates for the
// analysis, but their deadlines run from the import (Complaint.Imported):
// an old open row is not swept as breached on arrival.
//
// # Events
//
// The handlers given by WithEventHandler receive a cxkit.Event for every
// logging, transition, remedy, approval, breach, escalation, reassignment
// and erasure (the Event constants list them), synchronously after the
// change is stored. A handler that fails or panics is logged and never
// undoes or loses the change. There is no outbox: an event lost to a crash
// between the write and the delivery is not sent again, but the
// complaint's History (cxkit.HistoryEntry lines) always holds the change.
//
// # The complaints log
//
// Over any period: Counts by category, complainant, target, product,
// channel, severity or status; a Pareto ranking of what customers complain
// about most with cumulative shares; CrossTab by two dimensions at once;
// daily, weekly or monthly Trends with the change against the previous
// bucket, in total or broken down by any dimension (TrendBy), where the
// week or month under way is compared with the same stretch of the one
// before rather than with all of it; Recurring, the products, targets or
// categories complained about period after period; and a Summary with acknowledgement
// and resolution times (median and 90th percentile), breach rate, repeat
// complainants, the shares escalated internally and externally, and
// first-contact resolution. Times are reported in calendar hours (what the
// customer waited) and, when the Config has a Calendar, also in business
// hours (comparable with business-hour targets). Counts use the store's
// grouped counts, so drivers with a fast path answer them from their index.
//
// # Moving the log in and out
//
// Export writes the log as CSV: the classic columns (date, complaint, made
// by, directed at, outcome), the analysed fields, and each complaint's
// whole record, with every cell defused against spreadsheet formulas.
// Import reads that back exactly, or reads a log kept by hand (its own
// headers, dates such as "3 June" with the year given), all or nothing,
// idempotently, within stated bounds. ImportMany is the bulk path for a
// migration from another system: complaints in any state, with their
// histories, under the same checks, in atomic batches.
//
// # Seams with other packages
//
// Service is a cxkit.MeasurementSource: package strategy reads target
// values from Service.Measure (the MetricName constants, and CountBy for
// one category, complainant, target or channel). Service.TakeFeedback
// takes over a complaint that arrived as feedback. Neither package imports
// this one, nor this one them.
//
// # Privacy
//
// Service is a cxkit.Eraser: cxkit.EraseCustomer(ctx, ref, by, complaints,
// feedback) gathers what every wired package knows of a customer (names,
// e-mail addresses, phone numbers) and has each take all of it out of
// every record: the customer's complaints lose their name, contact and
// attachments and carry a shared pseudonym instead of the CRM reference
// (so every statistic stays as it was), and every known identifier, or
// anything shaped like an e-mail address or phone number, leaves their
// text; other complaints that mention the customer lose the mentions. No
// name or contact is ever stored as a queryable attribute. What the
// storage beneath must then do for the old bytes to leave the disk (file
// store: Compact; PostgreSQL: VACUUM FULL or a rewrite) is in
// Service.EraseIdentifiers.
//
// # Concurrency
//
// A Service is safe for concurrent use. Steps() re-read and retry when
// another writer changed the complaint first; a step given an Input.Version
// instead fails with an error wrapping store.ErrConflict if the complaint
// moved on.
//
// # Performance
//
// Logging, the Pareto, trends and the summary are measured on the file
// store with 100,000 complaints in BENCHMARKS.md (section complaints).
package complaints
