// Package budget holds what a customer-service improvement costs and what
// the organisation has to spend: budget lines of the six kinds a business
// keeps (sales, production, cash flow, marketing, project, management),
// each holding what its kind records, and the periods of money and staff
// time they draw on. Use and Fit say, per period, what plans ask of it and
// what does not fit.
//
//	periods := []budget.Period{{Name: "2027-Q1", From: q1, To: q2,
//		Funds: map[budget.Kind]money.Amount{budget.KindProject: money.MustNew(2_000_000, "AUD")}, StaffHours: 400}}
//	lines := []budget.Line{{Description: "SMS gateway", Kind: budget.KindProject, Area: budget.AreaPolicies,
//		Amount: money.MustNew(450_000, "AUD"), StaffHours: 40}}
//	short, err := budget.Fit(periods, budget.Plan{Name: "Deliver on the promised day", Start: q1, Lines: lines})
//
// Package strategy checks every strategy's budget this way.
package budget

import (
	"time"

	"fmt"
	"github.com/cxkit/cxkit"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/cxkit/cxkit/money"
)

// A Kind is the budget a cost is drawn from. Which one depends on the
// strategy: a new system usually comes out of a project budget, most
// customer-service work out of the marketing budget.
type Kind string

// The budget kinds.
const (
	// KindSales: expected sales in units and money; the sales goals.
	KindSales Kind = "sales"
	// KindProduction: the units to make to meet the sales goals and what
	// making them costs in labour and materials.
	KindProduction Kind = "production"
	// KindCashFlow: receipts and payments over the near term, showing when
	// income covers spending and when outside money is needed.
	KindCashFlow Kind = "cash-flow"
	// KindMarketing: promotion, advertising and public relations.
	KindMarketing Kind = "marketing"
	// KindProject: the costs of one internal project (labour, materials,
	// other), often split by task.
	KindProject Kind = "project"
	// KindManagement: money set aside for particular management actions
	// such as stock levels, development, contingencies and tax commitments.
	KindManagement Kind = "management"
)

// kinds is every kind, in the order the seed presents them.
var kinds = []Kind{KindSales, KindProduction, KindCashFlow, KindMarketing, KindProject, KindManagement}

// Kinds returns the known budget kinds, in a fixed order.
func Kinds() []Kind { return slices.Clone(kinds) }

