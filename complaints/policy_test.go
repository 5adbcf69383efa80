package complaints

import (
	"errors"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
)

func TestDecisionAgainstPolicy(t *testing.T) {
	bought := monday.AddDate(0, -1, 0) // a month ago
	okPurchase := &remedy.Purchase{Date: bought, Proof: true}
	agent := remedy.Actor{Name: "Maria", Role: "agent"}
	tests := []struct {
		name    string
		d       remedy.Decision
		need    string // role that must approve; "" = within authority
		errIs   error
		field   string
		errAsAu bool
	}{
		{name: "apology needs no authority", d: remedy.Decision{Kind: remedy.KindApology, By: remedy.Actor{Name: "Maria", Role: "trainee"}}},
		{name: "refund within agent limit", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(4999), Purchase: okPurchase, By: agent}},
		{name: "refund exactly at limit", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(5000), Purchase: okPurchase, By: agent}},
		{name: "refund above agent limit goes to team leader", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(5001), Purchase: okPurchase, By: agent}, need: "team leader"},
		{name: "large refund skips to manager", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(60000), Purchase: okPurchase, By: agent}, need: "manager"},
		{name: "beyond every limit", d: remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(9000000), By: agent}, errIs: remedy.ErrNotAuthorized, errAsAu: true},
		{name: "role without authority", d: remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(100), By: remedy.Actor{Name: "Pat", Role: "trainee"}}, need: "agent"},
		{name: "negative money", d: remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(-1), By: agent}, errIs: store.ErrInvalid, field: "remedy.amount"},
		{name: "wrong currency", d: remedy.Decision{Kind: remedy.KindVoucher, Amount: money.MustNew(100, "EUR"), By: agent}, errIs: store.ErrInvalid, field: "remedy.amount.currency"},
		{name: "unknown remedy", d: remedy.Decision{Kind: "cash", By: agent}, errIs: store.ErrInvalid, field: "remedy.kind"},
		{name: "decider missing", d: remedy.Decision{Kind: remedy.KindApology}, errIs: store.ErrInvalid, field: "remedy.by.name"},
		{name: "apology with money", d: remedy.Decision{Kind: remedy.KindApology, Amount: aud(100), By: agent}, errIs: store.ErrInvalid, field: "remedy.amount"},
		{name: "refund without purchase details", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(100), By: agent}, errIs: store.ErrInvalid, field: "remedy.purchase"},
		{name: "refund too late", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(100), Purchase: &remedy.Purchase{Date: monday.AddDate(0, -2, -1), Proof: true}, By: agent}, errIs: cxkit.ErrPolicy, field: "remedy.purchase.date"},
		{name: "refund on the last day", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(100), Purchase: &remedy.Purchase{Date: monday.AddDate(0, -2, 0), Proof: true}, By: agent}},
		{name: "refund without proof", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(100), Purchase: &remedy.Purchase{Date: bought}, By: agent}, errIs: cxkit.ErrPolicy, field: "remedy.purchase.proof"},
		{name: "refund of used goods", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(100), Purchase: &remedy.Purchase{Date: bought, Proof: true, Used: true}, By: agent}, errIs: cxkit.ErrPolicy, field: "remedy.purchase.used"},
		{name: "refund of used but faulty goods", d: remedy.Decision{Kind: remedy.KindRefund, Amount: aud(100), Purchase: &remedy.Purchase{Date: bought, Proof: true, Used: true, Faulty: true}, By: agent}},
		{name: "exchange needs no proof", d: remedy.Decision{Kind: remedy.KindExchange, Amount: aud(100), Purchase: &remedy.Purchase{Date: bought}, By: agent}},
		{name: "purchase in the future", d: remedy.Decision{Kind: remedy.KindExchange, Amount: aud(100), Purchase: &remedy.Purchase{Date: monday.AddDate(0, 0, 1)}, By: agent}, errIs: store.ErrInvalid, field: "remedy.purchase.date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			c := f.to(StatusAcknowledged)
			got, err := f.svc.Decide(f.ctx, c.ID, tt.d, 0)
			if tt.errIs != nil {
				if !errors.Is(err, tt.errIs) {
					t.Fatalf("err = %v, want %v", err, tt.errIs)
				}
				var fe *cxkit.ValidationError
				if tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field) {
					t.Errorf("err = %v, want field %s", err, tt.field)
				}
				var ae *cxkit.ValidationError
				if tt.errAsAu != (errors.As(err, &ae) && errors.Is(err, remedy.ErrNotAuthorized)) {
					t.Errorf("authority refusal = %v, want %v", err, tt.errAsAu)
				}
				if tt.errIs == store.ErrInvalid && !errors.Is(err, store.ErrInvalid) {
					t.Errorf("invalid input does not wrap store.ErrInvalid: %v", err)
				}
				stored, _ := f.svc.Get(f.ctx, c.ID)
				if stored.Version != c.Version || stored.Remedy != nil {
					t.Errorf("refused decision changed the complaint")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantState := remedy.StateApproved
			if tt.need != "" {
				wantState = remedy.StatePending
			}
			if got.Remedy.State != wantState || got.Remedy.NeedRole != tt.need {
				t.Errorf("remedy %s awaiting %q, want %s awaiting %q", got.Remedy.State, got.Remedy.NeedRole, wantState, tt.need)
			}
		})
	}
}

