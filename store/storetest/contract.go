package storetest

import (
	"context"
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
)

// rules says, for each error a call may be required to wrap, its name and
// what the contract means by it, so that a failure reads as the rule that
// was broken rather than as two error strings.
var rules = []struct {
	err  error
	name string
	when string
}{
	{store.ErrNotFound, "store.ErrNotFound", "no record has that kind and ID"},
	{store.ErrAlreadyExists, "store.ErrAlreadyExists", "a record with that kind and ID exists already"},
	{store.ErrConflict, "store.ErrConflict", "the write named a version that is not the stored one"},
	{store.ErrInvalid, "store.ErrInvalid", "an argument broke a rule of the contract, and nothing may be written"},
	{store.ErrClosed, "store.ErrClosed", "every call after Close fails"},
	{context.Canceled, "context.Canceled", "a call with a cancelled context fails and writes nothing"},
}

// contract is the end of a failure message for a call that had to return an
// error wrapping target: "the contract says it must wrap store.ErrNotFound
// (no record has that kind and ID)".
func contract(target error) string {
	for _, r := range rules {
		if r.err == target {
			return fmt.Sprintf("the contract says it must wrap %s (%s)", r.name, r.when)
		}
	}
	return fmt.Sprintf("the contract says it must wrap %q", target)
}

// gotErr describes what a call returned, for failure messages.
func gotErr(err error) string {
	if err == nil {
		return "got no error"
	}
	for _, r := range rules {
		if errors.Is(err, r.err) {
			return fmt.Sprintf("got error %q, which wraps %s", err, r.name)
		}
	}
	return fmt.Sprintf("got error %q", err)
}

// describeFilters reads filters as words: `cat equal to "x" and n at least
// "0010"`.
func describeFilters(fs []store.Filter) string {
	if len(fs) == 0 {
		return "no filter"
	}
	var b []byte
	for i, f := range fs {
		if i > 0 {
			b = append(b, " and "...)
		}
		b = fmt.Appendf(b, "%s %v ", f.Attr, f.Op)
		if f.Op == store.OpIn {
			b = fmt.Appendf(b, "%q", f.Values)
		} else if len(f.Values) > 0 {
			b = fmt.Appendf(b, "%q", f.Values[0])
		}
	}
	return string(b)
}
