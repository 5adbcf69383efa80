package sealed_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/cxkit/cxkit/examples/customstore/sealed"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/file"
	"github.com/cxkit/cxkit/store/memory"
	"github.com/cxkit/cxkit/store/storetest"
)

var key = bytes.Repeat([]byte{7}, 32)

// The whole contract, in one line per inner driver.
func TestConformanceMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver { return mustSeal(t, memory.New()) })
}

func TestConformanceFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver {
		f, err := file.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return mustSeal(t, f)
	})
}

func mustSeal(t *testing.T, inner store.Driver) store.Driver {
	t.Helper()
	d, err := sealed.New(inner, key)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// onlyDriver hides the optional interfaces of the driver it wraps.
type onlyDriver struct{ store.Driver }

func TestOptionalInterfacesFollowInner(t *testing.T) {
	full := mustSeal(t, memory.New())
	if _, ok := full.(store.Counter); !ok {
		t.Error("over memory: not a store.Counter")
	}
	if _, ok := full.(store.Batcher); !ok {
		t.Error("over memory: not a store.Batcher")
	}
	bare := mustSeal(t, onlyDriver{memory.New()})
	if _, ok := bare.(store.Counter); ok {
		t.Error("over a plain driver: claims store.Counter")
	}
	if _, ok := bare.(store.Batcher); ok {
		t.Error("over a plain driver: claims store.Batcher")
	}
}

func TestBodiesAreSealedAttributesAreNot(t *testing.T) {
	ctx := context.Background()
	inner := memory.New()
	d := mustSeal(t, inner)
	secret := []byte(`{"text":"my account number is 12345678"}`)
	if _, err := d.Create(ctx, store.Record{Kind: "complaint", ID: "c1", Body: secret, Attrs: map[string]string{"status": "logged"}}); err != nil {
		t.Fatal(err)
	}
	raw, err := inner.Get(ctx, "complaint", "c1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw.Body, []byte("12345678")) {
		t.Fatal("plaintext found in the inner driver's body")
	}
	if len(raw.Body) != len(secret)+sealed.Overhead {
		t.Errorf("sealed body is %d bytes, want %d", len(raw.Body), len(secret)+sealed.Overhead)
	}
	if raw.Attrs["status"] != "logged" {
		t.Errorf("attribute not stored in the clear: %q", raw.Attrs)
	}
	got, err := d.Get(ctx, "complaint", "c1")
	if err != nil || !bytes.Equal(got.Body, secret) {
		t.Fatalf("Get = %q, %v", got.Body, err)
	}
	gs, err := store.Count(ctx, d, "complaint", []store.Filter{store.Where("status", "logged")})
	if err != nil || gs[0].Count != 1 {
		t.Fatalf("Count on a clear attribute = %v, %v", gs, err)
	}
}

func TestTamperingIsDetected(t *testing.T) {
	ctx := context.Background()
	inner := memory.New()
	d := mustSeal(t, inner)
	for _, id := range []string{"a", "b"} {
		if _, err := d.Create(ctx, store.Record{Kind: "k", ID: id, Body: []byte("body of " + id)}); err != nil {
			t.Fatal(err)
		}
	}
	ra, _ := inner.Get(ctx, "k", "a")
	rb, _ := inner.Get(ctx, "k", "b")

	flipped := ra.Clone()
	flipped.Body[len(flipped.Body)-1] ^= 1
	moved := rb.Clone()
	moved.Body = ra.Body // a's sealed body on b's record
	short := rb.Clone()
	short.Body = []byte("plain")

	tests := []struct {
		name string
		r    store.Record
	}{
		{"flipped bit", flipped},
		{"body moved to another record", moved},
		{"not sealed at all", short},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cur, _ := inner.Get(ctx, tc.r.Kind, tc.r.ID)
			tc.r.Version = cur.Version
			if _, err := inner.Update(ctx, tc.r); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Get(ctx, tc.r.Kind, tc.r.ID); !errors.Is(err, sealed.ErrTampered) {
				t.Fatalf("Get after tampering: %v; want ErrTampered", err)
			}
			if _, err := d.List(ctx, "k", store.Query{}); !errors.Is(err, sealed.ErrTampered) {
				t.Fatalf("List after tampering: %v; want ErrTampered", err)
			}
		})
	}
}

func TestWrongKey(t *testing.T) {
	ctx := context.Background()
	inner := memory.New()
	if _, err := mustSeal(t, inner).Create(ctx, store.Record{Kind: "k", ID: "a", Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	other, err := sealed.New(inner, bytes.Repeat([]byte{8}, 32))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Get(ctx, "k", "a"); !errors.Is(err, sealed.ErrTampered) {
		t.Fatalf("Get with another key: %v; want ErrTampered", err)
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name  string
		inner store.Driver
		key   []byte
	}{
		{"nil inner", nil, key},
		{"short key", memory.New(), []byte("short")},
		{"no key", memory.New(), nil},
	}
	for _, tc := range tests {
		if _, err := sealed.New(tc.inner, tc.key); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v; want ErrInvalid", tc.name, err)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	ctx := context.Background()
	inner := memory.New()
	d := mustSeal(t, inner)
	if _, err := d.Create(ctx, store.Record{Kind: "k", ID: "max", Body: make([]byte, sealed.MaxBodyLen)}); err != nil {
		t.Fatalf("body of MaxBodyLen: %v", err)
	}
	_, err := d.Create(ctx, store.Record{Kind: "k", ID: "over", Body: make([]byte, sealed.MaxBodyLen+1)})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("body over MaxBodyLen: %v; want ErrInvalid", err)
	}
	if _, err := inner.Get(ctx, "k", "over"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rejected record was stored: %v", err)
	}
}

func TestBatchSeals(t *testing.T) {
	ctx := context.Background()
	inner := memory.New()
	d := mustSeal(t, inner)
	out, err := store.Batch(ctx, d, []store.Write{
		{Action: store.ActionCreate, Record: store.Record{Kind: "k", ID: "a", Body: []byte("alpha")}},
		{Action: store.ActionCreate, Record: store.Record{Kind: "k", ID: "b", Body: []byte("beta")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(out[0].Body) != "alpha" || string(out[1].Body) != "beta" {
		t.Fatalf("Batch returned bodies %q, %q", out[0].Body, out[1].Body)
	}
	raw, _ := inner.Get(ctx, "k", "a")
	if bytes.Contains(raw.Body, []byte("alpha")) {
		t.Fatal("batch stored plaintext")
	}
}
