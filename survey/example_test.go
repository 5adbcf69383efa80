package survey_test

import (
	"fmt"
	"log"

	"github.com/cxkit/cxkit/survey"
)

// NPS counts promoters (9-10) and detractors (0-6) among the answered
// responses and gives an adjusted-Wald interval.
func ExampleNPS() {
	s, err := survey.NPS([]int{10, 10, 9, 8, 7, 6, 5, 0, 9, 10}, 0.95)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("NPS %.0f (%d promoters, %d detractors of %d), 95%% CI %.1f to %.1f\n", s.Score, s.Promoters, s.Detractors, s.N, s.Low, s.High)
	// Output: NPS 20 (5 promoters, 3 detractors of 10), 95% CI -30.3 to 61.1
}

// Comparing two survey waves says whether a change is real.
func ExampleCompareNPS() {
	before := []int{10, 10, 9, 8, 7, 6, 5, 0, 9, 10}
	after := []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 8, 7, 3, 2}
	c, err := survey.CompareNPS(before, after, 0.95)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Verdict)
	// Output: NPS went from 20.0 to 70.0 (+50.0 points); at 95% confidence this could be chance, so treat the waves as the same (adjusted-Wald z test, p = 0.0971).
}

// Planning a survey: responses for a margin of error, then invitations at
// the expected response rate.
func ExampleResponsesNeeded() {
	n, _ := survey.ResponsesNeeded(0.05, 0.95, 2000)
	inv, _ := survey.InvitationsNeeded(n, 1.0/3)
	fmt.Printf("%d responses from 2000 guests for ±5 points at 95%%: send %d invitations\n", n, inv)
	// Output: 323 responses from 2000 guests for ±5 points at 95%: send 969 invitations
}
