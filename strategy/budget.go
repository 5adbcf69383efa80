package strategy

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/cxkit/cxkit/money"
)

// A BudgetKind is the budget a cost is drawn from. Which one depends on the
// strategy: a new system usually comes out of a project budget, most
// customer-service work out of the marketing budget.
type BudgetKind string

// The budget kinds.
const (
	// BudgetSales: expected sales in units and money; the sales goals.
	BudgetSales BudgetKind = "sales"
	// BudgetProduction: the units to make to meet the sales goals and what
	// making them costs in labour and materials.
	BudgetProduction BudgetKind = "production"
	// BudgetCashFlow: receipts and payments over the near term, showing when
	// income covers spending and when outside money is needed.
	BudgetCashFlow BudgetKind = "cash-flow"
	// BudgetMarketing: promotion, advertising and public relations.
	BudgetMarketing BudgetKind = "marketing"
	// BudgetProject: the costs of one internal project (labour, materials,
	// other), often split by task.
	BudgetProject BudgetKind = "project"
	// BudgetManagement: money set aside for particular management actions
	// such as stock levels, development, contingencies and tax commitments.
	BudgetManagement BudgetKind = "management"
)

// budgetKinds is every kind, in the order the seed presents them.
var budgetKinds = []BudgetKind{BudgetSales, BudgetProduction, BudgetCashFlow, BudgetMarketing, BudgetProject, BudgetManagement}

// BudgetKinds returns the known budget kinds, in a fixed order.
func BudgetKinds() []BudgetKind { return slices.Clone(budgetKinds) }

// Validate reports whether k is a known kind; field names the field for the
// error.
func (k BudgetKind) Validate(field string) error {
	if !slices.Contains(budgetKinds, k) {
		return invalidf(field, "must be one of %s, got %q", joinKinds(budgetKinds), k)
	}
	return nil
}

// An Area is where the money or time goes: what it is allocated to.
type Area string

// The allocation areas.
const (
	// AreaMaintenance keeps equipment working so service does not stop.
	AreaMaintenance Area = "maintenance"
	// AreaMerchandising is display equipment that tells customers about new
	// lines.
	AreaMerchandising Area = "merchandising-equipment"
	// AreaPolicies is writing or changing policies and procedures, such as a
	// more flexible returns policy or showing legal compliance.
	AreaPolicies Area = "policies-and-procedures"
	// AreaAdvertising is mail-outs, surveys, newsletters, a website or
	// brochures that keep customers informed and give them another way in.
	AreaAdvertising Area = "advertising"
	// AreaIncentives is rewards programmes for customers and awards for staff
	// who give excellent service.
	AreaIncentives Area = "incentives"
	// AreaTraining is the time and money training costs, which counts as a
	// cost of the strategy like any other.
	AreaTraining Area = "training"
)

var areas = []Area{AreaMaintenance, AreaMerchandising, AreaPolicies, AreaAdvertising, AreaIncentives, AreaTraining}

// Areas returns the known allocation areas, in a fixed order.
func Areas() []Area { return slices.Clone(areas) }

// Validate reports whether a is a known area.
func (a Area) Validate(field string) error {
	if !slices.Contains(areas, a) {
		return invalidf(field, "must be one of %s, got %q", joinKinds(areas), a)
	}
	return nil
}

// A BudgetLine is one line of a strategy's budget, in one of the
// organisation's periods. What it holds depends on its kind, as each kind
// of budget records different things:
//
//   - sales: a forecast of Units sold and the money they bring (Amount);
//   - production: the Units to make (Amount, if set, is what making them
//     costs);
//   - cash flow: the Receipts coming in, the expenditure going out (Amount)
//     and the outside Financing needed when expenditure exceeds receipts;
//   - management: money set aside (Amount) for stock levels (Units held)
//     or tax commitments (Tax);
//   - marketing and project: money to spend (Amount).
//
// Every kind but sales draws its Amount from the funds the organisation
// declared for the kind in the period; a sales line is income forecast, not
// spending. StaffHours are drawn from the period's staff time.
type BudgetLine struct {
	Description string       `json:"description"`
	Kind        BudgetKind   `json:"kind"`
	Area        Area         `json:"area"`
	Amount      money.Amount `json:"amount"`
	StaffHours  float64      `json:"staff_hours,omitempty"`
	// Activity names the activity of the recommended alternative the line
	// pays for.
	Activity string `json:"activity,omitempty"`
	// Units is the sales forecast, the production quantity or the stock
	// level, by kind.
	Units float64 `json:"units,omitempty"`
	// Receipts and Financing are a cash-flow line's money in: from
	// customers, and from outside (a loan, an overdraft).
	Receipts  money.Amount `json:"receipts,omitzero"`
	Financing money.Amount `json:"financing,omitzero"`
	// Tax is a management line's tax commitment.
	Tax money.Amount `json:"tax,omitzero"`
	// Period names the organisation's period the line falls in; empty means
	// the period containing the strategy's start.
	Period string `json:"period,omitempty"`
}

