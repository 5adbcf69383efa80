// Package survey scores customer surveys and plans them: Net Promoter Score,
// customer satisfaction and customer effort, each with a confidence
// interval, the tests that tell whether a change between two waves is real,
// and how many responses and invitations a wave needs. It is pure
// arithmetic on answers; package feedback stores the questionnaires and
// responses and calls it.
//
//	s, err := survey.NPS([]int{10, 9, 8, 6, 10}, 0.95)
//	if err != nil {
//		return err
//	}
//	fmt.Printf("NPS %.0f (%.0f to %.0f)\n", s.Score, s.Low, s.High)
//
// The scores count answered responses only:
//
//   - NPS: % promoters (9-10) minus % detractors (0-6), with the
//     adjusted-Wald interval (n+3, promoters and detractors +3/4), the
//     method Rocks (2016, The American Statistician) found to keep its
//     coverage best and Sauro and Lewis recommend; it is centred on the
//     adjusted score, so it is not symmetric about the plain one.
//   - CSAT: % of answers that are 4 or 5, with the Wilson interval.
//   - CES: the mean with its t interval, and % agreeing (5-7) with the
//     Wilson interval.
//
// CompareNPS, CompareCSAT and CompareCES test a change between waves with
// the test that fits the score (adjusted-Wald z for NPS, two-proportion z
// for CSAT, Welch's t for the CES mean) and say in plain words whether it
// is real at the confidence asked for. ResponsesNeeded and
// InvitationsNeeded plan a wave: responses for a margin of error (with the
// finite population correction) and invitations at an expected response
// rate (100 completed at one in three takes 300).
//
// Bad input (an answer off the scale, a confidence outside 0 to 1) fails
// with a *cxkit.ValidationError naming the field and the rule.
package survey
