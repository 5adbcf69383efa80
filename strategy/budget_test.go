package strategy_test

import (
	"errors"
	"github.com/cxkit/cxkit/strategy/budget"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/money"
	"github.com/cxkit/cxkit/strategy"
)

func TestTotal(t *testing.T) {
	s := testStrategy()
	s.Budget = append(s.Budget, budget.Line{Description: "Survey prize", Kind: budget.KindMarketing,
		Area: budget.AreaIncentives, Amount: money.MustNew(5000, "EUR"), StaffHours: 2.5})
	tot, err := budget.Total(s.Budget)
	if err != nil {
		t.Fatal(err)
	}
	wantMoney := []money.Amount{aud(650000), money.MustNew(5000, "EUR")}
	if len(tot.Money) != 2 || tot.Money[0] != wantMoney[0] || tot.Money[1] != wantMoney[1] {
		t.Errorf("Money = %v, want %v (currencies kept apart, sorted)", tot.Money, wantMoney)
	}
	if got := tot.ByKind[budget.KindProject]; len(got) != 1 || got[0] != aud(570000) {
		t.Errorf("ByKind[project] = %v, want AUD 5700.00", got)
	}
	if got := tot.ByArea[budget.AreaTraining]; len(got) != 1 || got[0] != aud(120000) {
		t.Errorf("ByArea[training] = %v, want AUD 1200.00", got)
	}
	if tot.StaffHours != 112.5 {
		t.Errorf("StaffHours = %g, want 112.5", tot.StaffHours)
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*strategy.Strategy, *strategy.Config)
		reasons []string // substrings of each shortfall's reason, in order
	}{
		{"fits", func(*strategy.Strategy, *strategy.Config) {}, nil},
		{"exactly the money available fits", func(s *strategy.Strategy, _ *strategy.Config) {
			s.Budget[2].Amount = aud(300000)
		}, nil},
		{"one cent over", func(s *strategy.Strategy, _ *strategy.Config) {
			s.Budget[2].Amount = aud(300001)
		}, []string{"marketing budget in 2027-Q2: needs AUD 3000.01, AUD 3000.00 available (short by AUD 0.01)"}},
		{"project money over in Q1", func(s *strategy.Strategy, _ *strategy.Config) {
			s.Budget[0].Amount = aud(1900000)
		}, []string{"project budget in 2027-Q1: needs AUD 20200.00, AUD 20000.00 available (short by AUD 200.00)"}},
		{"staff time over", func(s *strategy.Strategy, _ *strategy.Config) {
			s.Budget[1].StaffHours = 370
		}, []string{"staff time in 2027-Q1: needs 410 h, 400 h available (short by 10 h)"}},
		{"kind not declared", func(s *strategy.Strategy, _ *strategy.Config) {
			s.Budget[0].Kind = budget.KindManagement
		}, []string{"management budget in 2027-Q1: needs AUD 4500.00, none declared"}},
		{"period unknown", func(s *strategy.Strategy, _ *strategy.Config) {
			s.Budget[2].Period = "2031-Q1"
		}, []string{`budget line 3 (Tell customers about the alerts) of "Deliver on the promised day" names period "2031-Q1", which the organisation has not declared`}},
		{"start outside every period", func(s *strategy.Strategy, _ *strategy.Config) {
			s.Start = date(2026, 6, 1)
		}, []string{"budget line 1 (SMS gateway set-up) of \"Deliver on the promised day\" falls in no declared period: the strategy starts 2026-06-01",
			"budget line 2 (Dispatch staff training)"}},
		{"two shortfalls in one period", func(s *strategy.Strategy, o *strategy.Config) {
			o.Periods[0].StaffHours = 50
			o.Periods[0].Funds[budget.KindProject] = aud(100)
		}, []string{"project budget in 2027-Q1", "staff time in 2027-Q1: needs 100 h, 50 h available"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, org := testStrategy(), testOrg()
			tt.edit(&s, &org)
			short, err := budget.Fit(org.Periods, plans(&s)...)
			if err != nil {
				t.Fatal(err)
			}
			if len(short) != len(tt.reasons) {
				t.Fatalf("Fit = %+v, want %d shortfalls", short, len(tt.reasons))
			}
			for i, want := range tt.reasons {
				if !strings.Contains(short[i].Reason, want) {
					t.Errorf("shortfall %d = %q, want it to contain %q", i, short[i].Reason, want)
				}
			}
		})
	}
}

// TestFitCountsCommittedStrategies: two strategies that each fit alone can
// overrun a period together.
func TestFitCountsCommittedStrategies(t *testing.T) {
	a, b := testStrategy(), testStrategy()
	org := testOrg()
	if short, _ := budget.Fit(org.Periods, plans(&a)...); len(short) != 0 {
		t.Fatalf("one strategy alone: %+v", short)
	}
	short, err := budget.Fit(org.Periods, plans(&a, &b)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(short) != 0 {
		t.Fatalf("two strategies: %+v, want none (project AUD 11400 < 20000, marketing 1600 < 3000, hours 200 < 400)", short)
	}
	b.Budget[0].Amount = aud(1500000)
	short, _ = budget.Fit(org.Periods, plans(&a, &b)...)
	if len(short) != 1 || short[0].Kind != budget.KindProject || short[0].Needed != aud(2190000) || short[0].Available != aud(2000000) {
		t.Errorf("Fit = %+v, want the project budget short: AUD 21900 needed, AUD 20000 available", short)
	}
}

func TestUse(t *testing.T) {
	a, b := testStrategy(), testStrategy()
	u, err := budget.Use(testOrg().Periods, plans(&a, &b)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Periods) != 2 || len(u.Unplaced) != 0 {
		t.Fatalf("usage = %+v", u)
	}
	q1, q2 := u.Periods[0], u.Periods[1]
	if q1.Period.Name != "2027-Q1" || q1.Needed[budget.KindProject] != aud(1140000) || q1.NeededHours != 200 {
		t.Errorf("Q1 usage = %+v, want project AUD 11400.00 and 200 h", q1)
	}
	if q2.Needed[budget.KindMarketing] != aud(160000) || q2.NeededHours != 20 || len(q2.Needed) != 1 {
		t.Errorf("Q2 usage = %+v, want marketing AUD 1600.00 and 20 h", q2)
	}
}

func TestFitCurrencyMismatchIsAnError(t *testing.T) {
	s, org := testStrategy(), testOrg()
	s.Budget[2].Amount = money.MustNew(100, "EUR")
	if _, err := budget.Fit(org.Periods, plans(&s)...); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Errorf("Fit = %v, want ErrCurrencyMismatch", err)
	}
}
