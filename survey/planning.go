package survey

import (
	"math"

	"github.com/cxkit/cxkit/internal/stats"
)

// ResponsesNeeded returns how many completed responses estimate a
// proportion within +- margin (0.05 for five points) at confidence conf,
// from a population of the given size (0 for a population so large it does
// not matter). It assumes the worst case, a proportion of one half, and
// applies the finite population correction: n0 = z^2/(4 margin^2), then
// n = n0 / (1 + (n0-1)/population).
func ResponsesNeeded(margin, conf float64, population int) (int, error) {
	if !(margin > 0 && margin < 1) {
		return 0, invalidf("margin", "must be between 0 and 1 exclusive (0.05 is five points), got %g", margin)
	}
	if err := checkConf(conf); err != nil {
		return 0, err
	}
	if population < 0 {
		return 0, invalidf("population", "must not be negative, got %d", population)
	}
	z := stats.TwoSidedZ(conf)
	n0 := z * z * 0.25 / (margin * margin)
	if population > 0 {
		n0 = n0 / (1 + (n0-1)/float64(population))
	}
	// Rounding guards against 384.00000001 becoming 385.
	return int(math.Ceil(n0 - 1e-9)), nil
}

// InvitationsNeeded returns how many invitations to send to expect
// completed responses at the expected response rate (0 to 1): with one in
// three answering, 100 completed surveys take 300 invitations (a rate
// written as 0.33 is a little under one in three and takes 304). It rounds
// up, so the expected number of completed responses is never short.
func InvitationsNeeded(completed int, rate float64) (int, error) {
	if completed < 0 {
		return 0, invalidf("completed", "must not be negative, got %d", completed)
	}
	if !(rate > 0 && rate <= 1) {
		return 0, invalidf("rate", "must be above 0 and at most 1, got %g", rate)
	}
	return int(math.Ceil(float64(completed)/rate - 1e-9)), nil
}
