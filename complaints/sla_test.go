package complaints

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

func TestDueTimesInBusinessHours(t *testing.T) {
	f := newFixture(t)
	f.clock.Set(at(6, 15, 0)) // Friday 15:00
	c := f.log()
	// 4 business hours: 2 on Friday, 2 on Monday.
	if want := at(9, 11, 0); !c.Due.Acknowledge.Equal(want) {
		t.Errorf("acknowledge due %s, want %s", c.Due.Acknowledge, want)
	}
	// 16 business hours: 2 Friday, 8 Monday, 6 Tuesday.
	if want := at(10, 15, 0); !c.Due.Resolve.Equal(want) {
		t.Errorf("resolve due %s, want %s", c.Due.Resolve, want)
	}
	if !c.Due.FollowUp.IsZero() {
		t.Errorf("follow-up due before notification: %s", c.Due.FollowUp)
	}
}

func TestDeadlineStates(t *testing.T) {
	f := newFixture(t) // Monday 09:00; acknowledge within 4 business hours, warn at 75%
	c := f.log()
	tests := []struct {
		now  time.Time
		want DeadlineState
	}{
		{at(2, 11, 0), DeadlineStateOnTrack},
		{at(2, 11, 59), DeadlineStateOnTrack},
		{at(2, 12, 0), DeadlineStateAtRisk},
		{at(2, 13, 0), DeadlineStateAtRisk},
		{at(2, 13, 1), DeadlineStateBreached},
		{at(7, 12, 0), DeadlineStateBreached},
	}
	for _, tt := range tests {
		ds := f.svc.Deadlines(&c, tt.now)
		if ds[0].Name != DeadlineAcknowledge || ds[0].State != tt.want {
			t.Errorf("at %s: %s is %s, want %s", tt.now.Format(time.Kitchen), ds[0].Name, ds[0].State, tt.want)
		}
	}
	f.clock.Set(at(2, 14, 0))
	c = f.must(f.svc.Investigate(f.ctx, c.ID, Input{By: "Maria"}))
	c = f.must(f.svc.Acknowledge(f.ctx, c.ID, "Maria", Input{By: "Maria"}))
	if ds := f.svc.Deadlines(&c, at(20, 9, 0)); ds[0].State != DeadlineStateMissed {
		t.Errorf("late acknowledgement is %s, want missed", ds[0].State)
	}
	f.clock.Set(at(3, 9, 0))
	c2 := f.to(StatusAcknowledged)
	if ds := f.svc.Deadlines(&c2, at(20, 9, 0)); ds[0].State != DeadlineStateMet {
		t.Errorf("prompt acknowledgement is %s, want met", ds[0].State)
	}
}

