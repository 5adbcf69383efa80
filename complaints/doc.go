// Package complaints runs an organisation's customer complaints: receiving
// and logging them, resolving them step by step under the organisation's
// policies, watching the deadlines, escalating what is late, telling the
// host CRM about every change, and analysing the complaints log.
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
// complaints are assigned by it), the remedies Policy, the Targets for
// acknowledgement, resolution and follow-up, the business Calendar they are
// measured in, and the internal escalation Ladder with its rules.
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
// then closed. Escalated (to a level of the internal ladder) and referred
// (to an ombudsman, regulator or industry body, with its reference, date
// and outcome) are tracked states of their own; an escalated complaint
// resumes the main line where it stood. A closed complaint can be reopened.
// A step that is not allowed returns a *TransitionError naming the state
// and the step, and changes nothing.
//
// # Remedies under policy
//
// Refunds, replacements, exchanges, vouchers or credit, repairs and
// apologies are checked against the Policy: time since purchase, proof of
// purchase, used goods (excluded unless faulty), and each role's authority
// limit in money (integer minor units, never floats). A remedy above the
// decider's limit is stored pending until someone whose role may approve
// that amount approves or rejects it; the customer cannot be notified of a
// remedy that is not approved.
//
// # Deadlines and escalation
//
// Each complaint carries its due times (Deadlines), in calendar time or in
// the business hours of a Calendar (opening hours per weekday, holidays, a
// time zone). Service.Deadlines says whether each is on track, at risk (past
// the warning fraction), breached, met or missed; Service.Due lists what
// needs doing now; Service.Sweep, run periodically, records breaches and
// escalates by rule (agent, team leader, manager, director).
//
// One set of Targets applies to an organisation. Reopening a complaint
// restarts its resolution and follow-up clocks at the reopening, so it is
// not breached the moment it reopens; deadlines missed before the
// reopening stay in Complaint.PastBreaches and in the breach statistics.
// Complaints taken over by Import keep their historical dates for the
// analysis, but their deadlines run from the import (Complaint.Imported):
// an old open row is not swept as breached on arrival.
//
// # Events
//
// Observers registered with Service.Observe receive a typed Event for every
// logging, transition, remedy, approval, breach, escalation, reassignment
// and erasure, synchronously after the change is stored. An observer that
// fails or panics is reported to the error handler (a *DeliveryError) and
// never undoes or loses the change. There is no outbox: an event lost to a
// crash between the write and the delivery is not sent again, but the
// complaint's history always holds the change.
//
// # The complaints log
//
// Over any period: Counts by category, complainant, target, channel,
// severity or status; a Pareto ranking of what customers complain about
// most with cumulative shares; daily, weekly or monthly Trends with the
// change against the previous bucket; and a Summary with acknowledgement
// and resolution times (median and 90th percentile), breach rate, repeat
// complainants, the shares escalated internally and externally, and
// first-contact resolution. Times are reported in calendar hours (what the
// customer waited) and, when the Config has a Calendar, also in business
// hours (comparable with business-hour targets). Counts use the store's grouped counts, so
// drivers with a fast path answer them from their index. Export and Import
// move the log as CSV (date, complaint, made by, directed at, outcome, and
// the analysed fields); Import reports each bad row by line and column and
// never imports part of a row.
//
// # Seams with other packages
//
// Service.Measure is the measurement source package strategy reads target
// values from ("count", "count:<dimension>=<value>",
// "median_resolution_hours", "p90_resolution_hours", "breach_rate",
// "share_escalated_externally" and the others listed with the Metric
// constants); Service.TakeFeedback takes over a complaint that arrived as
// feedback. Neither package imports this one, nor this one them.
//
// # Privacy
//
// EraseCustomer removes one customer's personal data from all their
// complaints and records the erasure in each history. A shared pseudonym
// takes the place of the CRM reference, so every statistic stays as it
// was. No name or contact is ever stored as a queryable attribute. It
// scrubs the name, contact and reference wherever they appear verbatim in
// the complaint's text; personal data written in other forms is beyond
// it. On a batching driver (store.Batcher) the erasure is one atomic
// batch; on others it goes complaint by complaint, and running it again
// finishes an interrupted erasure under the same pseudonym.
//
// # Concurrency
//
// A Service is safe for concurrent use. Steps re-read and retry when
// another writer changed the complaint first; a step given an Input.Version
// instead fails with an error wrapping store.ErrConflict if the complaint
// moved on.
//
// # Performance
//
// Measured on the file store (store/file, durable by default) with 100,000
// complaints spread over a year, on the shared 2-core build machine
// (Intel Xeon, linux/amd64, Go 1.26.8), with the machine's load average
// near 7 (other builds running):
//
//	go test -run '^$' -bench . -benchmem -count 3 ./complaints
//
//	benchmark      time/op (min)  alloc/op  allocs/op  range of 3 runs
//	Log100k        5.01 s         954 MB    6.94 M     5.01-5.65 s  100k complaints, LogMany batches of 1000
//	LogOne         332 µs         8.0 KB    74         332-601 µs   one durable Log (its own fsync)
//	MonthPareto    2.92 ms        1.99 KB   25         2.9-6.4 ms   a month's categories (~8.3k of 100k)
//	MonthTrend     5.20 ms        11.7 KB   60         5.2-9.4 ms   a month's daily trend with changes
//	MonthSummary   375 ms         40.0 MB   304 k      375-616 ms   everything; decodes the month's bodies
//
// Pareto and Trend never decode a complaint: they are grouped counts the
// file driver answers from its index. Summarise streams the month's bodies
// once for times and breaches, and its cost is the JSON decoding of each
// complaint with its history. The machine is shared and the times move
// with its load (the allocations do not): quieter runs of the same code
// took MonthSummary 142 ms, MonthTrend 1.76 ms, MonthPareto 2.30 ms,
// LogOne 465 µs.
package complaints
