package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cxkit/cxkit/store"
)

// racers is how many goroutines race on one version; rounds repeats the
// race so that a driver that is right only by luck of scheduling is caught
// more often, while the suite stays fast.
const (
	racers = 16
	rounds = 4
)

// race runs fn(i) in racers goroutines released at once and returns their
// errors.
func race(fn func(i int) error) []error {
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func testRaceUpdate(t *testing.T, d store.Driver) {
	ctx := context.Background()
	for round := range rounds {
		id := idOf(round)
		base := mustCreate(t, d, rec(id, "base", map[string]string{"w": "none"}))
		results := make([]store.Record, racers)
		errs := race(func(i int) error {
			r := base.Clone()
			r.Body = fmt.Appendf(nil, "writer %d", i)
			r.Attrs = map[string]string{"w": fmt.Sprint(i)}
			var err error
			results[i], err = d.Update(ctx, r)
			return err
		})
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil:
				if winner >= 0 {
					t.Fatalf("round %d: writers %d and %d both updated version 1; the contract says only one write of a version succeeds", round, winner, i)
				}
				winner = i
			case !errors.Is(err, store.ErrConflict):
				t.Fatalf("round %d: a losing writer of version 1 (%d): %s; %s", round, i, gotErr(err), contract(store.ErrConflict))
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no writer won", round)
		}
		g := mustGet(t, d, kindA, id)
		if g.Version != 2 || string(g.Body) != fmt.Sprintf("writer %d", winner) || g.Attrs["w"] != fmt.Sprint(winner) {
			t.Fatalf("round %d: stored version %d %q %q; the contract says the one writer that succeeded (%d) is what is stored, at version 2", round, g.Version, g.Body, g.Attrs, winner)
		}
		wantRecord(t, "winner's result", results[winner], g)
	}
}

func testRaceDelete(t *testing.T, d store.Driver) {
	ctx := context.Background()
	for round := range rounds {
		id := idOf(round)
		mustCreate(t, d, rec(id, "doomed", nil))
		errs := race(func(int) error { return d.Delete(ctx, kindA, id, 1) })
		wins := 0
		for i, err := range errs {
			switch {
			case err == nil:
				wins++
			case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrConflict):
				// lost: the record was gone, or (mid-delete) not at version 1
			default:
				t.Fatalf("round %d: a losing deleter (%d): %s; the contract says it must wrap store.ErrNotFound or store.ErrConflict", round, i, gotErr(err))
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: %d deletes of one version succeeded; the contract says exactly one does", round, wins)
		}
		wantGone(t, d, kindA, id)
	}
}

// testRaceUpdateDelete races updates against deletes of one version: one
// write wins, and the stored state is that write's.
func testRaceUpdateDelete(t *testing.T, d store.Driver) {
	ctx := context.Background()
	for round := range rounds {
		id := idOf(round)
		base := mustCreate(t, d, rec(id, "base", nil))
		errs := race(func(i int) error {
			if i%2 == 0 {
				return d.Delete(ctx, kindA, id, 1)
			}
			r := base.Clone()
			r.Body = fmt.Appendf(nil, "writer %d", i)
			_, err := d.Update(ctx, r)
			return err
		})
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil:
				if winner >= 0 {
					t.Fatalf("round %d: writers %d and %d both wrote version 1; the contract says only one write of a version succeeds", round, winner, i)
				}
				winner = i
			case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrNotFound):
			default:
				t.Fatalf("round %d: a losing writer (%d): %s; the contract says it must wrap store.ErrConflict or store.ErrNotFound", round, i, gotErr(err))
			}
		}
		switch {
		case winner < 0:
			t.Fatalf("round %d: no writer won", round)
		case winner%2 == 0:
			wantGone(t, d, kindA, id)
		default:
			if g := mustGet(t, d, kindA, id); g.Version != 2 || string(g.Body) != fmt.Sprintf("writer %d", winner) {
				t.Fatalf("round %d: stored version %d %q; the contract says the one writer that succeeded (%d) is what is stored", round, g.Version, g.Body, winner)
			}
		}
	}
}

// testConcurrentCreates has many goroutines create distinct records at
// once, as a server does; a driver that groups commits must lose none. One
// ID is created by every goroutine: exactly one must succeed.
func testConcurrentCreates(t *testing.T, d store.Driver) {
	ctx := context.Background()
	const per = 8
	errs := race(func(g int) error {
		for j := range per {
			if _, err := d.Create(ctx, rec(idOf(g*per+j), fmt.Sprint(g, j), map[string]string{"g": fmt.Sprint(g)})); err != nil {
				return err
			}
		}
		return nil
	})
	for g, err := range errs {
		if err != nil {
			t.Fatalf("goroutine %d: %v", g, err)
		}
	}
	rs := all(t, d, kindA)
	if len(rs) != racers*per {
		t.Fatalf("after %d concurrent creates of distinct IDs, List has %d records; the contract says every one is stored", racers*per, len(rs))
	}
	for i, r := range rs {
		if r.ID != idOf(i) || string(r.Body) != fmt.Sprint(i/per, i%per) || r.Version != 1 {
			t.Fatalf("record %d: %s v%d %q", i, r.ID, r.Version, r.Body)
		}
	}
	errs = race(func(g int) error {
		_, err := d.Create(ctx, rec("contested", fmt.Sprint(g), nil))
		return err
	})
	wins := 0
	for g, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, store.ErrAlreadyExists):
			t.Fatalf("goroutine %d creating an ID another created: %s; %s", g, gotErr(err), contract(store.ErrAlreadyExists))
		}
	}
	if wins != 1 {
		t.Fatalf("%d creates of one ID succeeded; the contract says exactly one does", wins)
	}
}
