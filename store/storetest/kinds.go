package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/cxkit/cxkit/store"
)

func init() {
	cases = append(cases, struct {
		name string
		fn   func(t *testing.T, d store.Driver)
	}{"KindLister", testKindLister})
}

// testKindLister: a driver that lists its kinds names exactly those that
// hold a record, in byte order, and no kind whose records were all deleted.
func testKindLister(t *testing.T, d store.Driver) {
	kl, ok := d.(store.KindLister)
	if !ok {
		t.Skip("driver does not implement store.KindLister")
	}
	ctx := context.Background()
	kinds := func() []string {
		t.Helper()
		ks, err := kl.Kinds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ks
	}
	if ks := kinds(); len(ks) != 0 {
		t.Fatalf("Kinds of an empty store = %q", ks)
	}
	mustCreate(t, d, rec("1", "", nil))
	b := rec("2", "", nil)
	b.Kind = kindB
	b = mustCreate(t, d, b)
	want := []string{kindA, kindB}
	slices.Sort(want)
	if ks := kinds(); !slices.Equal(ks, want) {
		t.Fatalf("Kinds = %q, want %q", ks, want)
	}
	if err := d.Delete(ctx, kindB, b.ID, b.Version); err != nil {
		t.Fatal(err)
	}
	if ks := kinds(); !slices.Equal(ks, []string{kindA}) {
		t.Fatalf("Kinds after the last %s went = %q", kindB, ks)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := kl.Kinds(cctx); err == nil {
		t.Fatal("Kinds with a cancelled context succeeded")
	}
}
