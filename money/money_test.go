package money

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func TestStringParseRoundTrip(t *testing.T) {
	cases := []struct {
		a    Amount
		want string
	}{
		{Amount{1250, "AUD"}, "AUD 12.50"},
		{Amount{5, "AUD"}, "AUD 0.05"},
		{Amount{-5, "EUR"}, "EUR -0.05"},
		{Amount{0, "USD"}, "USD 0.00"},
		{Amount{1500, "JPY"}, "JPY 1500"},
		{Amount{1234, "KWD"}, "KWD 1.234"},
	}
	for _, c := range cases {
		if got := c.a.String(); got != c.want {
			t.Errorf("%#v.String() = %q, want %q", c.a, got, c.want)
		}
		back, err := Parse(c.want)
		if err != nil || back != c.a {
			t.Errorf("Parse(%q) = %v, %v; want %v", c.want, back, err, c.a)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, s := range []string{"", "12.50", "AUD", "AUD 1.234", "XXX 1", "AUD abc", "AUD .5", "AUD 1.-5", "AUD --1"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded", s)
		}
	}
	if _, err := Parse("XXX 1"); !errors.Is(err, ErrUnknownCurrency) {
		t.Errorf("unknown currency error = %v", err)
	}
}

func TestArithmetic(t *testing.T) {
	a, b := MustNew(1000, "AUD"), MustNew(250, "AUD")
	if s, err := a.Add(b); err != nil || s.Minor != 1250 {
		t.Errorf("Add = %v, %v", s, err)
	}
	if s, err := b.Sub(a); err != nil || s.Minor != -750 || !s.IsNegative() {
		t.Errorf("Sub = %v, %v", s, err)
	}
	if c, err := a.Cmp(b); err != nil || c != 1 {
		t.Errorf("Cmp = %d, %v", c, err)
	}
	if _, err := a.Add(MustNew(1, "USD")); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("mixed Add error = %v", err)
	}
	if _, err := MustNew(math.MaxInt64, "AUD").Add(MustNew(1, "AUD")); !errors.Is(err, ErrOverflow) {
		t.Errorf("overflow error = %v", err)
	}
	if _, err := MustNew(0, "AUD").Sub(MustNew(math.MinInt64, "AUD")); !errors.Is(err, ErrOverflow) {
		t.Errorf("overflow error = %v", err)
	}
	if s, err := Sum("AUD", a, b, b); err != nil || s.Minor != 1500 {
		t.Errorf("Sum = %v, %v", s, err)
	}
	if _, err := New(1, "aud"); !errors.Is(err, ErrUnknownCurrency) {
		t.Errorf("lower-case code accepted: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"AUD 12.50", "JPY 7", "EUR -0.01", "KWD 1.5", "USD 99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		// Whatever parses must print and parse back to itself.
		b, err := Parse(a.String())
		if err != nil || b != a {
			t.Fatalf("Parse(%q) = %v, but Parse(String()) = %v, %v", s, a, b, err)
		}
	})
}

func ExampleParse() {
	price, _ := Parse("AUD 49.95")
	refund, _ := New(1500, "AUD")
	left, _ := price.Sub(refund)
	fmt.Println(left)
	// Output: AUD 34.95
}
