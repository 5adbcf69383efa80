// Package strategy turns something a customer-service team should do
// better into a SMART improvement strategy, checks it against what the
// organisation declares, follows its targets as the data comes in, and
// presents it as a proposal.
//
// # The strategy
//
// A Strategy states the customer-service issue it addresses and its scope,
// the customers' needs, the implication of doing nothing, the options
// weighed and the one recommended, an owner, a start, a deadline and a
// check-in cadence, the organisation's goals it serves, its budget lines,
// its risks, the topics it touches (for quality-assurance and legal
// requirements) and one or more Targets. Validate rejects what is malformed
// — a goal equal to its baseline, a deadline before the start, negative or
// unknown-currency money, a weight that is not positive — with a
// *FieldError naming the field and the rule (errors.Is ErrInvalid and
// store.ErrInvalid). Missing content is not malformed: a draft may lack an
// owner or a target, and the SMART review says so.
//
// # The SMART review
//
// Check reviews a strategy against an Organisation — its goals, the money
// (per budget kind) and staff hours it has in each period, and its
// quality-assurance and legal requirements, all plain data loadable from
// JSON with LoadOrganisation — and returns a Review: one Finding per
// criterion, each with the reason it is met or not.
//
//   - Specific: the issue, the scope and the recommended option are stated
//     in more than a placeholder, and someone owns the strategy.
//   - Measurable: every target has a metric, unit, baseline, goal, direction
//     (increase, decrease, or hold within a band) and a measurement source;
//     one finding per target.
//   - Achievable: the budget lines, together with those of the strategies
//     approved or completed, fit the funds of each budget kind and the staff
//     hours of each period the strategy draws on; each shortfall is named
//     (Fit). What other strategies overran elsewhere is not held against
//     it.
//   - Relevant: the strategy serves at least one declared goal.
//   - Time-bound: start, deadline after it, and a check-in cadence that
//     fits before the deadline.
//   - Quality assurance and legal: for each requirement whose topics the
//     strategy touches, whether the strategy says how it stays within it.
//
// # Targets and progress
//
// A target's progress is (current − baseline) / (goal − baseline), clamped
// to [0, 1], which serves falling targets ("average call wait from 90 s to
// 30 s") as well as rising ones. A Hold target keeps its metric within a
// band, Goal ± Band (Band > 0, so the low edge is below the high one): it
// scores 1 inside the band; outside, it scores the share of its baseline's
// distance from the band that has been closed, so a target that starts
// inside and drifts out scores 0, and one that starts outside earns credit
// on the way in. A strategy's progress is the weighted mean. Its Status (on
// track, at risk, off track) compares progress with the share of the
// timeline gone, with the allowed lag set by Thresholds.
//
// Check-ins record a value, a date, a confidence, a note and evidence, and
// are kept as history. A target's value need not be typed in: a target
// names a Source (by a key of the Sources map the caller passes, never a
// global registry) and a metric, and Manager.MeasureCheckIn asks the source
// for the metric over a window as long as the baseline's, ending now, but
// never reaching back before the strategy's start: data from before the
// strategy says nothing about it. When the window is cut short that way, a
// count ("count", "count:...") is scaled to the baseline window's length so
// it still compares with the baseline, and the check-in's evidence says by
// how much; rates, medians, shares and scores are taken as measured.
// Source is the one-method interface packages complaints and feedback
// implement (their Measure methods document the metric names), so this
// package imports neither.
//
// # Drafting
//
// DraftFromCategory drafts a strategy from the complaint category at the top
// of a Pareto ranking (given as plain values, CategoryTrend), with the
// issue written and a baseline measured from the data; DraftFromAction does
// the same from an assessment's "do better" action. A draft is a start: its
// review says what the author still has to add.
//
// # Budgets
//
// Budget lines carry a BudgetKind (sales, production, cash flow, marketing,
// project, management), an Area the money goes to (maintenance,
// merchandising equipment, policies and procedures, advertising,
// incentives, training), an amount in integer minor units with its currency
// (package money), staff hours and the period they fall in. Total adds them
// up per kind, per area and per currency; Use adds up, per declared
// period, what a set of strategies asks of it; Fit lists what does not fit.
//
// # Storing and presenting
//
// A Manager keeps strategies in a Repository (NewRepository builds one on
// any store.Driver), validates before every write, records every change in
// the strategy's History, runs stage changes along a transition table
// (draft, approved, completed, abandoned; approval requires a clean review)
// and measures targets. A Proposal renders a strategy for senior
// management (options, money, the full review) or for staff (what changes,
// the targets and the time it takes) as Markdown or as HTML escaped by
// html/template, with the sections a proposal needs: issue, needs,
// implication of inaction, options, recommendation, budget, targets and how
// they are measured, risks, and the quality-assurance and legal findings.
// In the Markdown, text from the strategy is backslash-escaped wherever it
// could become markup (emphasis, links, inline HTML, and headings, quotes
// or lists at the start of a line), so it renders exactly as written.
//
// # Performance
//
// Measured on the shared 2-core development machine (Intel Xeon, linux/amd64,
// Go 1.26, other builds running, so expect ±30%) with
//
//	go test ./strategy -run '^$' -bench . -benchtime=0.5s -count=3
//
// medians of three runs:
//
//	Check (SMART review, 2 targets, 3 budget lines)       18 µs  7.3 KB    97 allocs
//	Fit, 1 strategy + 10 committed                       6.9 µs  2.5 KB    39 allocs
//	Fit, 1 strategy + 1000 committed                     240 µs  2.6 KB    44 allocs
//	StatusAt (2 targets, 50 check-ins)                    56 ns     0 B     0 allocs
//	Proposal, Markdown (full escaping)                   173 µs   15 KB   516 allocs
//	Proposal, HTML (html/template escaping)              158 µs   19 KB   772 allocs
//	Manager.CheckIn on store/memory (≤ 64 check-ins)     567 µs   88 KB   545 allocs
//	Manager.Check on store/memory, 10 approved           471 µs  115 KB  1198 allocs
//	Manager.Check on store/memory, 200 approved          9.7 ms  1.8 MB   18k allocs
//
// Everything but the stored review is pure computation and cheap. A stored
// review reads every approved and completed strategy to check the budget
// fit, so it grows linearly with them (about 45 µs each, mostly JSON
// decoding); a check-in costs one read and one write of the strategy's
// record, which grows with its check-ins.
package strategy
