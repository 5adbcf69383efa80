package complaints

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/calendar"
	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/remedy"
	"github.com/cxkit/cxkit/store/memory"
)

// testClock is a settable clock for the time rules.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// monday is 09:00 UTC on Monday 2 November 2026.
var monday = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func aud(minor int64) money.Amount { return money.MustNew(minor, "AUD") }

func testConfig() Config {
	return Config{
		Org: "acme",
		Charter: Charter{
			Rules: []Responsibility{
				{DirectedAt: TargetKindOutsourced, Assignment: Assignment{Receiver: "front desk", Investigator: "logistics", Resolver: "logistics manager"}},
				{MinSeverity: SeverityHigh, Assignment: Assignment{Receiver: "front desk", Investigator: "team leader", Resolver: "service manager"}},
			},
			Default: Assignment{Receiver: "front desk", Investigator: "agent", Resolver: "team leader"},
		},
		Policy: remedy.Policy{
			Currency: "AUD",
			Remedies: map[remedy.Kind]remedy.Rule{
				remedy.KindRefund:   {WithinMonths: 2, ProofRequired: true, ExcludeUsed: true},
				remedy.KindExchange: {WithinMonths: 2, ExcludeUsed: true},
			},
			Authority: []remedy.Authority{
				{Role: "agent", Limit: aud(5000), ApprovedBy: "team leader"},
				{Role: "team leader", Limit: aud(50000), ApprovedBy: "manager"},
				{Role: "manager", Limit: aud(500000), ApprovedBy: "director"},
				{Role: "director", Limit: aud(5000000)},
			},
		},
		Targets:  Targets{Acknowledge: 4 * time.Hour, Resolve: 16 * time.Hour, FollowUp: 8 * time.Hour, Business: true, WarnAt: 0.75},
		Calendar: ptr(calendar.WeekdayHours("UTC", "09:00", "17:00", "2026-12-25")),
		Ladder:   []Level{{"agent", "agent"}, {"team leader", "Jo"}, {"manager", "service manager"}, {"director", "director"}},
		Escalation: []EscalationRule{
			{Deadline: DeadlineResolve, Level: 1},
			{Deadline: DeadlineResolve, Overdue: 8 * time.Hour, Level: 2},
			{Deadline: DeadlineResolve, Overdue: 24 * time.Hour, Level: 3},
		},
	}
}

func ptr[T any](v T) *T { return &v }

type fixture struct {
	t        testing.TB
	ctx      context.Context
	clock    *testClock
	svc      *Service
	mu       sync.Mutex
	handlers []cxkit.EventHandler
}

// observe adds h to the handlers the fixture's service delivers to.
func (f *fixture) observe(h cxkit.EventHandler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers = append(f.handlers, h)
}

func (f *fixture) HandleEvent(ctx context.Context, e cxkit.Event) error {
	f.mu.Lock()
	hs := slices.Clone(f.handlers)
	f.mu.Unlock()
	for _, h := range hs {
		if err := h.HandleEvent(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func newFixture(t testing.TB, mod ...func(*Config)) *fixture {
	t.Helper()
	cfg := testConfig()
	for _, m := range mod {
		m(&cfg)
	}
	f := &fixture{t: t, ctx: context.Background(), clock: &testClock{t: monday}}
	svc, err := New(memory.New(), cfg, WithClock(f.clock.Now), WithEventHandler(f))
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	return f
}

func sampleNew() Intake {
	return Intake{
		Channel:    ChannelPhone,
		Customer:   Customer{Ref: "crm-42", Name: "Sam Lee", Contact: "sam@example.com"},
		Summary:    "Kettle stopped working after a week",
		Category:   "faulty product",
		MadeBy:     MadeByRegular,
		DirectedAt: Target{Kind: TargetKindProduct, Name: "Kettle K2"},
		Severity:   SeverityMedium,
		Concerns:   "order 1001",
		By:         "Maria",
	}
}

func (f *fixture) log() Complaint {
	f.t.Helper()
	c, err := f.svc.Log(f.ctx, sampleNew())
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) must(c Complaint, err error) Complaint {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// to drives a fresh complaint to state st along the main line (or the side
// tracks) and returns it.
func (f *fixture) to(st Status) Complaint {
	f.t.Helper()
	c := f.log()
	in := Input{By: "Maria"}
	step := func(s Status) bool { return c.Status == st }
	if step(StatusReceived) {
		return c
	}
	if st == StatusEscalated {
		return f.must(f.svc.Escalate(f.ctx, c.ID, 1, in))
	}
	if st == StatusWaiting {
		c = f.must(f.svc.Investigate(f.ctx, c.ID, in))
		return f.must(f.svc.WaitOnCustomer(f.ctx, c.ID, Input{By: "Maria", Note: "asked for a photo of the fault"}))
	}
	if st == StatusReferred {
		return f.must(f.svc.Refer(f.ctx, c.ID, Referral{Body: "Ombudsman", BodyKind: BodyKindOmbudsman}, in))
	}
	c = f.must(f.svc.Investigate(f.ctx, c.ID, in))
	if step(st) {
		return c
	}
	c = f.must(f.svc.Acknowledge(f.ctx, c.ID, "Maria", in))
	if step(st) {
		return c
	}
	c = f.must(f.svc.Decide(f.ctx, c.ID, remedy.Decision{Kind: remedy.KindApology, By: remedy.Actor{Name: "Maria", Role: "agent"}}, 0))
	if step(st) {
		return c
	}
	c = f.must(f.svc.Notify(f.ctx, c.ID, "phone", in))
	if step(st) {
		return c
	}
	c = f.must(f.svc.FollowUp(f.ctx, c.ID, true, in))
	if step(st) {
		return c
	}
	c = f.must(f.svc.Close(f.ctx, c.ID, "", in))
	if step(st) {
		return c
	}
	f.t.Fatalf("cannot drive to %s", st)
	return c
}

// Monday 2 November 2026 is a Monday; Friday 25 December 2026 is a holiday.
func at(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, time.UTC) }

// measure reads a metric in its written form, as a configuration file
// would hold it, and measures it.
func measure[S ~string](ctx context.Context, s *Service, m S, from, to time.Time) (float64, error) {
	metric, err := cxkit.ParseMetric(string(m))
	if err != nil {
		return 0, err
	}
	return s.Measure(ctx, metric, from, to)
}