// gaps says what the line lacks for its kind, in words; none when it holds
// what its kind records.
func (l BudgetLine) gaps() []string {
	var out []string
	realMoney := l.Amount.Minor > 0
	switch l.Kind {
	case BudgetSales:
		if l.Units <= 0 || !realMoney {
			out = append(out, "a sales budget forecasts both the units sold and the money they bring")
		}
		if l.Period == "" {
			out = append(out, "a sales forecast names the period it is for")
		}
	case BudgetProduction:
		if l.Units <= 0 {
			out = append(out, "a production budget gives the units to make")
		}
	case BudgetCashFlow:
		if !realMoney && l.Receipts.Minor <= 0 {
			out = append(out, "a cash-flow budget gives the receipts and the expenditure")
		}
		if short := l.Amount.Minor - l.Receipts.Minor; short > 0 && l.Financing.Minor < short {
			out = append(out, fmt.Sprintf("expenditure exceeds receipts by %s, which outside financing must cover",
				money.Amount{Minor: short, Currency: l.Amount.Currency}))
		}
	case BudgetManagement:
		if l.Units <= 0 && l.Tax.Minor <= 0 {
			out = append(out, "a management budget says what the money is set aside for: a stock level (units) or a tax commitment")
		}
		if !realMoney && l.StaffHours <= 0 {
			out = append(out, "it sets aside no money and no staff time")
		}
	default:
		if !realMoney && l.StaffHours <= 0 {
			out = append(out, "it has no money and no staff hours")
		}
	}
	return out
}

func (l BudgetLine) validate(field string) error {
	if strings.TrimSpace(l.Description) == "" {
		return invalidf(field+".description", "must not be empty")
	}
	if err := l.Kind.Validate(field + ".kind"); err != nil {
		return err
	}
	if err := l.Area.Validate(field + ".area"); err != nil {
		return err
	}
	if err := checkAmount(field+".amount", l.Amount); err != nil {
		return err
	}
	if !(l.StaffHours >= 0) || math.IsInf(l.StaffHours, 1) { // !(>=) also catches NaN
		return invalidf(field+".staff_hours", "must be a finite number not below 0, got %g", l.StaffHours)
	}
	if !(l.Units >= 0) || math.IsInf(l.Units, 1) {
		return invalidf(field+".units", "must be a finite number not below 0, got %g", l.Units)
	}
	for _, x := range []struct {
		name string
		a    money.Amount
	}{{"receipts", l.Receipts}, {"financing", l.Financing}, {"tax", l.Tax}} {
		name, a := x.name, x.a
		if a == (money.Amount{}) {
			continue
		}
		if err := checkAmount(field+"."+name, a); err != nil {
			return err
		}
		if a.Currency != l.Amount.Currency && l.Amount.Currency != "" {
			return invalidf(field+"."+name+".currency", "must be the line's currency %s, got %s", l.Amount.Currency, a.Currency)
		}
	}
	return nil
}

// Totals adds up budget lines: money per budget kind, per area and overall
// (one entry per currency), and staff hours.
type Totals struct {
	ByKind     map[BudgetKind][]money.Amount
	ByArea     map[Area][]money.Amount
	Money      []money.Amount // one per currency, sorted by currency
	StaffHours float64
}

// Total adds up lines. Amounts in different currencies are kept apart, never
// converted.
func Total(lines []BudgetLine) (Totals, error) {
	t := Totals{ByKind: map[BudgetKind][]money.Amount{}, ByArea: map[Area][]money.Amount{}}
	var err error
	for _, l := range lines {
		if t.ByKind[l.Kind], err = addTo(t.ByKind[l.Kind], l.Amount); err != nil {
			return Totals{}, err
		}
		if t.ByArea[l.Area], err = addTo(t.ByArea[l.Area], l.Amount); err != nil {
			return Totals{}, err
		}
		if t.Money, err = addTo(t.Money, l.Amount); err != nil {
			return Totals{}, err
		}
		t.StaffHours += l.StaffHours
	}
	return t, nil
}

// addTo adds a to the entry of its currency in sums, keeping sums sorted by
// currency.
func addTo(sums []money.Amount, a money.Amount) ([]money.Amount, error) {
	i, found := slices.BinarySearchFunc(sums, a.Currency, func(s money.Amount, c string) int { return strings.Compare(s.Currency, c) })
	if !found {
		return slices.Insert(sums, i, a), nil
	}
	s, err := sums[i].Add(a)
	if err != nil {
		return nil, err
	}
	sums[i] = s
	return sums, nil
}

// A Shortfall is a demand that does not fit what the organisation declared:
// money of one kind, or staff time, in one period.
type Shortfall struct {
	Period string
	// Kind is the budget kind short of money; empty for staff time.
	Kind BudgetKind
	// Needed and Available are set for money; NeededHours and
	// AvailableHours for staff time.
	Needed, Available           money.Amount
	NeededHours, AvailableHours float64
	// Reason says what does not fit, in words.
	Reason string
}

// A PeriodUsage is what strategies need from one of the organisation's
// periods next to what it declared: money per budget kind and staff hours.
type PeriodUsage struct {
	Period ResourcePeriod
	// Needed is the money the strategies' lines in the period add up to,
	// per kind.
	Needed      map[BudgetKind]money.Amount
	NeededHours float64
}

// A Usage is the outcome of Use: each declared period with what is needed
// from it, and the lines that fall in no declared period.
type Usage struct {
	Periods []PeriodUsage
	// Unplaced describes each budget line that falls in no period.
	Unplaced []string
}

// Use totals the budget lines of strategies per period of org: what each
// period is asked for against what it has. It fails only when amounts of
// one kind in one period are in different currencies.
func Use(cfg Config, strategies ...*Strategy) (Usage, error) {
	u := Usage{Periods: make([]PeriodUsage, len(cfg.Periods))}
	at := map[string]int{}
	for i, p := range cfg.Periods {
		u.Periods[i] = PeriodUsage{Period: p, Needed: map[BudgetKind]money.Amount{}}
		at[p.Name] = i
	}
	for _, s := range strategies {
		for i, l := range s.Budget {
			name, ok := linePeriod(cfg, s, l)
			if !ok {
				why := fmt.Sprintf("names period %q, which the organisation has not declared", l.Period)
				if l.Period == "" {
					why = fmt.Sprintf("falls in no declared period: the strategy starts %s", day(s.Start))
				}
				u.Unplaced = append(u.Unplaced, fmt.Sprintf("budget line %d (%s) of %q %s", i+1, l.Description, s.Title, why))
				continue
			}
			pu := &u.Periods[at[name]]
			pu.NeededHours += l.StaffHours
			if l.Kind == BudgetSales {
				continue // income forecast, not spending
			}
			cur, seen := pu.Needed[l.Kind]
			if !seen {
				cur = money.Amount{Currency: l.Amount.Currency}
			}
			sum, err := cur.Add(l.Amount)
			if err != nil {
				return Usage{}, fmt.Errorf("strategy: %s budget in %s: %w", l.Kind, name, err)
			}
			pu.Needed[l.Kind] = sum
		}
	}
	return u, nil
}

// Shortfalls returns every demand of u that exceeds what was declared,
// ordered by period then budget kind, staff time last in each period, after
// the lines that fall in no period. None means everything fits.
func (u Usage) Shortfalls() ([]Shortfall, error) {
	var out []Shortfall
	for _, why := range u.Unplaced {
		out = append(out, Shortfall{Reason: why})
	}
	for _, pu := range u.Periods {
		p := pu.Period
		for _, k := range sortedKinds(pu.Needed) {
			need := pu.Needed[k]
			if need.IsZero() {
				continue
			}
			have, ok := p.Funds[k]
			if !ok {
				out = append(out, Shortfall{Period: p.Name, Kind: k, Needed: need,
					Reason: fmt.Sprintf("%s budget in %s: needs %s, none declared", k, p.Name, need)})
				continue
			}
			c, err := need.Cmp(have)
			if err != nil {
				return nil, fmt.Errorf("strategy: %s budget in %s: %w", k, p.Name, err)
			}
			if c > 0 {
				short, _ := need.Sub(have)
				out = append(out, Shortfall{Period: p.Name, Kind: k, Needed: need, Available: have,
					Reason: fmt.Sprintf("%s budget in %s: needs %s, %s available (short by %s)", k, p.Name, need, have, short)})
			}
		}
		if h := pu.NeededHours; h > p.StaffHours {
			out = append(out, Shortfall{Period: p.Name, NeededHours: h, AvailableHours: p.StaffHours,
				Reason: fmt.Sprintf("staff time in %s: needs %g h, %g h available (short by %g h)", p.Name, h, p.StaffHours, h-p.StaffHours)})
		}
	}
	return out, nil
}

// Fit compares the budget lines of strategies (the one being checked and any
// already committed in the same periods) with what org declares and returns
// every shortfall (see Usage.Shortfalls). An empty result means everything
// fits.
func Fit(cfg Config, strategies ...*Strategy) ([]Shortfall, error) {
	u, err := Use(cfg, strategies...)
	if err != nil {
		return nil, err
	}
	return u.Shortfalls()
}

// linePeriod is the name of the organisation's period a line falls in.
func linePeriod(cfg Config, s *Strategy, l BudgetLine) (string, bool) {
	if l.Period != "" {
		_, ok := cfg.Period(l.Period)
		return l.Period, ok
	}
	if s.Start.IsZero() {
		return "", false
	}
	p, ok := cfg.PeriodAt(s.Start)
	return p.Name, ok
}

func sortedKinds[V any](m map[BudgetKind]V) []BudgetKind {
	ks := slices.Collect(maps.Keys(m))
	slices.SortFunc(ks, func(a, b BudgetKind) int {
		return slices.Index(budgetKinds, a) - slices.Index(budgetKinds, b)
	})
	return ks
}

func joinKinds[T ~string](ks []T) string {
	ss := make([]string, len(ks))
	for i, k := range ks {
		ss[i] = string(k)
	}
	return strings.Join(ss, ", ")
}
