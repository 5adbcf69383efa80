package strategy

import (
	"strconv"
	"strings"

	"github.com/cxkit/cxkit/money"
)

// num prints a float the shortest way that reads back the same: 30, not
// 30.000000.
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// amounts prints sums in several currencies as "AUD 10.00 + EUR 5.00".
func amounts(as []money.Amount) string {
	if len(as) == 0 {
		return "no money"
	}
	ss := make([]string, len(as))
	for i, a := range as {
		ss[i] = a.String()
	}
	return strings.Join(ss, " + ")
}

// joinKinds lists the values of an enumeration for an error message.
func joinKinds[T ~string](ks []T) string {
	ss := make([]string, len(ks))
	for i, k := range ks {
		ss[i] = string(k)
	}
	return strings.Join(ss, ", ")
}
