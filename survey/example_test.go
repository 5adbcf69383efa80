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

// CSAT is the share of 4s and 5s, with its Wilson interval.
func ExampleCSAT() {
	s, err := survey.CSAT([]int{5, 4, 4, 3, 5, 2, 5, 4}, 0.95)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("CSAT %.0f%% (%d of %d), 95%% CI %.0f%% to %.0f%%\n", s.Percent, s.Satisfied, s.N, s.Low, s.High)
	// Output: CSAT 75% (6 of 8), 95% CI 41% to 93%
}

// CES is read both as a mean and as the share agreeing it was easy.
func ExampleCES() {
	s, err := survey.CES([]int{7, 6, 5, 5, 3, 6, 7, 2}, 0.95)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("mean %.2f, %.0f%% agree\n", s.Mean, s.Agree)
	// Output: mean 5.12, 75% agree
}

// A questionnaire checks the answers given to it.
func ExampleForm_CheckAnswers() {
	f := survey.Form{Name: "stay", Version: 1, Title: "Your stay", Purpose: survey.PurposeFeedbackForm,
		Sections: []survey.Section{{Title: "Overall", Questions: []survey.Question{
			{ID: "overall", Text: "How satisfied were you?", Type: survey.QuestionTypeCSAT, Required: true},
		}}}}
	if err := f.Validate(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.CheckAnswers("answers", []survey.Answer{{Question: "overall", Value: 6}}))
	// Output: answers[0].value: must be between 1 and 5 for csat question "overall", got 6
}
