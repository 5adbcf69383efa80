package complaints

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
)

// The tests in this file are issue 14's workflow, SLA and remedy gaps: what
// a helpdesk user expects that the six steps alone did not allow.

func collect(f *fixture) *[]cxkit.Event {
	var evs []cxkit.Event
	f.observe(cxkit.EventHandlerFunc(func(_ context.Context, e cxkit.Event) error { evs = append(evs, e); return nil }))
	return &evs
}

func hasEvent(evs []cxkit.Event, t cxkit.EventType) (cxkit.Event, bool) {
	for _, e := range evs {
		if e.Type == t {
			return e, true
		}
	}
	return cxkit.Event{}, false
}

func TestCloseEarly(t *testing.T) {
	f := newFixture(t)
	evs := collect(f)
	in := Input{By: "Maria", Note: "customer rang back"}
	kept := f.log()
	dup := f.to(StatusInvestigating)
	c := f.must(f.svc.CloseEarly(f.ctx, dup.ID, ClosureDuplicate, kept.ID, in))
	if c.Status != StatusClosed || c.Closure != ClosureDuplicate || c.DuplicateOf != kept.ID || !strings.Contains(c.Outcome, kept.ID) {
		t.Errorf("duplicate closed as %s, closure %q of %q, outcome %q", c.Status, c.Closure, c.DuplicateOf, c.Outcome)
	}
	if e, ok := hasEvent(*evs, EventOutcome); !ok || e.Subject != dup.ID {
		t.Errorf("no outcome event: %+v", *evs)
	}
	other := f.log()
	if _, err := f.svc.CloseEarly(f.ctx, other.ID, ClosureDuplicate, "01NOSUCHCOMPLAINT0000000000", in); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("duplicate of a complaint that does not exist: %v", err)
	}
	if _, err := f.svc.CloseEarly(f.ctx, other.ID, ClosureDuplicate, other.ID, in); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("duplicate of itself: %v", err)
	}
	if _, err := f.svc.CloseEarly(f.ctx, other.ID, ClosureWithdrawn, kept.ID, in); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("withdrawn with a kept complaint: %v", err)
	}
	w := f.must(f.svc.CloseEarly(f.ctx, other.ID, ClosureWithdrawn, "", in))
	n := f.must(f.svc.CloseEarly(f.ctx, f.to(StatusAcknowledged).ID, ClosureNotAComplaint, "", in))
	if w.Outcome != "withdrawn by the customer" || n.Outcome != "not a complaint" {
		t.Errorf("outcomes %q, %q", w.Outcome, n.Outcome)
	}
	// Nothing is due on an early-closed complaint, however late it gets.
	f.clock.Set(at(30, 9, 0))
	if rep, err := f.svc.Sweep(f.ctx); err != nil || rep.Checked != 1 {
		t.Errorf("sweep after early closes: %+v, %v; want only the kept complaint checked", rep, err)
	}
}

func TestResolveAtFirstContact(t *testing.T) {
	f := newFixture(t)
	c := f.log()
	c = f.must(f.svc.ResolveAtFirstContact(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(1500), By: remedy.Actor{Name: "Maria", Role: "agent"}}, "on the call"))
	if c.Status != StatusNotified || c.Resolved.IsZero() || c.Acknowledged.IsZero() || c.Owner != "Maria" || c.Remedy.State != remedy.StateApproved {
		t.Fatalf("first-contact resolution left %+v", c)
	}
	if len(c.History) != 2 || c.History[1].Action != string(StepFirstContact) {
		t.Errorf("want one recorded step for decide and notify, history %+v", c.History)
	}
	sum, err := f.svc.Summarise(f.ctx, monday.Add(-time.Hour), monday.Add(time.Hour))
	if err != nil || sum.FirstContactResolution != 1 {
		t.Errorf("first-contact resolution %v, %v; want 1", sum.FirstContactResolution, err)
	}
	// Beyond the agent's own authority it is not a first-contact resolution.
	d := f.log()
	if _, err := f.svc.ResolveAtFirstContact(f.ctx, d.ID, remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(9000), By: remedy.Actor{Name: "Maria", Role: "agent"}}, "call"); !errors.Is(err, remedy.ErrNotAuthorized) {
		t.Errorf("above the agent's limit: %v", err)
	}
	f.must(f.svc.FollowUp(f.ctx, c.ID, true, Input{By: "Maria"}))
}