func TestApproval(t *testing.T) {
	pending := func(f *fixture, amount int64) Complaint {
		c := f.to(StatusAcknowledged)
		return f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(amount), By: remedy.Actor{Name: "Maria", Role: "agent"}, Note: "goodwill"}, 0))
	}
	tests := []struct {
		name     string
		amount   int64
		approver remedy.Actor
		ok       bool
	}{
		{"team leader within limit", 20000, remedy.Actor{Name: "Jo", Role: "team leader"}, true},
		{"manager above the chain's first step", 20000, remedy.Actor{Name: "Ann", Role: "manager"}, true},
		{"team leader above own limit", 60000, remedy.Actor{Name: "Jo", Role: "team leader"}, false},
		{"another agent", 20000, remedy.Actor{Name: "Bob", Role: "agent"}, false},
		{"unknown role", 20000, remedy.Actor{Name: "Kim", Role: "intern"}, false},
		{"deciding agent approving own decision", 20000, remedy.Actor{Name: "Maria", Role: "team leader"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			c := pending(f, tt.amount)
			if _, err := f.svc.Notify(f.ctx, c.ID, "phone", Input{By: "Maria"}); !errors.Is(err, cxkit.ErrTransition) {
				t.Fatalf("notify while pending: %v", err)
			}
			got, err := f.svc.Approve(f.ctx, c.ID, tt.approver, "fine")
			if !tt.ok {
				var ae *cxkit.ValidationError
				if !errors.Is(err, remedy.ErrNotAuthorized) || !errors.As(err, &ae) {
					t.Fatalf("err = %v, want an AuthorityError", err)
				}
				stored, _ := f.svc.Get(f.ctx, c.ID)
				if stored.Version != c.Version || stored.Remedy.State != remedy.StatePending {
					t.Errorf("refused approval changed the complaint")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Remedy.State != remedy.StateApproved || got.Remedy.ApprovedBy == nil || got.Remedy.ApprovedBy.Name != tt.approver.Name {
				t.Fatalf("remedy %+v", got.Remedy)
			}
			f.must(f.svc.Notify(f.ctx, c.ID, "phone", Input{By: "Maria"}))
		})
	}
}

func TestRejectThenDecideAgain(t *testing.T) {
	f := newFixture(t)
	c := f.to(StatusAcknowledged)
	c = f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(20000), By: remedy.Actor{Name: "Maria", Role: "agent"}}, 0))
	if _, err := f.svc.Reject(f.ctx, c.ID, remedy.Actor{Name: "Jo", Role: "team leader"}, ""); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("reject without reason: %v", err)
	}
	c = f.must(f.svc.Reject(f.ctx, c.ID, remedy.Actor{Name: "Jo", Role: "team leader"}, "too generous for a late delivery"))
	if c.Remedy.State != remedy.StateRejected {
		t.Fatalf("state %s", c.Remedy.State)
	}
	if _, err := f.svc.Approve(f.ctx, c.ID, remedy.Actor{Name: "Ann", Role: "manager"}, ""); !errors.Is(err, cxkit.ErrTransition) {
		t.Fatalf("approving a rejected remedy: %v", err)
	}
	c = f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(3000), By: remedy.Actor{Name: "Maria", Role: "agent"}}, 0))
	if c.Remedy.State != remedy.StateApproved {
		t.Fatalf("revised remedy %s", c.Remedy.State)
	}
}

func TestPolicyValidation(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*remedy.Policy)
		field string
	}{
		{"unknown currency", func(p *remedy.Policy) { p.Currency = "XXX" }, "policy.currency"},
		{"limit in another currency", func(p *remedy.Policy) { p.Authority[0].Limit = money.MustNew(1, "EUR") }, "policy.authority[0].limit"},
		{"negative limit", func(p *remedy.Policy) { p.Authority[1].Limit = aud(-5) }, "policy.authority[1].limit"},
		{"approver not a role", func(p *remedy.Policy) { p.Authority[0].ApprovedBy = "ceo" }, "policy.authority[0].approved_by"},
		{"duplicate role", func(p *remedy.Policy) { p.Authority[1].Role = "agent" }, "policy.authority[1].role"},
		{"negative time limit", func(p *remedy.Policy) { p.Remedies[remedy.KindRefund] = remedy.Rule{WithinDays: -1} }, "policy.remedies[refund]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testConfig().Policy
			tt.mod(&p)
			var fe *cxkit.ValidationError
			if err := p.Validate(); !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("err = %v, want field %s", err, tt.field)
			}
		})
	}
}