// Validate reports whether k is a known kind; field names the field for the
// error.
func (k Kind) Validate(field string) error {
	if !slices.Contains(kinds, k) {
		return invalidf(field, "must be one of %s, got %q", joinKinds(kinds), k)
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

// A Line is one line of a strategy's budget, in one of the
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
type Line struct {
	Description string       `json:"description"`
	Kind        Kind         `json:"kind"`
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

// Gaps says what the line lacks for its kind, in words; none when it holds
// what its kind records.
func (l Line) Gaps() []string {
	var out []string
	realMoney := l.Amount.Minor > 0
	switch l.Kind {
	case KindSales:
		if l.Units <= 0 || !realMoney {
			out = append(out, "a sales budget forecasts both the units sold and the money they bring")
		}
		if l.Period == "" {
			out = append(out, "a sales forecast names the period it is for")
		}
	case KindProduction:
		if l.Units <= 0 {
			out = append(out, "a production budget gives the units to make")
		}
	case KindCashFlow:
		if !realMoney && l.Receipts.Minor <= 0 {
			out = append(out, "a cash-flow budget gives the receipts and the expenditure")
		}
		if short := l.Amount.Minor - l.Receipts.Minor; short > 0 && l.Financing.Minor < short {
			out = append(out, fmt.Sprintf("expenditure exceeds receipts by %s, which outside financing must cover",
				money.Amount{Minor: short, Currency: l.Amount.Currency}))
		}
	case KindManagement:
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

// Validate checks the line's own rules (a description, a known kind and
// area, amounts in known currencies and not negative, the money in of a
// cash-flow line in the line's currency); field names the line for the
// error, as "strategy.budget[2]".
func (l Line) Validate(field string) error {
	if strings.TrimSpace(l.Description) == "" {
		return invalidf(field+".description", "must not be empty")
	}
	if err := l.Kind.Validate(field + ".kind"); err != nil {
		return err
	}
	if err := l.Area.Validate(field + ".area"); err != nil {
		return err
	}
	if err := CheckAmount(field+".amount", l.Amount); err != nil {
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
		if err := CheckAmount(field+"."+name, a); err != nil {
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
	ByKind     map[Kind][]money.Amount
	ByArea     map[Area][]money.Amount
	Money      []money.Amount // one per currency, sorted by currency
	StaffHours float64
}

// Total adds up lines. Amounts in different currencies are kept apart, never
// converted.
func Total(lines []Line) (Totals, error) {
	t := Totals{ByKind: map[Kind][]money.Amount{}, ByArea: map[Area][]money.Amount{}}
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
	Kind Kind
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
	Period Period
	// Needed is the money the strategies' lines in the period add up to,
	// per kind.
	Needed      map[Kind]money.Amount
	NeededHours float64
}

// A Usage is the outcome of Use: each declared period with what is needed
// from it, and the lines that fall in no declared period.
type Usage struct {
	Periods []PeriodUsage
	// Unplaced describes each budget line that falls in no period.
	Unplaced []string
}

// A Plan is what one strategy asks of the budget: its lines, and the start
// that places lines naming no period. Name says whose lines they are, in
// the words of a shortfall.
type Plan struct {
	Name  string
	Start time.Time
	Lines []Line
}

// Use totals the budget lines of plans per period: what each period is
// asked for against what it has. A sales line is income forecast, not
// spending: it draws on no funds. It fails only when amounts of one kind in
// one period are in different currencies.
func Use(periods []Period, plans ...Plan) (Usage, error) {
	u := Usage{Periods: make([]PeriodUsage, len(periods))}
	at := map[string]int{}
	for i, p := range periods {
		u.Periods[i] = PeriodUsage{Period: p, Needed: map[Kind]money.Amount{}}
		at[p.Name] = i
	}
	for _, pl := range plans {
		for i, l := range pl.Lines {
			name, ok := linePeriod(periods, pl, l)
			if !ok {
				why := fmt.Sprintf("names period %q, which the organisation has not declared", l.Period)
				if l.Period == "" {
					why = fmt.Sprintf("falls in no declared period: the strategy starts %s", day(pl.Start))
				}
				u.Unplaced = append(u.Unplaced, fmt.Sprintf("budget line %d (%s) of %q %s", i+1, l.Description, pl.Name, why))
				continue
			}
			pu := &u.Periods[at[name]]
			pu.NeededHours += l.StaffHours
			if l.Kind == KindSales {
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
		for _, k := range SortedKinds(pu.Needed) {
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

// Fit compares the budget lines of plans (the one being checked and any
// already committed in the same periods) with what the periods hold and
// returns every shortfall (see Usage.Shortfalls). An empty result means
// everything fits.
func Fit(periods []Period, plans ...Plan) ([]Shortfall, error) {
	u, err := Use(periods, plans...)
	if err != nil {
		return nil, err
	}
	return u.Shortfalls()
}

// linePeriod is the name of the period a line falls in.
func linePeriod(periods []Period, pl Plan, l Line) (string, bool) {
	if l.Period != "" {
		return l.Period, slices.ContainsFunc(periods, func(p Period) bool { return p.Name == l.Period })
	}
	if pl.Start.IsZero() {
		return "", false
	}
	i := slices.IndexFunc(periods, func(p Period) bool { return p.Contains(pl.Start) })
	if i < 0 {
		return "", false
	}
	return periods[i].Name, true
}

// SortedKinds returns the kinds of m in the order of Kinds.
func SortedKinds[V any](m map[Kind]V) []Kind {
	ks := slices.Collect(maps.Keys(m))
	slices.SortFunc(ks, func(a, b Kind) int {
		return slices.Index(kinds, a) - slices.Index(kinds, b)
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

func invalidf(field, format string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(format, args...)}
}

// CheckAmount checks an amount of money in a declaration or a line: a
// known currency and not negative. field names it for the error.
func CheckAmount(field string, a money.Amount) error {
	if err := a.Validate(); err != nil {
		return &cxkit.ValidationError{Field: field + ".currency", Rule: fmt.Sprintf("must be a known ISO 4217 code such as AUD, EUR, USD, got %q", a.Currency), Err: err}
	}
	if a.IsNegative() {
		return invalidf(field+".minor", "must not be negative, got %s", a)
	}
	return nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return "(not set)"
	}
	return t.Format(time.DateOnly)
}

// A Period is what the organisation makes available over [From, To): money
// per budget kind and staff time in hours. An organisation's periods must
// not overlap, so that a line belongs to exactly one.
type Period struct {
	Name       string                `json:"name"`
	From       time.Time             `json:"from"`
	To         time.Time             `json:"to"`
	Funds      map[Kind]money.Amount `json:"funds"`
	StaffHours float64               `json:"staff_hours"`
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }
