package complaints

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store"
)

// want is the workflow written out independently of the transitions map:
// for each state, the steps that are legal and where they lead. Every
// other pair must be refused.
var want = map[Status]map[Step]Status{
	StatusReceived: {StepInvestigate: StatusInvestigating, StepEscalate: StatusEscalated, StepRefer: StatusReferred,
		StepCloseEarly: StatusClosed, StepFirstContact: StatusNotified},
	StatusInvestigating: {StepAcknowledge: StatusAcknowledged, StepEscalate: StatusEscalated, StepRefer: StatusReferred,
		StepCloseEarly: StatusClosed, StepFirstContact: StatusNotified, StepWait: StatusWaiting},
	StatusAcknowledged: {StepDecide: StatusDecided, StepEscalate: StatusEscalated, StepRefer: StatusReferred,
		StepCloseEarly: StatusClosed, StepFirstContact: StatusNotified, StepWait: StatusWaiting},
	StatusDecided: {StepDecide: StatusDecided, StepNotify: StatusNotified, StepEscalate: StatusEscalated, StepRefer: StatusReferred,
		StepCloseEarly: StatusClosed, StepWait: StatusWaiting},
	StatusNotified:   {StepFollowUp: StatusFollowedUp, StepEscalate: StatusEscalated, StepRefer: StatusReferred, StepCloseEarly: StatusClosed},
	StatusFollowedUp: {StepClose: StatusClosed, StepEscalate: StatusEscalated, StepRefer: StatusReferred},
	StatusClosed:     {StepReopen: StatusInvestigating},
	StatusReferred:   {StepClose: StatusClosed, StepCloseEarly: StatusClosed},
	// escalated from received: resumes the main line from there
	StatusEscalated: {StepInvestigate: StatusInvestigating, StepEscalate: StatusEscalated, StepRefer: StatusReferred,
		StepCloseEarly: StatusClosed, StepFirstContact: StatusNotified},
	// waiting from investigating: resumes there
	StatusWaiting: {StepResume: StatusInvestigating, StepCloseEarly: StatusClosed},
}

func TestNextEveryPair(t *testing.T) {
	for _, from := range Statuses() {
		for _, step := range Steps() {
			t.Run(fmt.Sprintf("%s/%s", from, step), func(t *testing.T) {
				resume := Status("")
				switch from {
				case StatusEscalated:
					resume = StatusReceived
				case StatusWaiting:
					resume = StatusInvestigating
				}
				to, ok := Next(from, resume, step)
				exp, legal := want[from][step]
				if ok != legal || to != exp {
					t.Errorf("Next(%s, %s) = %q, %v; want %q, %v", from, step, to, ok, exp, legal)
				}
			})
		}
	}
}

func TestNextEscalatedResumesWhereItStood(t *testing.T) {
	tests := []struct {
		resume Status
		step   Step
		to     Status
		ok     bool
	}{
		{StatusInvestigating, StepAcknowledge, StatusAcknowledged, true},
		{StatusInvestigating, StepInvestigate, "", false},
		{StatusAcknowledged, StepDecide, StatusDecided, true},
		{StatusAcknowledged, StepNotify, "", false},
		{StatusDecided, StepNotify, StatusNotified, true},
		{StatusNotified, StepFollowUp, StatusFollowedUp, true},
		{StatusFollowedUp, StepClose, StatusClosed, true},
		{StatusFollowedUp, StepReopen, "", false},
		{StatusFollowedUp, StepEscalate, StatusEscalated, true},
	}
	for _, tt := range tests {
		to, ok := Next(StatusEscalated, tt.resume, tt.step)
		if to != tt.to || ok != tt.ok {
			t.Errorf("Next(escalated from %s, %s) = %q, %v; want %q, %v", tt.resume, tt.step, to, ok, tt.to, tt.ok)
		}
	}
}

// doStep takes step on c with valid arguments for it.
func doStep(f *fixture, c Complaint, step Step) (Complaint, error) {
	in := Input{By: "Jo", Note: "table test"}
	s, ctx := f.svc, f.ctx
	switch step {
	case StepInvestigate:
		return s.Investigate(ctx, c.ID, in)
	case StepAcknowledge:
		return s.Acknowledge(ctx, c.ID, "Jo", in)
	case StepDecide:
		return s.Decide(ctx, c.ID, remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(2000), By: remedy.Actor{Name: "Jo", Role: "team leader"}, Note: "table test"}, 0)
	case StepNotify:
		return s.Notify(ctx, c.ID, "email", in)
	case StepFollowUp:
		return s.FollowUp(ctx, c.ID, false, in)
	case StepClose:
		return s.Close(ctx, c.ID, "", in)
	case StepEscalate:
		return s.Escalate(ctx, c.ID, c.Level+1, in)
	case StepRefer:
		return s.Refer(ctx, c.ID, Referral{Body: "Industry Ombudsman", BodyKind: BodyKindOmbudsman, Reference: "R-1"}, in)
	case StepReopen:
		return s.Reopen(ctx, c.ID, in)
	case StepCloseEarly:
		return s.CloseEarly(ctx, c.ID, ClosureWithdrawn, "", in)
	case StepFirstContact:
		return s.ResolveAtFirstContact(ctx, c.ID, remedy.Decision{Kind: remedy.KindVoucher, Amount: aud(2000), By: remedy.Actor{Name: "Jo", Role: "team leader"}, Note: "table test"}, "phone")
	case StepWait:
		return s.WaitOnCustomer(ctx, c.ID, in)
	case StepResume:
		return s.Resume(ctx, c.ID, in)
	}
	panic(step)
}

// TestEveryTransitionThroughTheService takes every step from every state
// on a stored complaint: legal steps move it where the table says and
// record it; illegal ones return a TransitionError naming the state and
// the step and leave the stored complaint exactly as it was.
func TestEveryTransitionThroughTheService(t *testing.T) {
	// Steps() the table allows but the complaint is not ready for.
	precondition := map[[2]string]bool{
		{string(StatusReferred), string(StepClose)}: true, // no outcome from the outside body yet
	}
	for _, from := range Statuses() {
		for _, step := range Steps() {
			t.Run(fmt.Sprintf("%s/%s", from, step), func(t *testing.T) {
				f := newFixture(t)
				c := f.to(from)
				if c.Status != from {
					t.Fatalf("fixture reached %s, want %s", c.Status, from)
				}
				got, err := doStep(f, c, step)
				exp, legal := want[from][step]
				if legal && !precondition[[2]string{string(from), string(step)}] {
					if err != nil {
						t.Fatalf("legal step failed: %v", err)
					}
					if got.Status != exp {
						t.Fatalf("status %s, want %s", got.Status, exp)
					}
					last := got.History[len(got.History)-1]
					if last.Action != string(step) || Status(last.From) != from || Status(last.To) != exp || last.By != "Jo" || last.Why != "table test" || last.At.IsZero() {
						t.Errorf("history entry %+v does not record the step", last)
					}
					return
				}
				var te *cxkit.TransitionError
				if !errors.As(err, &te) || !errors.Is(err, cxkit.ErrTransition) {
					t.Fatalf("err = %v, want a TransitionError", err)
				}
				if Status(te.From) != from || Step(te.Step) != step || te.ID != c.ID {
					t.Errorf("TransitionError names %s/%s/%s, want %s/%s/%s", te.ID, te.From, te.Step, c.ID, from, step)
				}
				stored, err := f.svc.Get(f.ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if stored.Version != c.Version || len(stored.History) != len(c.History) || stored.Status != from {
					t.Errorf("refused step changed the complaint: version %d->%d, history %d->%d", c.Version, stored.Version, len(c.History), len(stored.History))
				}
			})
		}
	}
}

func TestDissatisfiedFollowUpOffersEscalation(t *testing.T) {
	f := newFixture(t)
	var got []cxkit.Event
	f.observe(cxkit.EventHandlerFunc(func(_ context.Context, e cxkit.Event) error { got = append(got, e); return nil }))
	c := f.to(StatusNotified)
	got = nil
	c = f.must(f.svc.FollowUp(f.ctx, c.ID, false, Input{By: "Maria", Note: "still unhappy"}))
	if c.Satisfied == nil || *c.Satisfied {
		t.Fatalf("satisfied = %v, want false", c.Satisfied)
	}
	if len(got) != 2 || got[1].Type != EventDissatisfied {
		t.Fatalf("events %+v, want transition then dissatisfied", got)
	}
	offer := strings.Split(got[1].Attrs["offer"], ", ")
	if !slices.Contains(offer, string(StepEscalate)) || !slices.Contains(offer, string(StepRefer)) {
		t.Errorf("offer %v lacks escalate and refer", offer)
	}
}

func TestReferralNeedsOutcomeBeforeClosing(t *testing.T) {
	f := newFixture(t)
	c := f.to(StatusFollowedUp)
	in := Input{By: "Jo"}
	c = f.must(f.svc.Refer(f.ctx, c.ID, Referral{Body: "Energy Ombudsman", BodyKind: BodyKindOmbudsman, Reference: "EO-77"}, in))
	if c.Referral == nil || c.Referral.Date.IsZero() || c.Referral.Reference != "EO-77" {
		t.Fatalf("referral %+v", c.Referral)
	}
	if _, err := f.svc.Close(f.ctx, c.ID, "", in); !errors.Is(err, cxkit.ErrTransition) {
		t.Fatalf("close without outcome: %v", err)
	}
	c = f.must(f.svc.ReferralOutcome(f.ctx, c.ID, "complaint upheld in part", in))
	c = f.must(f.svc.Close(f.ctx, c.ID, "", in))
	if c.Status != StatusClosed || c.Outcome != "complaint upheld in part" || c.Referral.OutcomeAt.IsZero() {
		t.Errorf("closed complaint %+v", c)
	}
}

func TestReopenIsRecorded(t *testing.T) {
	f := newFixture(t)
	c := f.to(StatusClosed)
	if _, err := f.svc.Reopen(f.ctx, c.ID, Input{By: "Jo"}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("reopen without a reason: %v", err)
	}
	c = f.must(f.svc.Reopen(f.ctx, c.ID, Input{By: "Jo", Note: "kettle failed again"}))
	if c.Status != StatusInvestigating || c.Reopened != 1 || c.Remedy != nil || !c.Resolved.IsZero() || c.Acknowledged.IsZero() {
		t.Errorf("reopened complaint %+v", c)
	}
	last := c.History[len(c.History)-1]
	if last.Action != string(StepReopen) || last.Why != "kettle failed again" {
		t.Errorf("history %+v", last)
	}
}

// TestReopenRestartsTheClock: a complaint resolved late and reopened gets
// its full resolution target again from the reopening, is not swept as
// breached at once, and still counts as breached in the statistics.
func TestReopenRestartsTheClock(t *testing.T) {
	f := newFixture(t)
	n := sampleNew()
	n.Received = monday // resolve due Tuesday 17:00 (16 business hours)
	f.clock.Set(at(4, 10, 0))
	c := f.must(f.svc.Log(f.ctx, n))
	if rep, err := f.svc.Sweep(f.ctx); err != nil || rep.Breaches != 2 {
		t.Fatalf("sweep before reopening: %+v, %v; want acknowledge and resolve breached", rep, err)
	}
	in := Input{By: "Maria"}
	f.must(f.svc.Investigate(f.ctx, c.ID, in))
	f.must(f.svc.Acknowledge(f.ctx, c.ID, "Maria", in))
	f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindApology, By: remedy.Actor{Name: "Maria", Role: "agent"}}, 0))
	f.must(f.svc.Notify(f.ctx, c.ID, "phone", in))
	f.must(f.svc.FollowUp(f.ctx, c.ID, true, in))
	f.must(f.svc.Close(f.ctx, c.ID, "", in))

	f.clock.Set(at(9, 9, 0)) // Monday a week later
	c = f.must(f.svc.Reopen(f.ctx, c.ID, Input{By: "Jo", Note: "kettle failed again"}))
	if !c.Restarted.Equal(at(9, 9, 0)) {
		t.Errorf("restarted %s, want the reopening time", c.Restarted)
	}
	if want := at(10, 17, 0); !c.Due.Resolve.Equal(want) {
		t.Errorf("resolve due %s, want %s: 16 business hours from the reopening", c.Due.Resolve, want)
	}
	if !slices.Equal(c.PastBreaches, []Deadline{DeadlineResolve}) {
		t.Errorf("past breaches %v, want [resolve]", c.PastBreaches)
	}
	last := c.History[len(c.History)-1]
	if !strings.Contains(last.What, "resolution clock restarted") || !strings.Contains(last.What, "missed before: resolve") {
		t.Errorf("history does not record the restart: %q", last.What)
	}
	for _, d := range f.svc.Deadlines(&c, at(9, 10, 0)) {
		if d.Name == DeadlineResolve && d.State != DeadlineStateOnTrack {
			t.Errorf("resolve right after reopening is %s, want on-track", d.State)
		}
	}
	if rep, err := f.svc.Sweep(f.ctx); err != nil || rep.Breaches != 0 || rep.Escalated != 0 {
		t.Errorf("sweep right after reopening: %+v, %v; want nothing", rep, err)
	}
	// The new round breaches once, and is reported.
	f.clock.Set(at(11, 9, 0))
	if rep, err := f.svc.Sweep(f.ctx); err != nil || rep.Breaches != 1 {
		t.Errorf("sweep after the restarted deadline: %+v, %v; want one breach", rep, err)
	}
	sum, err := f.svc.Summarise(f.ctx, monday.Add(-time.Hour), monday.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Breaches != 1 {
		t.Errorf("summary breaches %d, want 1", sum.Breaches)
	}
}

