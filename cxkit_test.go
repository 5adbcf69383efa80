package cxkit_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
)

func TestValidationErrorIs(t *testing.T) {
	var err error = fmt.Errorf("saving: %w", &cxkit.ValidationError{Field: "remedy.amount", Rule: "must not exceed the price paid", Err: cxkit.ErrPolicy})
	var verr *cxkit.ValidationError
	if !errors.As(err, &verr) || verr.Field != "remedy.amount" {
		t.Fatalf("errors.As = %v, %+v", errors.As(err, &verr), verr)
	}
	if !errors.Is(err, store.ErrInvalid) || !errors.Is(err, cxkit.ErrPolicy) {
		t.Fatalf("errors.Is invalid=%v policy=%v", errors.Is(err, store.ErrInvalid), errors.Is(err, cxkit.ErrPolicy))
	}
	plain := &cxkit.ValidationError{Field: "x", Rule: "is required"}
	if errors.Is(plain, cxkit.ErrPolicy) {
		t.Fatal("a plain validation error matches ErrPolicy")
	}
	if got := plain.Error(); got != "x: is required" {
		t.Fatalf("Error() = %q", got)
	}
	terr := &cxkit.TransitionError{ID: "c1", From: "logged", Step: "close", Reason: "not followed up"}
	if !errors.Is(terr, cxkit.ErrTransition) || errors.Is(terr, store.ErrInvalid) {
		t.Fatal("TransitionError must match ErrTransition only")
	}
}

func TestParseMetric(t *testing.T) {
	for _, s := range []string{"count", "count:category=delivery", "nps", "count:category=late parcels: two=3"} {
		m, err := cxkit.ParseMetric(s)
		if err != nil {
			t.Fatalf("ParseMetric(%q): %v", s, err)
		}
		if m.String() != s {
			t.Fatalf("ParseMetric(%q).String() = %q", s, m.String())
		}
	}
	m, _ := cxkit.ParseMetric("count:category=delivery")
	if m != (cxkit.Metric{Name: "count", Dimension: "category", Value: "delivery"}) {
		t.Fatalf("parsed %+v", m)
	}
	for _, s := range []string{"", "Count", "count:", "count:category", "count:category=", "count:Cat=x", "count:c=a\x00b", "a b"} {
		if _, err := cxkit.ParseMetric(s); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("ParseMetric(%q) err = %v, want a validation error", s, err)
		}
	}
}

func FuzzParseMetric(f *testing.F) {
	for _, s := range []string{"count", "count:category=delivery", "x:y=z=w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := cxkit.ParseMetric(s)
		if err != nil {
			return
		}
		back, err := cxkit.ParseMetric(m.String())
		if err != nil || back != m {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, m, m.String(), back, err)
		}
	})
}
