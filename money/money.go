// Package money is an amount of money as an integer count of a currency's
// minor units (cents, pence, yen) with its ISO 4217 code. Never a float:
// refunds, authority limits and budgets must add up exactly.
package money

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Errors, for errors.Is.
var (
	// ErrUnknownCurrency: the code is not an ISO 4217 code this package knows.
	ErrUnknownCurrency = errors.New("unknown currency")
	// ErrCurrencyMismatch: arithmetic or comparison across two currencies.
	ErrCurrencyMismatch = errors.New("currency mismatch")
	// ErrOverflow: the result does not fit in int64 minor units.
	ErrOverflow = errors.New("amount overflows")
	// ErrSyntax: Parse could not read the text.
	ErrSyntax = errors.New("malformed amount")
)

// An Amount is Minor units of Currency: {1250, "AUD"} is A$12.50.
// The zero Amount has no currency and is valid only as "nothing yet".
type Amount struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

// New returns minor units of currency, or ErrUnknownCurrency.
func New(minor int64, currency string) (Amount, error) {
	a := Amount{Minor: minor, Currency: currency}
	return a, a.Validate()
}

// MustNew is New for amounts written in the program itself; it panics on an
// unknown currency.
func MustNew(minor int64, currency string) Amount {
	a, err := New(minor, currency)
	if err != nil {
		panic(err)
	}
	return a
}

// Validate reports whether the currency is known.
func (a Amount) Validate() error {
	if _, ok := exponents[a.Currency]; !ok {
		return fmt.Errorf("money: currency %q: %w (want an ISO 4217 code such as AUD, EUR, USD)", a.Currency, ErrUnknownCurrency)
	}
	return nil
}

// IsZero reports whether the amount is zero (in any currency).
func (a Amount) IsZero() bool { return a.Minor == 0 }

// IsNegative reports whether the amount is below zero.
func (a Amount) IsNegative() bool { return a.Minor < 0 }

func (a Amount) same(b Amount) error {
	if a.Currency != b.Currency {
		return fmt.Errorf("money: %s and %s: %w", a.Currency, b.Currency, ErrCurrencyMismatch)
	}
	return nil
}

// Add returns a+b; both must be in one currency.
func (a Amount) Add(b Amount) (Amount, error) {
	if err := a.same(b); err != nil {
		return Amount{}, err
	}
	s := a.Minor + b.Minor
	if (s > a.Minor) != (b.Minor > 0) {
		return Amount{}, fmt.Errorf("money: %v + %v: %w", a, b, ErrOverflow)
	}
	return Amount{Minor: s, Currency: a.Currency}, nil
}

// Sub returns a-b; both must be in one currency.
func (a Amount) Sub(b Amount) (Amount, error) {
	if b.Minor == math.MinInt64 {
		return Amount{}, fmt.Errorf("money: %v - %v: %w", a, b, ErrOverflow)
	}
	return a.Add(Amount{Minor: -b.Minor, Currency: b.Currency})
}

// Cmp compares a and b: -1, 0 or +1; both must be in one currency.
func (a Amount) Cmp(b Amount) (int, error) {
	if err := a.same(b); err != nil {
		return 0, err
	}
	switch {
	case a.Minor < b.Minor:
		return -1, nil
	case a.Minor > b.Minor:
		return 1, nil
	}
	return 0, nil
}

// Sum adds amounts of one currency; the sum of none is the zero Amount of
// currency.
func Sum(currency string, amounts ...Amount) (Amount, error) {
	total := Amount{Currency: currency}
	for _, a := range amounts {
		var err error
		if total, err = total.Add(a); err != nil {
			return Amount{}, err
		}
	}
	return total, nil
}

// Exponent returns the number of minor-unit digits of currency (2 for AUD,
// 0 for JPY), or ErrUnknownCurrency.
func Exponent(currency string) (int, error) {
	e, ok := exponents[currency]
	if !ok {
		return 0, fmt.Errorf("money: currency %q: %w", currency, ErrUnknownCurrency)
	}
	return e, nil
}

// String formats the amount as "AUD 12.50"; an unknown currency prints its
// minor units as they are.
func (a Amount) String() string {
	e, ok := exponents[a.Currency]
	if !ok || e == 0 {
		return fmt.Sprintf("%s %d", a.Currency, a.Minor)
	}
	neg := a.Minor < 0
	u := uint64(a.Minor)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= e {
		digits = strings.Repeat("0", e-len(digits)+1) + digits
	}
	s := digits[:len(digits)-e] + "." + digits[len(digits)-e:]
	if neg {
		s = "-" + s
	}
	return a.Currency + " " + s
}

// Parse reads "AUD 12.50" (code, space, decimal with at most the
// currency's minor digits; a leading '-' allowed), the form String writes.
func Parse(s string) (Amount, error) {
	code, num, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return Amount{}, fmt.Errorf("money: %q: %w: want \"CODE 12.34\"", s, ErrSyntax)
	}
	e, err := Exponent(code)
	if err != nil {
		return Amount{}, err
	}
	neg := strings.HasPrefix(num, "-")
	num = strings.TrimPrefix(num, "-")
	whole, frac, _ := strings.Cut(num, ".")
	if whole == "" || len(frac) > e || strings.ContainsAny(whole+frac, "+-") {
		return Amount{}, fmt.Errorf("money: %q: %w: want at most %d decimal places", s, ErrSyntax, e)
	}
	frac += strings.Repeat("0", e-len(frac))
	u, err := strconv.ParseUint(whole+frac, 10, 63)
	if err != nil {
		return Amount{}, fmt.Errorf("money: %q: %w: %v", s, ErrSyntax, err)
	}
	m := int64(u)
	if neg {
		m = -m
	}
	return Amount{Minor: m, Currency: code}, nil
}

// exponents maps the ISO 4217 codes this package knows to their minor-unit
// digits. It is a fixed table, not state.
var exponents = map[string]int{
	"AED": 2, "ARS": 2, "AUD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BRL": 2,
	"CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2, "COP": 2, "CZK": 2, "DKK": 2,
	"EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2,
	"INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KES": 2, "KRW": 0, "KWD": 3,
	"MAD": 2, "MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2, "NZD": 2, "OMR": 3,
	"PEN": 2, "PHP": 2, "PKR": 2, "PLN": 2, "QAR": 2, "RON": 2, "RSD": 2,
	"SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2,
	"UAH": 2, "USD": 2, "VND": 0, "XAF": 0, "XOF": 0, "ZAR": 2,
}
