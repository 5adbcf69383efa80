// Package remedy holds an organisation's refunds and remedies policy as
// data, and checks what someone decides to give a customer against it:
// time since purchase, proof of purchase, used goods, the price paid, caps
// per purchase, and each role's authority limit in money (integer minor
// units) with who approves above it.
//
//	policy := remedy.Policy{
//		Currency: "AUD",
//		Remedies: map[remedy.Kind]remedy.Rule{
//			remedy.KindRefund: {WithinMonths: 2, ProofRequired: true, ExcludeUsed: true},
//		},
//		Authority: []remedy.Authority{
//			{Role: "agent", Limit: money.MustNew(5000, "AUD"), ApprovedBy: "team leader"},
//			{Role: "team leader", Limit: money.MustNew(50000, "AUD")},
//		},
//	}
//	need, err := policy.Check(remedy.Decision{Kind: remedy.KindRefund, Amount: money.MustNew(12900, "AUD"),
//		Purchase: &remedy.Purchase{Date: bought, Proof: true, Faulty: true},
//		By:       remedy.Actor{Name: "Maria", Role: "agent"}}, now)
//	// need == "team leader": the refund waits for their approval
//
// Package complaints records the decisions on complaints (Service.Decide,
// Approve, Reject, RecordRefund) under a Policy of its Config.
package remedy
