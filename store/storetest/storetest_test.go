package storetest_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storetest"
)

// TestMemory runs the suite against the reference driver.
func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver { return memory.New() })
}

// TestPlainDriver runs it against a driver without the optional
// interfaces, whose subtests must skip rather than fail.
func TestPlainDriver(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver { return plain{memory.New()} })
}

type plain struct{ store.Driver }

// mutants are drivers that each break one rule of the contract; the suite
// must fail every one of them, or it is not checking that rule.
var mutants = map[string]func() store.Driver{
	"aliases-records":      func() store.Driver { return &aliasing{Driver: memory.New(), kept: map[string]store.Record{}} },
	"ignores-context":      func() store.Driver { return noCtx{memory.New()} },
	"ignores-versions":     func() store.Driver { return lastWriterWins{memory.New()} },
	"drops-microseconds":   func() store.Driver { return millis{memory.New()} },
	"next-on-last-page":    func() store.Driver { return alwaysNext{memory.New()} },
	"non-atomic-batch":     func() store.Driver { return sequentialBatch{memory.New()} },
	"missing-attr-is-\"\"": func() store.Driver { return emptyForMissing{memory.New()} },
	"plain-not-found":      func() store.Driver { return plainNotFound{memory.New()} },
	"ignores-descending":   func() store.Driver { return ascendingOnly{memory.New()} },
}

// TestFailureMessages checks that a failure says what the contract
// expected, in its words, rather than comparing two error strings or
// printing an order as a number.
func TestFailureMessages(t *testing.T) {
	for name, c := range map[string]struct {
		mutant, subtest string
		want            []string
	}{
		"a plain error where ErrNotFound is due": {"plain-not-found", "CRUD|Errors", []string{
			"Get of a record never created",
			"the contract says it must wrap store.ErrNotFound (no record has that kind and ID)",
		}},
		"ascending pages for a descending list": {"ignores-descending", "Paging$", []string{
			"descending",
			"the contract says",
		}},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestMutantChild$/^("+c.subtest+")", "-test.count=1")
			cmd.Env = append(os.Environ(), "STORETEST_MUTANT="+c.mutant)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a driver that %s", c.mutant)
			}
			for _, w := range c.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("the failure does not say %q:\n%s", w, out)
				}
			}
			if strings.Contains(string(out), "order 1") {
				t.Errorf("the failure prints an order as a number:\n%s", out)
			}
		})
	}
}

// plainNotFound reports a missing record with an error of its own.
type plainNotFound struct{ store.Driver }

func (d plainNotFound) Get(ctx context.Context, kind, id string) (store.Record, error) {
	r, err := d.Driver.Get(ctx, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		return r, errors.New("store: get " + kind + "/" + id + ": no such record")
	}
	return r, err
}

// ascendingOnly lists in ascending order whatever the query asks.
type ascendingOnly struct{ store.Driver }

func (d ascendingOnly) List(ctx context.Context, kind string, q store.Query) (store.Page, error) {
	q.Order = store.OrderAscending
	return d.Driver.List(ctx, kind, q)
}

// TestMutants runs the suite on each mutant in a child process (a failing
// Run cannot be caught in-process) and wants it to fail.
func TestMutants(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child test process per mutant")
	}
	for name := range mutants {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestMutantChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "STORETEST_MUTANT="+name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a driver that %s", name)
			}
			if !strings.Contains(string(out), "--- FAIL") {
				t.Fatalf("child did not fail a test: %v\n%s", err, out)
			}
		})
	}
}

// TestMutantChild is the child of TestMutants.
func TestMutantChild(t *testing.T) {
	name := os.Getenv("STORETEST_MUTANT")
	if name == "" {
		t.Skip("only run by TestMutants")
	}
	storetest.Run(t, func(t *testing.T) store.Driver { return mutants[name]() })
}

// aliasing hands out the very records it was given.
type aliasing struct {
	store.Driver
	mu   sync.Mutex
	kept map[string]store.Record
}

func (a *aliasing) Create(ctx context.Context, r store.Record) (store.Record, error) {
	out, err := a.Driver.Create(ctx, r)
	if err == nil {
		a.mu.Lock()
		r.Version = 1
		a.kept[r.Kind+"/"+r.ID] = r
		a.mu.Unlock()
	}
	return out, err
}

func (a *aliasing) Get(ctx context.Context, kind, id string) (store.Record, error) {
	out, err := a.Driver.Get(ctx, kind, id)
	a.mu.Lock()
	defer a.mu.Unlock()
	if k, ok := a.kept[kind+"/"+id]; ok && err == nil && out.Version == 1 {
		return k, nil
	}
	return out, err
}

type noCtx struct{ store.Driver }

func (d noCtx) Create(_ context.Context, r store.Record) (store.Record, error) {
	return d.Driver.Create(context.Background(), r)
}

type lastWriterWins struct{ store.Driver }

func (d lastWriterWins) Update(ctx context.Context, r store.Record) (store.Record, error) {
	cur, err := d.Driver.Get(ctx, r.Kind, r.ID)
	if err != nil {
		return store.Record{}, err
	}
	r.Version = cur.Version
	return d.Driver.Update(ctx, r)
}

type millis struct{ store.Driver }

func (d millis) Create(ctx context.Context, r store.Record) (store.Record, error) {
	r.Created = r.Created.Truncate(time.Millisecond)
	return d.Driver.Create(ctx, r)
}

type alwaysNext struct{ store.Driver }

func (d alwaysNext) List(ctx context.Context, kind string, q store.Query) (store.Page, error) {
	p, err := d.Driver.List(ctx, kind, q)
	if n := len(p.Records); err == nil && n > 0 && p.Next == "" && n == limitOf(q) {
		p.Next = p.Records[n-1].ID
	}
	return p, err
}

func limitOf(q store.Query) int {
	if q.Limit == 0 {
		return store.DefaultLimit
	}
	return q.Limit
}

type sequentialBatch struct{ store.Driver }

func (d sequentialBatch) Batch(ctx context.Context, ws []store.Write) ([]store.Record, error) {
	if err := driverkit.CheckBatch(ws); err != nil {
		return nil, err
	}
	var out []store.Record
	for _, w := range ws {
		var r store.Record
		var err error
		switch w.Action {
		case store.ActionCreate:
			r, err = d.Create(ctx, w.Record)
		case store.ActionUpdate:
			r, err = d.Update(ctx, w.Record)
		case store.ActionDelete:
			err = d.Delete(ctx, w.Record.Kind, w.Record.ID, w.Record.Version)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// emptyForMissing stores "" for attributes a record lacks but others of
// its kind have, as a SQL driver with one column per attribute might.
type emptyForMissing struct{ store.Driver }

func (d emptyForMissing) Create(ctx context.Context, r store.Record) (store.Record, error) {
	r = r.Clone()
	if r.Attrs == nil {
		r.Attrs = map[string]string{}
	}
	for _, a := range []string{"x", "cat", "n", "t", "e", "month"} {
		if _, ok := r.Attrs[a]; !ok {
			r.Attrs[a] = ""
		}
	}
	return d.Driver.Create(ctx, r)
}
