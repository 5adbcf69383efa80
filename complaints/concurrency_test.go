package complaints

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cxkit/cxkit/store"
)

func TestConcurrentUpdatesOfOneComplaint(t *testing.T) {
	f := newFixture(t)
	svc, err := New(f.svc.coll.Driver(), testConfig(), WithClock(f.clock.Now), WithRetryAttempts(1000))
	if err != nil {
		t.Fatal(err)
	}
	c := f.log()
	const writers = 16
	var wg sync.WaitGroup
	errs := make(chan error, writers+1)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc.AddNote(f.ctx, c.ID, Input{By: fmt.Sprintf("agent %d", i), Note: fmt.Sprintf("note %d", i)})
			errs <- err
		}()
	}
	// One worker walks the workflow at the same time.
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err := svc.Investigate(f.ctx, c.ID, Input{By: "Maria"})
		errs <- err
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got := f.must(f.svc.Get(f.ctx, c.ID))
	notes := map[string]bool{}
	for _, h := range got.History {
		if h.Action == "note" {
			notes[h.Why] = true
		}
	}
	if len(notes) != writers || got.Status != StatusInvestigating || got.Version != int64(writers+2) {
		t.Errorf("%d notes, status %s, version %d; want %d notes, investigating, version %d", len(notes), got.Status, got.Version, writers, writers+2)
	}
}

func TestStaleVersionIsAConflict(t *testing.T) {
	f := newFixture(t)
	c := f.log()
	f.must(f.svc.AddNote(f.ctx, c.ID, Input{By: "Jo", Note: "first"}))
	_, err := f.svc.Investigate(f.ctx, c.ID, Input{By: "Maria", Version: c.Version})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("err = %v, want store.ErrConflict", err)
	}
	if got := f.must(f.svc.Get(f.ctx, c.ID)); got.Status != StatusReceived {
		t.Errorf("conflicting step was applied")
	}
	fresh := f.must(f.svc.Get(f.ctx, c.ID))
	f.must(f.svc.Investigate(f.ctx, c.ID, Input{By: "Maria", Version: fresh.Version}))
	// Without retries, racing writers surface the store's conflict too.
	one, _ := New(f.svc.coll.Driver(), testConfig(), WithClock(f.clock.Now), WithRetryAttempts(1))
	var wg sync.WaitGroup
	var conflicts, ok int
	var mu sync.Mutex
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := one.AddNote(f.ctx, c.ID, Input{By: "x", Note: "race"})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrConflict):
				conflicts++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok == 0 || ok+conflicts != 8 {
		t.Errorf("%d ok, %d conflicts", ok, conflicts)
	}
}
