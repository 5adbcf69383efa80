package strategy_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/strategy"
)

// noBatch hides the memory driver's atomic batches.
type noBatch struct{ store.Driver }

// Issue 13: a migration stores many strategies at once, through the same
// validation and history as Create, all or nothing.
func TestCreateMany(t *testing.T) {
	ctx := context.Background()
	m, _, _ := newService(t)
	bad := testStrategy()
	bad.Targets[0].Goal = bad.Targets[0].Baseline
	_, err := m.CreateMany(ctx, []strategy.Strategy{testStrategy(), testStrategy(), bad}, "migration")
	var ve *cxkit.ValidationError
	if !errors.As(err, &ve) || ve.Field != "strategies[2].targets[0].goal" {
		t.Fatalf("CreateMany with a bad third strategy: %v, want a ValidationError on strategies[2].targets[0].goal", err)
	}
	if n := countAll(t, m); n != 0 {
		t.Fatalf("%d strategies stored after a refused batch", n)
	}
	out, err := m.CreateMany(ctx, []strategy.Strategy{testStrategy(), testStrategy()}, "migration")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].ID == "" || out[0].ID == out[1].ID || out[0].Stage != strategy.StageDraft ||
		len(out[0].History) != 1 || out[0].History[0].Action != "imported" || out[0].History[0].By != "migration" {
		t.Errorf("imported %+v", out)
	}
	if n := countAll(t, m); n != 2 {
		t.Errorf("%d strategies stored, want 2", n)
	}
	plain, err := strategy.New(noBatch{memory.New()}, testOrg())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.CreateMany(ctx, []strategy.Strategy{testStrategy()}, "migration"); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("without atomic batches: %v, want ErrUnsupported", err)
	}
	if n := countAll(t, plain); n != 0 {
		t.Errorf("%d strategies stored without atomic batches", n)
	}
}

func countAll(t *testing.T, m *strategy.Service) int {
	t.Helper()
	n := 0
	for _, err := range m.List(context.Background(), strategy.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}