// TestReopenAfterTimelyResolutionIsNotABreach: nothing late before the
// reopening, nothing remembered.
func TestReopenAfterTimelyResolutionIsNotABreach(t *testing.T) {
	f := newFixture(t)
	c := f.to(StatusClosed)
	f.clock.Set(at(9, 9, 0))
	c = f.must(f.svc.Reopen(f.ctx, c.ID, Input{By: "Jo", Note: "again"}))
	if len(c.PastBreaches) != 0 {
		t.Errorf("past breaches %v, want none", c.PastBreaches)
	}
	if f.svc.late(&c, at(9, 10, 0)) {
		t.Errorf("a reopened complaint resolved on time counts as late")
	}
}

func TestParseStatusAndStep(t *testing.T) {
	for _, st := range Statuses() {
		if got, err := ParseStatus(string(st)); err != nil || got != st {
			t.Errorf("ParseStatus(%q) = %q, %v", st, got, err)
		}
	}
	for _, st := range Steps() {
		if got, err := ParseStep(string(st)); err != nil || got != st {
			t.Errorf("ParseStep(%q) = %q, %v", st, got, err)
		}
	}
	var fe *cxkit.ValidationError
	if _, err := ParseStatus("clsoed"); !errors.As(err, &fe) || fe.Field != "status" || !strings.Contains(fe.Rule, "investigating") {
		t.Errorf("unknown state: %v", err)
	}
	if _, err := ParseStep("teleport"); !errors.As(err, &fe) || fe.Field != "step" {
		t.Errorf("unknown step: %v", err)
	}
}
