package stats_test

import (
	"fmt"

	"github.com/cxkit/cxkit/internal/stats"
)

// Forty of 100 customers satisfied last wave and sixty of 100 this wave: a
// change that two-proportion z calls real at 95%, with each wave's Wilson
// interval.
func ExampleTwoProportionZ() {
	before, after := stats.Wilson(40, 100, 0.95), stats.Wilson(60, 100, 0.95)
	test := stats.TwoProportionZ(40, 100, 60, 100)
	fmt.Printf("before %.0f%% [%.0f%%, %.0f%%], after %.0f%% [%.0f%%, %.0f%%]\n",
		100*before.Estimate, 100*before.Low, 100*before.High, 100*after.Estimate, 100*after.Low, 100*after.High)
	fmt.Printf("z = %.2f, p = %.4f, real change at 95%%: %v\n", test.Statistic, test.P, test.Significant(0.95))
	// Output:
	// before 40% [31%, 50%], after 60% [50%, 69%]
	// z = 2.83, p = 0.0047, real change at 95%: true
}
