package cxkit_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cxkit/cxkit"
)

func TestRedact(t *testing.T) {
	ids := cxkit.Identifiers{Ref: "cust-42", Names: []string{"Ada Lovelace"}, Emails: []string{"ada@example.org"}}
	in := "Ada Lovelace (ADA@EXAMPLE.ORG, +44 20 7946 0958, other.person@mail.co) wrote about cust-42; Adam stays; order 1234 stays."
	out := ids.Redact(in)
	for _, leak := range []string{"Ada Lovelace", "ADA@EXAMPLE.ORG", "7946", "other.person@mail.co", "cust-42"} {
		if strings.Contains(out, leak) {
			t.Errorf("Redact left %q in %q", leak, out)
		}
	}
	for _, keep := range []string{"Adam stays", "order 1234 stays"} {
		if !strings.Contains(out, keep) {
			t.Errorf("Redact took out %q: %q", keep, out)
		}
	}
}

type fakeEraser struct {
	know cxkit.Identifiers
	got  cxkit.Identifiers
}

func (f *fakeEraser) CustomerIdentifiers(ctx context.Context, ref string) (cxkit.Identifiers, error) {
	return f.know, nil
}

func (f *fakeEraser) EraseIdentifiers(ctx context.Context, ids cxkit.Identifiers, by string) (int, error) {
	f.got = ids
	return 1, nil
}

func TestEraseCustomerSharesIdentifiers(t *testing.T) {
	a := &fakeEraser{know: cxkit.Identifiers{Names: []string{"Ada"}}}
	b := &fakeEraser{know: cxkit.Identifiers{Emails: []string{"ada@example.org"}}}
	n, err := cxkit.EraseCustomer(context.Background(), "c1", "privacy officer", a, b)
	if err != nil || n != 2 {
		t.Fatalf("EraseCustomer = %d, %v", n, err)
	}
	for _, e := range []*fakeEraser{a, b} {
		if e.got.Ref != "c1" || len(e.got.Names) != 1 || len(e.got.Emails) != 1 {
			t.Fatalf("an eraser was not given every identifier: %+v", e.got)
		}
	}
	if _, err := cxkit.EraseCustomer(context.Background(), " ", "x", a); err == nil {
		t.Fatal("empty ref accepted")
	}
}

func TestRedactorMentionsAndAdjacent(t *testing.T) {
	r := cxkit.Identifiers{Names: []string{"Ada"}, Emails: []string{"ada@example.org"}, Phones: []string{"0400 123 456"}}.Redactor()
	if !r.Mentions("ask ADA about it") || r.Mentions("Adam called") || r.Mentions("") {
		t.Fatal("Mentions must find whole words only, ignoring case")
	}
	if got := r.Known("Ada Ada,Ada"); strings.Contains(got, "Ada") {
		t.Fatalf("adjacent mentions left: %q", got)
	}
	if got := r.Known("Ada wrote to bob@example.com"); !strings.Contains(got, "bob@example.com") {
		t.Fatalf("Known took out another person's e-mail: %q", got)
	}
	if got := r.All("Ada wrote to bob@example.com"); strings.Contains(got, "bob@") {
		t.Fatalf("All left an e-mail address: %q", got)
	}
	accented := cxkit.Identifiers{Names: []string{"Zoë Ng"}}.Redactor()
	if !accented.Mentions("from zoë ng, room 4") {
		t.Fatal("a name with a non-ASCII letter was not found")
	}
}
