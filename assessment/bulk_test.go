package assessment

import (
	"context"
	"errors"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store/memory"
)

// Issue 13: a migration adds many actions at once, through the same checks
// and history as AddAction, all or nothing.
func TestAddActions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.create(t, miniAssessment("a"))
	if _, err := f.svc.Choose(ctx, a.ID, "a", PickKindDoBetter, "lead", Choice{Statement: "a3"}, Choice{Statement: "a4"}); err != nil {
		t.Fatal(err)
	}
	act := func(statement, owner string) Action {
		return Action{Assessment: a.ID, Statement: statement, NeedsToHappen: "Agree one way of handling it", Initiate: "Draft the procedure",
			Owner: owner, Due: t0.AddDate(0, 1, 0)}
	}
	_, err := f.svc.AddActions(ctx, []Action{act("a3", "ben"), act("a4", "")}, "migration")
	var ve *cxkit.ValidationError
	if !errors.As(err, &ve) || ve.Field != "actions[1].owner" {
		t.Fatalf("AddActions with an ownerless second action: %v, want a ValidationError on actions[1].owner", err)
	}
	if n := count(t, f.svc.Actions(ctx, ActionFilter{Assessment: a.ID})); n != 0 {
		t.Fatalf("%d actions stored after a refused batch", n)
	}
	out, err := f.svc.AddActions(ctx, []Action{act("a3", "ben"), act("a4", "cai")}, "migration")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[1].Factor != "a" || out[1].Status != ActionStatusOpen || len(out[1].History) != 1 || out[1].History[0].By != "migration" {
		t.Errorf("added %+v", out)
	}
	if open, err := f.svc.UnactionedPicks(ctx, a.ID); err != nil || len(open) != 0 {
		t.Errorf("UnactionedPicks = %v, %v; want none", open, err)
	}
	plain, err := New(noBatch{memory.New()}, Config{Catalogues: []*Catalogue{loadMini(t)}}, WithClock(f.clock))
	if err != nil {
		t.Fatal(err)
	}
	pa, err := plain.Create(ctx, miniAssessment("a"), "lead")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Choose(ctx, pa.ID, "a", PickKindDoBetter, "lead", Choice{Statement: "a3"}); err != nil {
		t.Fatal(err)
	}
	one := act("a3", "ben")
	one.Assessment = pa.ID
	if _, err := plain.AddActions(ctx, []Action{one}, "migration"); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("without atomic batches: %v, want ErrUnsupported", err)
	}
	if n := count(t, plain.Actions(ctx, ActionFilter{})); n != 0 {
		t.Errorf("%d actions stored without atomic batches", n)
	}
}
