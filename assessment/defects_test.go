package assessment

import (
	"context"
	"sync"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store/memory"
)

// Issue 15: an empty catalogue version is a validation error naming the
// field, not a store error about a record ID.
func TestCreateEmptyCatalogueVersion(t *testing.T) {
	f := newFixture(t)
	a := miniAssessment()
	a.CatalogueVersion = ""
	_, err := f.svc.Create(context.Background(), a, "lead")
	wantInvalid(t, err, "assessment.catalogue_version", "must name the version")
}

// Issue 15: an action cannot be due before the assessment it answers was
// created.
func TestActionDueBeforeAssessment(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.create(t, miniAssessment("a"))
	if _, err := f.svc.Choose(ctx, a.ID, "a", PickKindDoBetter, "lead", Choice{Statement: "a3"}); err != nil {
		t.Fatal(err)
	}
	act := Action{Assessment: a.ID, Statement: "a3", NeedsToHappen: "Agree one way of handling it", Initiate: "Draft the procedure",
		Owner: "ben", Due: t0.AddDate(0, 0, -1)}
	_, err := f.svc.AddAction(ctx, act, "lead")
	wantInvalid(t, err, "action.due", "must not be before assessment")
	if n := count(t, f.svc.Actions(ctx, ActionFilter{Assessment: a.ID})); n != 0 {
		t.Fatalf("%d actions stored after a refusal", n)
	}
	act.Due = t0.AddDate(0, 1, 0)
	if _, err := f.svc.AddAction(ctx, act, "lead"); err != nil {
		t.Fatal(err)
	}
}

func count[T any](t *testing.T, seq func(func(T, error) bool)) int {
	t.Helper()
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func TestNewChecksDriverAndConfig(t *testing.T) {
	_, err := New(nil, Config{})
	wantInvalid(t, err, "driver", "must not be nil")
	_, err = New(memory.New(), Config{AuditEveryMonths: -1})
	wantInvalid(t, err, "config.audit_every_months", "must not be negative")
	bad := *loadMini(t)
	bad.Factors = nil
	_, err = New(memory.New(), Config{Catalogues: []*Catalogue{&bad}})
	wantInvalid(t, err, "config.catalogues[0].factors", "must not be empty")
}

// The service emits an event for each step of the workshop and of an
// action, after the change is stored.
func TestEvents(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var got []cxkit.Event
	f := newFixture(t)
	svc, err := New(f.d, Config{Catalogues: []*Catalogue{loadMini(t)}}, WithClock(f.clock),
		WithEventHandler(cxkit.EventHandlerFunc(func(ctx context.Context, e cxkit.Event) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, e)
			return nil
		})))
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Create(ctx, miniAssessment("a"), "lead")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Rate(ctx, a.ID, "ana", Rate("a1", 4), Rate("a3", 2)); err != nil {
		t.Fatal(err)
	}
	if err := svc.Rate(ctx, a.ID, "ana", Rate("a1", 4)); err != nil { // no change: no event
		t.Fatal(err)
	}
	if _, err := svc.Choose(ctx, a.ID, "a", PickKindDoBetter, "lead", Choice{Statement: "a3"}); err != nil {
		t.Fatal(err)
	}
	act, err := svc.AddAction(ctx, Action{Assessment: a.ID, Statement: "a3", NeedsToHappen: "Agree one way", Initiate: "Draft it",
		Owner: "ben", Due: t0.AddDate(0, 1, 0)}, "lead")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetActionStatus(ctx, act.ID, ActionStatusDone, "ben", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetActionStatus(ctx, act.ID, ActionStatusDone, "ben", ""); err == nil { // refused: no event
		t.Fatal("done -> done accepted")
	}
	want := []cxkit.EventType{EventCreated, EventRated, EventPicksChosen, EventActionAdded, EventActionMoved}
	if len(got) != len(want) {
		t.Fatalf("got %d events %+v, want %v", len(got), got, want)
	}
	for i, e := range got {
		if e.Type != want[i] || e.ID == "" || e.At.IsZero() {
			t.Errorf("event %d = %+v, want type %s, stamped", i, e, want[i])
		}
	}
	if e := got[4]; e.Subject != act.ID || e.From != "open" || e.To != "done" || e.By != "ben" {
		t.Errorf("action moved event = %+v", e)
	}
	if e := got[3]; e.Attrs["assessment"] != a.ID || e.Attrs["owner"] != "ben" {
		t.Errorf("action added event = %+v", e)
	}
	for _, typ := range want {
		if !containsType(EventTypes(), typ) {
			t.Errorf("EventTypes lacks %s", typ)
		}
	}
}

func containsType(ts []cxkit.EventType, t cxkit.EventType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