func TestSweepRecordsBreachesAndEscalatesByRule(t *testing.T) {
	f := newFixture(t)
	var events []cxkit.Event
	f.observe(cxkit.EventHandlerFunc(func(_ context.Context, e cxkit.Event) error { events = append(events, e); return nil }))
	c := f.log() // Monday 09:00, resolve due Tuesday 17:00 (16 business hours)
	steps := []struct {
		now                 time.Time
		level               int
		breaches, escalated int
	}{
		{at(3, 12, 0), 0, 1, 0},  // acknowledge breached (due Monday 13:00); no rule for it
		{at(3, 12, 30), 0, 0, 0}, // idempotent
		{at(3, 17, 1), 1, 1, 1},  // resolve breached: team leader
		{at(4, 16, 59), 1, 0, 0}, // just under 8 business hours overdue
		{at(4, 17, 0), 2, 0, 1},  // 8 business hours overdue: manager
		{at(6, 16, 59), 2, 0, 0}, // Friday, just under 24 business hours overdue
		{at(6, 17, 0), 3, 0, 1},  // 24 business hours overdue: director
		{at(9, 12, 0), 3, 0, 0},  // nothing higher to go to
	}
	for i, st := range steps {
		f.clock.Set(st.now)
		rep, err := f.svc.Sweep(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		c = f.must(f.svc.Get(f.ctx, c.ID))
		if c.Level != st.level || rep.Breaches != st.breaches || rep.Escalated != st.escalated {
			t.Errorf("step %d at %s: level %d, report %+v; want level %d, %d breaches, %d escalated", i, st.now, c.Level, rep, st.level, st.breaches, st.escalated)
		}
	}
	if c.Status != StatusEscalated || c.Resume != StatusReceived || c.Assigned.Resolver != "director" {
		t.Errorf("escalated complaint %s resume %s resolver %q", c.Status, c.Resume, c.Assigned.Resolver)
	}
	var breaches, escalations int
	for _, e := range events {
		switch e.Type {
		case EventBreach:
			breaches++
		case EventEscalated:
			escalations++
		}
	}
	if breaches != 2 || escalations != 3 {
		t.Errorf("events: %d breaches, %d escalations; want 2 and 3", breaches, escalations)
	}
	// The director picks the work up where it stood.
	f.must(f.svc.Investigate(f.ctx, c.ID, Input{By: "director"}))
}

func TestDueListsWhatIsAtRiskOrBreached(t *testing.T) {
	f := newFixture(t)
	late := f.log() // Monday 09:00
	f.clock.Set(at(2, 12, 0))
	fresh := f.log()               // Monday 12:00
	done := f.to(StatusFollowedUp) // everything done at 12:00
	f.clock.Set(at(2, 12, 30))
	rs, err := f.svc.Due(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].ComplaintID != late.ID || rs[0].Deadline.State != DeadlineStateAtRisk || rs[0].Owner != "team leader" {
		t.Fatalf("reminders %+v, want the 09:00 complaint's acknowledgement at risk", rs)
	}
	// A notified complaint whose follow-up is overdue is listed too.
	f.clock.Set(at(2, 13, 0))
	n := f.to(StatusNotified)
	f.clock.Set(at(4, 13, 0))
	rs, err = f.svc.Due(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, r := range rs {
		found[r.ComplaintID+"/"+string(r.Deadline.Name)] = true
		if r.ComplaintID == done.ID {
			t.Errorf("a followed-up complaint on time is listed: %+v", r)
		}
	}
	for _, k := range []string{late.ID + "/acknowledge", fresh.ID + "/resolve", n.ID + "/follow-up"} {
		if !found[k] {
			t.Errorf("missing reminder %s in %v", k, found)
		}
	}
}

func TestEventHandlerFailureNeverLosesTheChange(t *testing.T) {
	f := newFixture(t)
	var logs bytes.Buffer
	var seen []cxkit.EventType
	svc, err := New(f.svc.coll.Driver(), testConfig(), WithClock(f.clock.Now),
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		WithEventHandler(cxkit.EventHandlerFunc(func(context.Context, cxkit.Event) error { return errors.New("mail server down") })),
		WithEventHandler(cxkit.EventHandlerFunc(func(context.Context, cxkit.Event) error { panic("bug in host") })),
		WithEventHandler(cxkit.EventHandlerFunc(func(_ context.Context, e cxkit.Event) error { seen = append(seen, e.Type); return nil })))
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.Log(f.ctx, sampleNew())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Investigate(f.ctx, c.ID, Input{By: "Maria"}); err != nil {
		t.Fatal(err)
	}
	stored := f.must(svc.Get(f.ctx, c.ID))
	if stored.Status != StatusInvestigating {
		t.Fatalf("status %s", stored.Status)
	}
	if len(seen) != 2 || seen[0] != EventLogged || seen[1] != EventTransition {
		t.Errorf("later handler saw %v", seen)
	}
	out := logs.String()
	if n := strings.Count(out, "event delivery failed"); n != 4 {
		t.Fatalf("logged %d delivery failures, want 4:\n%s", n, out)
	}
	if !strings.Contains(out, "mail server down") || !strings.Contains(out, "bug in host") || !strings.Contains(out, c.ID) {
		t.Errorf("log does not name the failures and the complaint:\n%s", out)
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*Config)
		field string
	}{
		{"no org", func(c *Config) { c.Org = "" }, "config.org"},
		{"business targets without calendar", func(c *Config) { c.Calendar = nil }, "config.calendar"},
		{"negative target", func(c *Config) { c.Targets.Resolve = -time.Hour }, "targets.resolve"},
		{"warn fraction 1", func(c *Config) { c.Targets.WarnAt = 1 }, "targets.warn_at"},
		{"rule beyond ladder", func(c *Config) { c.Escalation[0].Level = 9 }, "escalation[0].level"},
		{"rule on unknown deadline", func(c *Config) { c.Escalation[1].Deadline = "lunch" }, "escalation[1].deadline"},
		{"charter rule without resolver", func(c *Config) { c.Charter.Rules[0].Resolver = "" }, "charter.rules[0].resolver"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.mod(&cfg)
			var fe *cxkit.ValidationError
			if err := cfg.Validate(); !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("err = %v, want field %s", err, tt.field)
			}
		})
	}
}

// A complaint logged before the organisation set targets has no due times
// and must not count as having missed the deadlines set afterwards.
func TestTargetsAddedLaterDoNotBreachOlderComplaints(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Targets = Targets{} })
	c := f.log()
	if !c.Due.Acknowledge.IsZero() || !c.Due.Resolve.IsZero() {
		t.Fatalf("due times set without targets: %+v", c.Due)
	}

	cfg := testConfig()
	cfg.Targets = Targets{Acknowledge: time.Hour, Resolve: 2 * time.Hour}
	later, err := New(f.svc.coll.Driver(), cfg, WithClock(f.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(30 * 24 * time.Hour)
	old, err := later.Get(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ds := later.Deadlines(&old, f.clock.Now()); len(ds) != 0 {
		t.Errorf("older complaint judged against later targets: %+v", ds)
	}
	sum, err := later.Summarise(f.ctx, monday.Add(-time.Hour), f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if sum.BreachRate != 0 {
		t.Errorf("breach rate %v, want 0: the only complaint had no deadline", sum.BreachRate)
	}

	// A complaint logged under the new targets is held to them.
	fresh, err := later.Log(f.ctx, sampleNew())
	if err != nil {
		t.Fatal(err)
	}
	if ds := later.Deadlines(&fresh, f.clock.Now()); len(ds) != 2 {
		t.Errorf("new complaint has %d deadlines, want acknowledge and resolve", len(ds))
	}
}
