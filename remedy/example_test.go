package remedy_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
)

func shopPolicy() remedy.Policy {
	return remedy.Policy{
		Currency: "AUD",
		Remedies: map[remedy.Kind]remedy.Rule{
			remedy.KindRefund:  {WithinMonths: 2, ProofRequired: true, ExcludeUsed: true},
			remedy.KindVoucher: {Cap: money.MustNew(10000, "AUD")},
		},
		Authority: []remedy.Authority{
			{Role: "agent", Limit: money.MustNew(5000, "AUD"), ApprovedBy: "team leader"},
			{Role: "team leader", Limit: money.MustNew(50000, "AUD")},
		},
	}
}

// A refund above the agent's limit needs the team leader; one beyond the
// price paid, or past the policy's time limit, is refused.
func ExamplePolicy_Check() {
	policy := shopPolicy()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	maria := remedy.Actor{Name: "Maria", Role: "agent"}
	bought := &remedy.Purchase{Price: money.MustNew(12900, "AUD"), Date: now.AddDate(0, 0, -9), Proof: true, Faulty: true}

	need, err := policy.Check(remedy.Decision{Kind: remedy.KindRefund, Amount: money.MustNew(12900, "AUD"), Purchase: bought, By: maria}, now)
	fmt.Printf("needs %q, %v\n", need, err)

	_, err = policy.Check(remedy.Decision{Kind: remedy.KindRefund, Amount: money.MustNew(15000, "AUD"), Purchase: bought, By: maria}, now)
	fmt.Println(err)

	old := &remedy.Purchase{Price: money.MustNew(12900, "AUD"), Date: now.AddDate(0, -3, 0), Proof: true}
	_, err = policy.Check(remedy.Decision{Kind: remedy.KindRefund, Amount: money.MustNew(12900, "AUD"), Purchase: old, By: maria}, now)
	fmt.Println(err)
	// Output:
	// needs "team leader", <nil>
	// remedy.amount: a refund cannot exceed what was paid (AUD 129.00), got AUD 150.00
	// remedy.purchase.date: a refund is only given within 2 month(s) of purchase; bought 2026-08-02
}

// Nobody approves beyond their own limit.
func ExamplePolicy_CanApprove() {
	policy := shopPolicy()
	pending := &remedy.Remedy{Kind: remedy.KindVoucher, Amount: money.MustNew(9000, "AUD"),
		DecidedBy: remedy.Actor{Name: "Maria", Role: "agent"}, State: remedy.StatePending, NeedRole: "team leader"}
	err := policy.CanApprove(pending, remedy.Actor{Name: "Sam", Role: "agent"})
	fmt.Println(errors.Is(err, remedy.ErrNotAuthorized))
	fmt.Println(policy.CanApprove(pending, remedy.Actor{Name: "Jo", Role: "team leader"}))
	// Output:
	// true
	// <nil>
}
