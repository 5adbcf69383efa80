// Package assessment lets a team rate itself against the factors that drive
// customer service performance, name three things it does well and three it
// could do better, turn the latter into actions with an owner and a due
// date, and check later whether things moved. It also runs customer service
// audits on a schedule: evidence per area, findings, recommendations that
// become actions, and each audit compared with the one before.
//
// The common path, on any store driver:
//
//	svc, err := assessment.New(driver, assessment.Config{})
//	if err != nil {
//		return err
//	}
//	cat, _ := assessment.BuiltinCatalogue(assessment.FactorsCatalogue)
//	a, err := svc.Create(ctx, assessment.Assessment{
//		Catalogue: cat.ID, CatalogueVersion: cat.Version, Team: "Reception",
//		Period:       assessment.Period{From: start, To: start.AddDate(0, 0, 7)},
//		Participants: []string{"Ana", "Ben"},
//	}, "Ana")
//	err = svc.Rate(ctx, a.ID, "Ana", assessment.Rate("policy-standards-01", 4))
//	_, err = svc.AcceptSuggestions(ctx, a.ID, "policy-standards", "Ana")
//	_, err = svc.AddAction(ctx, assessment.Action{Assessment: a.ID, Statement: "policy-standards-09",
//		NeedsToHappen: "...", Initiate: "...", Owner: "Ben", Due: start.AddDate(0, 1, 0)}, "Ana")
//
// New takes the driver, a Config of what the organisation decides (its own
// catalogues, how often audits are due) and the options every cxkit
// service shares: WithClock, WithLogger, WithRetryAttempts, WithEntropy and
// WithEventHandler, which delivers the events listed with EventCreated
// after each change is stored.
//
// # Catalogues
//
// A Catalogue is data: an ID, a version, a rating scale and numbered
// factors, each a numbered list of statements with stable IDs. Three are
// built in (see Builtin), restated in the project's own words with the
// numbering of the originals so the two can be read side by side:
//
//   - FactorsCatalogue: the ten factors driving customer service
//     performance, from leadership to improving customer service;
//   - CultureCatalogue: the four areas of a service culture (financial,
//     customer focus, growth and learning, business processes and
//     technology);
//   - AuditCatalogue: the areas a service audit can look into, each
//     checked against what an audit covers, rated met / partly met / not
//     met, with the evidence sources an auditor draws on.
//
// Users load their own with DecodeCatalogue or ParseCatalogue; a
// catalogue is validated on load (one JSON object, nothing after it) and
// every problem, a JSON type error or an unknown field included, comes back
// as a *cxkit.ValidationError naming the full path and the rule:
//
//	catalogue.factors[0].statements[1].id: must be unique in the catalogue, "h1" is also in factor "hygiene"
//
// Service.AddCatalogue stores a user's catalogue so that assessments made
// against it remain readable after a restart. A changed catalogue is a new
// version; statements keep their IDs across versions so that two
// assessments can be compared.
//
// # Assessments
//
// An Assessment names a catalogue version, a team, a period, the
// participants, the factors being assessed and the Scale (by default the
// catalogue's: 1 "strongly disagree" to 5 "strongly agree"). Each
// participant rates statements with Service.Rate, optionally with a comment;
// "not applicable" and "don't know" are answers, never scores. Ratings are
// kept in one sheet per participant, so a room full of people rating at once
// never fight over one record. A participant may change an answer; the
// sheet's History records each call that changed something, with the old
// and the new answer (Service.Sheets returns it).
//
// Results (Service.Results, or Score without a store) give for each
// statement and each factor the response count, the number of scores, the
// mean, median, standard deviation, range and the share of "don't know".
// Factor figures pool every score in the factor; StatementMeans weighs each
// statement equally instead. A statement whose standard deviation reaches a
// quarter of the scale's span (1.0 on 1-5) is flagged Divergent: the team
// sees it differently and should bring every view into the open before
// drawing a conclusion. The Profile ranks the factors and names the
// strongest and the weakest.
//
// # Three well, three better, and actions
//
// Results.Suggest (or Service.Suggest) proposes the highest-scoring
// statements of a factor as things done well and the lowest as things to do
// better, three of each unless the assessment configures other counts. Ties
// on the mean go to more agreement, then fewer "don't know", then catalogue
// order, and each suggestion's Reason says so, including when an equally
// scored statement was left just outside the list. The team decides with
// Service.Choose (or AcceptSuggestions); a pick outside the suggestions is
// kept and marked as an override. A fourth pick when three are configured is
// refused.
//
// For each thing to do better the team records, with Service.AddAction,
// what needs to happen and what the owner will initiate, with an owner and
// a due date, linked to the statement; a statement that is not on the
// factor's "do better" list is refused. Service.UnactionedPicks lists the
// "do better" picks still without an action. Actions move open ->
// in-progress -> done or dropped (done and dropped can be reopened) and
// every move is kept in the action's History. Service.Overdue lists the
// open and in-progress actions past their due time by the Service's clock.
// Service.Close ends the workshop once every factor has its lists.
//
// # Re-assessment
//
// Service.Reassess compares two assessments of the same catalogue,
// statement by statement and factor by factor. A change counts as larger
// than noise when Welch's t test on the two sets of scores rejects "no
// change" at the chosen confidence (95% by default); ScoreChange.Significant
// and Direction say so per statement and factor, and
// Comparison.LargerThanNoise lists just those changes. With five
// participants only large moves pass, which is the honest answer. The test
// treats the two rounds as independent samples even when the same people
// rate twice, which overstates the noise a little: a change it calls real
// is real, a borderline one may be called noise. The earlier
// assessment's actions come with the change of their statement and whether
// it is again on the list of things to do better.
//
// # Audits
//
// Service.StartAudit opens an Audit over some or all areas of the audit
// catalogue. AddEvidence records what was observed or gathered and where it
// came from (observation, feedback forms, complaint forms, surveys,
// questionnaires, third parties such as suppliers or industry bodies, who
// must then be named). AddFinding records a conclusion per area or check,
// optionally rated on the catalogue's scale and citing evidence. Recommend
// attaches recommendations to findings, and ActOn turns one into an Action,
// atomically with the audit's link to it where the driver supports batches.
// AuditReport sums it all up per area. With Config.AuditEveryMonths set,
// AuditsDue says when each scope's next audit falls due, and CompareAudits
// sets two audits of a scope side by side: the mean rated result per area,
// the checks that got better or worse, and the earlier audit's actions
// still open.
//
// # Errors
//
// Bad input never changes anything: the Service checks everything before
// it writes. Errors about input are *cxkit.ValidationError values naming
// the field path and the rule, and wrap store.ErrInvalid; a missing record
// wraps store.ErrNotFound. A status move the table does not allow is a
// *cxkit.TransitionError (errors.Is cxkit.ErrTransition), and an unknown
// scale wraps ErrUnknownScale. Read-modify-write operations retry on
// store.ErrConflict (WithRetryAttempts) and return it only if they keep
// losing the race. Every record's History is a list of cxkit.HistoryEntry.
//
// # Storage
//
// The Service stores five kinds of record through store.Collection:
// KindAssessment, KindSheet, KindAction, KindAudit and KindCatalogue. It
// works on any store.Driver; the runnable program in
// examples/self-assessment uses the embedded file driver.
//
// # Performance
//
// Scoring is linear in the number of ratings; reading the sheets, mostly
// JSON decoding, costs five to ten times the scoring itself. Figures and
// the command that produced them are in BENCHMARKS.md, section assessment.
package assessment