func TestWaitingOnCustomerPausesTheResolutionClock(t *testing.T) {
	f := newFixture(t) // resolve in 16 business hours: due Tuesday 17:00
	c := f.to(StatusInvestigating)
	due := c.Due.Resolve
	f.clock.Set(at(3, 9, 0)) // Tuesday 09:00: 8 business hours used
	c = f.must(f.svc.WaitOnCustomer(f.ctx, c.ID, Input{By: "Maria", Note: "asked for the receipt"}))
	f.clock.Set(at(6, 16, 0)) // Friday: long past the original due time
	if rep, err := f.svc.Sweep(f.ctx); err != nil || rep.Breaches != 1 {
		// only the acknowledgement (due Monday 13:00, never done) breaches
		t.Errorf("sweep while waiting: %+v, %v; want only the acknowledgement breached", rep, err)
	}
	c = f.must(f.svc.Get(f.ctx, c.ID))
	for _, d := range f.svc.Deadlines(&c, f.clock.Now()) {
		if d.Name == DeadlineResolve && d.State != DeadlineStatePaused {
			t.Errorf("resolve while waiting is %s, want paused", d.State)
		}
	}
	if c.Breached[DeadlineResolve] {
		t.Error("resolution breached while waiting on the customer")
	}
	c = f.must(f.svc.Resume(f.ctx, c.ID, Input{By: "Maria", Note: "receipt arrived"}))
	if c.Status != StatusInvestigating {
		t.Fatalf("resumed to %s", c.Status)
	}
	// 31 business hours were spent waiting (Tuesday 09:00
	// to Friday 16:00): the 8 hours left now run from
	// Friday 16:00: one hour on Friday, seven on Monday, to 16:00.
	if want := at(9, 16, 0); !c.Due.Resolve.Equal(want) || !c.Due.Resolve.After(due) {
		t.Errorf("resolve due %s after resuming, want %s", c.Due.Resolve, want)
	}
	if c.Paused != 31*time.Hour {
		t.Errorf("paused %s, want 31h", c.Paused)
	}
}

func TestFollowUpUnreachable(t *testing.T) {
	f := newFixture(t)
	c := f.to(StatusNotified)
	c = f.must(f.svc.FollowUpUnreachable(f.ctx, c.ID, Input{By: "Maria", Note: "three calls, no answer"}))
	if c.Status != StatusFollowedUp || !c.Unreachable || c.Satisfied != nil || c.FollowedUp.IsZero() {
		t.Fatalf("unreachable follow-up left %+v", c)
	}
	f.must(f.svc.Close(f.ctx, c.ID, "", Input{By: "Maria"}))
}

func TestTargetsPerCategoryAndSeverity(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Targets.Rules = []TargetRule{
			{Category: "product safety", Acknowledge: time.Hour, Resolve: 4 * time.Hour},
			{Severity: SeverityCritical, Acknowledge: 2 * time.Hour},
		}
	})
	safety := sampleNew()
	safety.Category = "product safety"
	critical := sampleNew()
	critical.Severity = SeverityCritical
	s := f.must(f.svc.Log(f.ctx, safety))
	c := f.must(f.svc.Log(f.ctx, critical))
	p := f.log()
	checks := []struct {
		name     string
		got, due time.Time
	}{
		{"safety acknowledge", s.Due.Acknowledge, at(2, 10, 0)},
		{"safety resolve", s.Due.Resolve, at(2, 13, 0)},
		{"critical acknowledge", c.Due.Acknowledge, at(2, 11, 0)},
		{"critical resolve (default)", c.Due.Resolve, at(3, 17, 0)},
		{"parcel acknowledge (default)", p.Due.Acknowledge, at(2, 13, 0)},
	}
	for _, ch := range checks {
		if !ch.got.Equal(ch.due) {
			t.Errorf("%s due %s, want %s", ch.name, ch.got, ch.due)
		}
	}
	f.clock.Set(at(2, 10, 30))
	if rep, err := f.svc.Sweep(f.ctx); err != nil || rep.Breaches != 1 {
		t.Errorf("at 10:30 only the safety acknowledgement is breached: %+v, %v", rep, err)
	}
	bad := testConfig()
	bad.Targets.Rules = []TargetRule{{Resolve: time.Hour}}
	if err := bad.Validate(); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a rule matching everything: %v", err)
	}
}

