package store

import (
	"testing"

	"github.com/cxkit/cxkit/store/internal/rule"
)

// The rules drivers apply and the limits this package documents must be
// the same numbers.
func TestLimitsAgreeWithRules(t *testing.T) {
	for name, pair := range map[string][2]int{
		"MaxKindLen":      {MaxKindLen, rule.MaxKindLen},
		"MaxIDLen":        {MaxIDLen, rule.MaxIDLen},
		"MaxAttrNameLen":  {MaxAttrNameLen, rule.MaxAttrNameLen},
		"MaxAttrValueLen": {MaxAttrValueLen, rule.MaxAttrValueLen},
		"MaxGroupBy":      {MaxGroupBy, rule.MaxGroupBy},
	} {
		if pair[0] != pair[1] {
			t.Errorf("store.%s = %d but the rule applies %d", name, pair[0], pair[1])
		}
	}
}
