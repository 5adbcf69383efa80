package strategy_test

import (
	"errors"
	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/strategy/budget"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/strategy"
)

const orgJSON = `{
  "name": "Harbour Office Supplies",
  "goals": [{"id": "G1", "title": "Deliver every order on the promised day"}],
  "periods": [
    {"name": "2027-Q1", "from": "2027-01-01T00:00:00Z", "to": "2027-04-01T00:00:00Z",
     "funds": {"marketing": {"minor": 500000, "currency": "AUD"}}, "staff_hours": 400}
  ],
  "legal": [{"id": "L1", "title": "Privacy of collected customer details", "topics": ["customer-details"]}]
}`

func TestLoadConfig(t *testing.T) {
	org, err := strategy.LoadConfig(strings.NewReader(orgJSON))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := org.PeriodAt(date(2027, 2, 1))
	if !ok || p.Name != "2027-Q1" || p.Funds[budget.KindMarketing] != aud(500000) || p.StaffHours != 400 {
		t.Errorf("period = %+v", p)
	}
	if _, ok := org.PeriodAt(date(2027, 4, 1)); ok {
		t.Error("a period's end is outside it")
	}
	if g, ok := org.Goal("G1"); !ok || g.Title == "" {
		t.Errorf("goal G1 = %+v", g)
	}
}

func TestLoadConfigRejects(t *testing.T) {
	tests := []struct {
		name, json, field string
		cause             error
	}{
		{"unknown field", `{"name": "x", "budgets": []}`, "", nil},
		{"unknown budget kind", strings.Replace(orgJSON, `"marketing"`, `"party"`, 1), "config.periods[0].funds", nil},
		{"unknown currency", strings.Replace(orgJSON, `"AUD"`, `"ZZZ"`, 1), "config.periods[0].funds[marketing].currency", money.ErrUnknownCurrency},
		{"negative funds", strings.Replace(orgJSON, `500000`, `-5`, 1), "config.periods[0].funds[marketing].minor", nil},
		{"period backwards", strings.Replace(orgJSON, `"2027-04-01T00:00:00Z"`, `"2026-04-01T00:00:00Z"`, 1), "config.periods[0].to", nil},
		{"requirement without topics", strings.Replace(orgJSON, `["customer-details"]`, `[]`, 1), "config.legal[0].topics", nil},
		{"negative staff hours", strings.Replace(orgJSON, `"staff_hours": 400`, `"staff_hours": -1`, 1), "config.periods[0].staff_hours", nil},
		{"goal without ID", strings.Replace(orgJSON, `"id": "G1"`, `"id": ""`, 1), "config.goals[0].id", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := strategy.LoadConfig(strings.NewReader(tt.json))
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("LoadConfig = %v, want ErrInvalid", err)
			}
			var fe *cxkit.ValidationError
			if tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field) {
				t.Errorf("LoadConfig = %v, want field %s", err, tt.field)
			}
			if tt.cause != nil && !errors.Is(err, tt.cause) {
				t.Errorf("LoadConfig = %v, want it to wrap %v", err, tt.cause)
			}
		})
	}
}