func TestSweepAnnouncesAtRiskOnce(t *testing.T) {
	f := newFixture(t) // acknowledge in 4 business hours, warned at 75%
	evs := collect(f)
	c := f.log()
	f.clock.Set(at(2, 12, 5))
	rep, err := f.svc.Sweep(f.ctx)
	if err != nil || rep.AtRisk != 1 {
		t.Fatalf("sweep at 12:05: %+v, %v; want one deadline at risk", rep, err)
	}
	e, ok := hasEvent(*evs, EventAtRisk)
	if !ok || e.Subject != c.ID || e.Attrs["deadline"] != string(DeadlineAcknowledge) || e.Attrs["owner"] != "team leader" {
		t.Errorf("at-risk event %+v", e)
	}
	if rep, _ := f.svc.Sweep(f.ctx); rep.AtRisk != 0 {
		t.Errorf("second sweep announced it again: %+v", rep)
	}
}

func TestReferralHasItsOwnDeadline(t *testing.T) {
	f := newFixture(t)
	evs := collect(f)
	c := f.log()
	c = f.must(f.svc.Refer(f.ctx, c.ID, Referral{Body: "Energy Ombudsman", BodyKind: BodyKindOmbudsman, Due: monday.AddDate(0, 0, 28)}, Input{By: "Jo"}))
	found := false
	for _, d := range f.svc.Deadlines(&c, monday) {
		found = found || d.Name == DeadlineReferral && d.Due.Equal(monday.AddDate(0, 0, 28))
	}
	if !found {
		t.Fatalf("no referral deadline in %+v", f.svc.Deadlines(&c, monday))
	}
	f.clock.Set(monday.AddDate(0, 0, 29))
	if _, err := f.svc.Sweep(f.ctx); err != nil {
		t.Fatal(err)
	}
	breached := false
	for _, e := range *evs {
		breached = breached || e.Type == EventBreach && e.Attrs["deadline"] == string(DeadlineReferral)
	}
	if !breached {
		t.Error("the outside body's missed deadline raised no breach")
	}
}

func TestRecordedOutcomeIsNotSilentlyOverwritten(t *testing.T) {
	f := newFixture(t)
	evs := collect(f)
	c := f.to(StatusFollowedUp) // outcome "apology", from the notified remedy
	c = f.must(f.svc.Close(f.ctx, c.ID, "resolved", Input{By: "Jo"}))
	last := c.History[len(c.History)-1]
	if !strings.Contains(last.What, `"apology"`) || !strings.Contains(last.What, "resolved") {
		t.Errorf("closing history %q does not record the outcome it replaced", last.What)
	}
	if e := (*evs)[len(*evs)-1]; e.Type != EventOutcome || e.Attrs["replaced"] != "apology" || e.Attrs["outcome"] != "resolved" {
		t.Errorf("outcome event %+v", e)
	}
	r := f.to(StatusFollowedUp)
	r = f.must(f.svc.Refer(f.ctx, r.ID, Referral{Body: "Ombudsman", BodyKind: BodyKindOmbudsman}, Input{By: "Jo"}))
	f.must(f.svc.ReferralOutcome(f.ctx, r.ID, "not upheld", Input{By: "Jo"}))
	if _, err := f.svc.ReferralOutcome(f.ctx, r.ID, "upheld", Input{By: "Jo"}); !errors.Is(err, cxkit.ErrTransition) {
		t.Errorf("second outside outcome: %v, want a refusal", err)
	}
	if r = f.must(f.svc.Get(f.ctx, r.ID)); r.Referral.Outcome != "not upheld" {
		t.Errorf("outside outcome now %q", r.Referral.Outcome)
	}
}

