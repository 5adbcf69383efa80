// Package feedback handles what customers tell an organisation outside the
// complaints process, from every channel: it takes each piece in, decides
// what kind it is and which of the organisation's categories it belongs
// to, passes it to the manager responsible, keeps versioned feedback forms
// and survey questionnaires, records secondary measures, and summarises a
// period for the managers' meeting.
//
//	model, err := classify.Train(labelled, classify.TrainOptions{}) // []classify.Example people sorted
//	if err != nil {
//		return err
//	}
//	svc, err := feedback.New(memory.New(), feedback.Config{ // or file.Open(dir), postgres
//		Categories:    []string{"food", "housekeeping", "front desk"},
//		Rules:         []feedback.Rule{{ID: "food", Category: "food", Phrases: []string{"menu", "room service"}}},
//		Routes:        []feedback.Route{{Category: "food", Owner: "chef"}},
//		FallbackOwner: "general manager",
//	}, feedback.WithClassifier(model))
//	if err != nil {
//		return err
//	}
//	item, err := svc.Intake(ctx, feedback.Intake{
//		Received: time.Now(), Channel: feedback.ChannelEmail,
//		Text: "Room service brought the meal cold, twice.",
//	})
//	// item.Kind is complaint, item.Category() is food, item.Owner is chef.
//
// # Responding to feedback
//
// The package follows the steps a team takes with the feedback it gets:
//
//  1. Sort it into groups that mean something to the organisation:
//     Service.Intake applies the organisation's keyword Rules first, then
//     the Classifier given with WithClassifier (package classify's Model,
//     or any other model behind the same one-method interface). Whatever
//     neither is sure about waits in the uncategorised queue for a person
//     (Service.Uncategorised, Service.Recategorise).
//  2. Tell the manager concerned: Config.Routes pass each category, and
//     optionally each kind within it, to an owner, with a fallback owner;
//     the item records who it went to and whether they acknowledged it
//     (Service.Acknowledge).
//  3. Record it in categories in a spreadsheet: Service.ExportCSV writes one
//     row per item; Service.ImportCSV reads such a file back, or a sheet
//     kept by hand.
//  4. Present it regularly, in summary: Service.Summarise gives counts by
//     kind, category and channel against the previous period, rating
//     averages, the phrases customers use most in each category and the
//     items still waiting for a person.
//  5. Revise the feedback forms when something stands out: the summary's
//     Rising alerts name a category whose share of the feedback rose
//     beyond what its recent history explains (shares, not counts, so a
//     busy season does not flag everything); Service.PublishForm adds the
//     new version without breaking answers given to the old one.
//
// # Items and kinds
//
// An Item is one piece of feedback: when it arrived, its Channel (every
// way the organisation hears from customers and third parties: see
// Channels), an optional customer reference and form contact fields, its
// free text, optional Ratings or Answers to a form version, and its Kind:
// compliment, complaint, suggestion or question. When the kind is not
// given, InferKind guesses it from a small English lexicon and the item
// records its confidence; below Config.KindThreshold the item waits in the
// kind review queue (Service.KindQueue) until a person confirms or
// corrects it (Service.CorrectKind, recorded in the history). A complaint
// can be handed to the complaints process (Service.HandOff, through the
// ComplaintTaker interface that complaints.Service implements); it keeps
// its category, channel, customer and owner, and its deadlines run from
// the hand-over. Every change is recorded in the item's History, and the
// handlers given with WithEventHandler are told of it (EventReceived,
// EventCategorised, EventRouted, ...).
//
// # Surveys and measures
//
// A Form is one version of a feedback form or survey questionnaire. A new
// version must keep the type and scale of every question it shares with
// earlier versions, so that waves stay comparable. Survey responses
// (Service.Respond) belong to a wave; a respondent answers a wave once
// (Service.ReplaceResponse replaces an answer on purpose, recorded).
// Service.WaveNPS, WaveCSAT and CompareWaves score waves with package
// survey. Secondary measures the organisation already keeps (net sales,
// refunds, waiting times, staff turnover, ...) are recorded with
// Service.RecordObservation, corrected or removed with a reason, and read
// as series; Service.SalesGrowth computes the growth of net sales.
// Service.Measure makes all of these targets a strategy can follow: the
// Service is a cxkit.MeasurementSource (see MetricNames, CountBy,
// ShareOf, SecondaryMetric).
//
// # Privacy
//
// Service is a cxkit.Eraser: cxkit.EraseCustomer with the feedback and
// complaints services takes a customer's reference, the names, e-mail
// addresses and phone numbers known from any of them, and anything shaped
// like an e-mail address or phone number in their free text, out of every
// item, survey response and handed-over complaint, keeping the records'
// dates and categories for the statistics.
//
// # Errors
//
// Bad input fails before anything is written, with a
// *cxkit.ValidationError naming the field and the rule ("item.ratings[0].value:
// must be between 1 and 5, got 7"), which wraps store.ErrInvalid; unknown
// categories also wrap ErrUnknownCategory. Version conflicts from the
// store surface as store.ErrConflict; the service's own read-modify-write
// operations retry them (WithRetryAttempts).
//
// Measured speed (intake, bulk intake, classification) is in BENCHMARKS.md,
// section feedback.
package feedback