func TestDueOwnerFollowsEscalationAndReassignment(t *testing.T) {
	f := newFixture(t)
	c := f.to(StatusAcknowledged) // Maria takes responsibility
	f.clock.Set(at(3, 17, 1))     // resolution breached: the sweep escalates to the team leader, Jo
	if _, err := f.svc.Sweep(f.ctx); err != nil {
		t.Fatal(err)
	}
	owner := func() string {
		rs, err := f.svc.Due(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.ComplaintID == c.ID && r.Deadline.Name == DeadlineResolve {
				return r.Owner
			}
		}
		return ""
	}
	if got := owner(); got != "Jo" {
		t.Errorf("after escalation the due resolution is shown to %q, want Jo", got)
	}
	f.must(f.svc.Reassign(f.ctx, c.ID, Assignment{Resolver: "Ann"}, Input{By: "Jo"}))
	if got := owner(); got != "Ann" {
		t.Errorf("after reassignment the due resolution is shown to %q, want Ann", got)
	}
}

func TestRemedyPriceCapsPaymentAndRevision(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Policy.Remedies[remedy.KindVoucher] = remedy.Rule{Cap: aud(10000)}
		c.Policy.Remedies[remedy.KindRepair] = remedy.Rule{CapShare: 0.5}
	})
	agent, leader := remedy.Actor{Name: "Maria", Role: "agent"}, remedy.Actor{Name: "Jo", Role: "team leader"}
	bought := &remedy.Purchase{Ref: "SO-1", Price: aud(4000), Date: monday.AddDate(0, 0, -3), Proof: true, Faulty: true}
	c := f.to(StatusAcknowledged)
	tests := []struct {
		name  string
		d     remedy.Decision
		field string
		pol   bool
	}{
		{"refund above the price paid", remedy.Decision{Kind: remedy.KindRefund, Amount: aud(4500), Purchase: bought, By: leader}, "remedy.amount", false},
		{"voucher above the cap", remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(12000), By: remedy.Actor{Name: "Ann", Role: "manager"}}, "remedy.amount", true},
		{"repair above half the price", remedy.Decision{Kind: remedy.KindRepair, Amount: aud(2500), Purchase: bought, By: leader}, "remedy.amount", true},
		{"repair without a price", remedy.Decision{Kind: remedy.KindRepair, Amount: aud(100), By: agent}, "remedy.purchase.price", false},
	}
	for _, tt := range tests {
		_, err := f.svc.Decide(f.ctx, c.ID, tt.d, 0)
		var verr *cxkit.ValidationError
		if !errors.As(err, &verr) || verr.Field != tt.field || errors.Is(err, cxkit.ErrPolicy) != tt.pol {
			t.Errorf("%s: %v, want field %s (policy %v)", tt.name, err, tt.field, tt.pol)
		}
	}
	c = f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindRefund, Amount: aud(4000), Purchase: bought, By: leader}, 0))
	// Approved, not yet told: it can be revised, and the history says so.
	c = f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindRefund, Amount: aud(3500), Purchase: bought, By: leader, Note: "part used"}, 0))
	if c.Remedy.Amount != aud(3500) || !strings.Contains(c.History[len(c.History)-1].What, "revises refund AUD 40.00") {
		t.Errorf("revision: remedy %v, history %q", c.Remedy, c.History[len(c.History)-1].What)
	}
	if _, err := f.svc.RecordRefund(f.ctx, c.ID, remedy.Payment{Method: "bitcoin", By: "till"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("unknown payment method: %v", err)
	}
	paid := f.clock.Now().Add(-30 * time.Minute)
	c = f.must(f.svc.RecordRefund(f.ctx, c.ID, remedy.Payment{Method: remedy.MethodCheque, Paid: paid, Reference: "CHQ 000123", By: "accounts"}))
	if p := c.Remedy.Payment; p == nil || p.Method != remedy.MethodCheque || !p.Paid.Equal(paid) || p.Reference != "CHQ 000123" {
		t.Errorf("payment %+v", c.Remedy.Payment)
	}
	if _, err := f.svc.RecordRefund(f.ctx, c.ID, remedy.Payment{Method: remedy.MethodCash, By: "till"}); !errors.Is(err, cxkit.ErrTransition) {
		t.Errorf("second payment: %v", err)
	}
	c = f.must(f.svc.Notify(f.ctx, c.ID, "phone", Input{By: "Jo"}))
	if _, err := f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindApology, By: leader}, 0); !errors.Is(err, cxkit.ErrTransition) {
		t.Errorf("revising after the customer was told: %v", err)
	}
}
