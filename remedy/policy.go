package remedy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/money"
)

// Policy is an organisation's refunds and remedies policy, as data: what
// each remedy requires, and how much each role may commit the organisation
// to before someone more senior must approve.
type Policy struct {
	// Currency all remedy amounts are in.
	Currency string `json:"currency"`
	// Remedies holds the conditions of each remedy; a remedy not listed
	// has none.
	Remedies map[Kind]Rule `json:"remedies,omitempty"`
	// Authority lists the roles that may decide remedies, most junior
	// first. A role not listed has no authority to give anything of value.
	Authority []Authority `json:"authority"`
}

// Rule is what a remedy needs: a time limit since purchase, proof of
// purchase, and whether used goods are excluded.
type Rule struct {
	// WithinMonths and WithinDays limit the time since purchase (both zero:
	// no limit). "Within two months of purchase" is WithinMonths 2.
	WithinMonths int `json:"within_months,omitempty"`
	WithinDays   int `json:"within_days,omitempty"`
	// ProofRequired: the customer must show proof of purchase.
	ProofRequired bool `json:"proof_required,omitempty"`
	// ExcludeUsed: goods that have obviously been used do not qualify,
	// unless they are faulty.
	ExcludeUsed bool `json:"exclude_used,omitempty"`
	// Cap is the most this remedy may be worth for one purchase (zero:
	// no cap); CapShare the most as a share of the purchase price (0.5:
	// half the price; zero: no cap), which needs the price.
	Cap      money.Amount `json:"cap,omitzero"`
	CapShare float64      `json:"cap_share,omitempty"`
}

// Authority is how much one role may give without approval, and which role
// approves above that.
type Authority struct {
	Role       string       `json:"role"`
	Limit      money.Amount `json:"limit"`
	ApprovedBy string       `json:"approved_by,omitempty"` // "" = any role whose limit covers the amount
}

// Purchase is what the customer bought, as far as the policy cares.
type Purchase struct {
	// Ref names the purchase (an order or receipt number), for the
	// records.
	Ref string `json:"ref,omitempty"`
	// Price is what the customer paid; a refund cannot exceed it, and a
	// policy cap given as a share of the price needs it.
	Price  money.Amount `json:"price,omitzero"`
	Date   time.Time    `json:"date"`
	Proof  bool         `json:"proof"`  // proof of purchase shown
	Used   bool         `json:"used"`   // the goods have obviously been used
	Faulty bool         `json:"faulty"` // the goods are faulty
}

// Decision is a remedy someone decides on.
type Decision struct {
	Kind     Kind
	Amount   money.Amount // the value given; zero for an apology
	Purchase *Purchase    // required when the remedy's rule has conditions
	By       Actor
	Note     string
}

// Validate checks the policy itself.
func (p *Policy) Validate() error {
	if _, err := money.Exponent(p.Currency); err != nil {
		return invalid("policy.currency", "must be a known ISO 4217 code, got %q", p.Currency)
	}
	seen := map[string]bool{}
	for i, a := range p.Authority {
		f := fmt.Sprintf("policy.authority[%d]", i)
		if strings.TrimSpace(a.Role) == "" {
			return invalid(f+".role", "is required")
		}
		if seen[a.Role] {
			return invalid(f+".role", "names %q twice", a.Role)
		}
		seen[a.Role] = true
		if a.Limit.Currency != p.Currency {
			return invalid(f+".limit", "must be in the policy currency %s, got %q", p.Currency, a.Limit.Currency)
		}
		if a.Limit.IsNegative() {
			return invalid(f+".limit", "must not be negative, got %v", a.Limit)
		}
	}
	for i, a := range p.Authority {
		if a.ApprovedBy != "" && !seen[a.ApprovedBy] {
			return invalid(fmt.Sprintf("policy.authority[%d].approved_by", i), "must name a role of the policy, got %q", a.ApprovedBy)
		}
	}
	for k, r := range p.Remedies {
		if !slices.Contains(Kinds(), k) {
			return invalid("policy.remedies", "unknown remedy %q", k)
		}
		if r.WithinMonths < 0 || r.WithinDays < 0 {
			return invalid("policy.remedies["+string(k)+"]", "time limits must not be negative")
		}
		if !r.Cap.IsZero() && (r.Cap.Currency != p.Currency || r.Cap.IsNegative()) {
			return invalid("policy.remedies["+string(k)+"].cap", "must be a positive amount in the policy currency %s, got %v", p.Currency, r.Cap)
		}
		if r.CapShare < 0 || r.CapShare > 1 || r.CapShare != r.CapShare {
			return invalid("policy.remedies["+string(k)+"].cap_share", "must be a share from 0 to 1, got %v", r.CapShare)
		}
	}
	return nil
}

func (p *Policy) authority(role string) (Authority, bool) {
	for _, a := range p.Authority {
		if a.Role == role {
			return a, true
		}
	}
	return Authority{}, false
}

// approvers returns the roles, in order, that may approve amount for a
// decision taken by role: up the approval chain when the policy names one,
// otherwise every role whose limit covers the amount, most junior first.
func (p *Policy) approvers(role string, amount money.Amount) []string {
	var out []string
	a, _ := p.authority(role)
	if a.ApprovedBy != "" {
		seen := map[string]bool{role: true}
		for r := a.ApprovedBy; r != "" && !seen[r]; {
			seen[r] = true
			up, _ := p.authority(r)
			if up.Limit.Minor >= amount.Minor {
				out = append(out, r)
			}
			r = up.ApprovedBy
		}
		return out
	}
	for _, up := range p.Authority {
		if up.Role != role && up.Limit.Minor >= amount.Minor {
			out = append(out, up.Role)
		}
	}
	return out
}

// Check validates d against the policy at time now and returns the role
// that must approve it ("" if the decider's own authority covers it). A
// decision beyond every role's authority wraps ErrNotAuthorized.
func (p *Policy) Check(d Decision, now time.Time) (needRole string, err error) {
	if !slices.Contains(Kinds(), d.Kind) {
		return "", invalid("remedy.kind", "must be one of %s, got %q", join(Kinds()), d.Kind)
	}
	if strings.TrimSpace(d.By.Name) == "" {
		return "", invalid("remedy.by.name", "is required: who decided")
	}
	amt := d.Amount
	if amt.Currency == "" && amt.Minor == 0 {
		amt.Currency = p.Currency
	}
	if amt.IsNegative() {
		return "", invalid("remedy.amount", "must not be negative, got %v", amt)
	}
	if amt.Currency != p.Currency {
		return "", invalid("remedy.amount.currency", "must be the policy currency %s, got %q", p.Currency, amt.Currency)
	}
	if d.Kind == KindApology && !amt.IsZero() {
		return "", invalid("remedy.amount", "must be zero for an apology, got %v", amt)
	}
	if rule, ok := p.Remedies[d.Kind]; ok && (rule.ProofRequired || rule.ExcludeUsed || rule.WithinMonths > 0 || rule.WithinDays > 0) {
		pu := d.Purchase
		if pu == nil {
			return "", invalid("remedy.purchase", "is required for a %s under this policy", d.Kind)
		}
		if pu.Date.IsZero() && (rule.WithinMonths > 0 || rule.WithinDays > 0) {
			return "", invalid("remedy.purchase.date", "is required for a %s under this policy", d.Kind)
		}
		if pu.Date.After(now) {
			return "", invalid("remedy.purchase.date", "must not be in the future, got %s", pu.Date.Format(time.DateOnly))
		}
		if rule.WithinMonths > 0 || rule.WithinDays > 0 {
			limit := pu.Date.AddDate(0, rule.WithinMonths, rule.WithinDays)
			if now.After(limit) {
				return "", policyErr("remedy.purchase.date", "a %s is only given within %s of purchase; bought %s", d.Kind, period(rule), pu.Date.Format(time.DateOnly))
			}
		}
		if rule.ProofRequired && !pu.Proof {
			return "", policyErr("remedy.purchase.proof", "a %s needs proof of purchase", d.Kind)
		}
		if rule.ExcludeUsed && pu.Used && !pu.Faulty {
			return "", policyErr("remedy.purchase.used", "goods that have been used do not qualify for a %s unless faulty", d.Kind)
		}
	}
	if err := p.checkCaps(d, amt); err != nil {
		return "", err
	}
	a, ok := p.authority(d.By.Role)
	if amt.IsZero() {
		return "", nil // an apology or a free repair commits no money
	}
	if ok && a.Limit.Minor >= amt.Minor {
		return "", nil
	}
	ups := p.approvers(d.By.Role, amt)
	if len(ups) == 0 {
		lim := "none"
		if ok {
			lim = a.Limit.String()
		}
		return "", Unauthorised(d.By, "decide", amt.String(), lim, "")
	}
	return ups[0], nil
}

func period(r Rule) string {
	var parts []string
	if r.WithinMonths > 0 {
		parts = append(parts, fmt.Sprintf("%d month(s)", r.WithinMonths))
	}
	if r.WithinDays > 0 {
		parts = append(parts, fmt.Sprintf("%d day(s)", r.WithinDays))
	}
	return strings.Join(parts, " and ")
}

// CanApprove says whether approver may approve r under the policy: nil,
// or an error wrapping ErrNotAuthorized.
func (p *Policy) CanApprove(r *Remedy, approver Actor) error {
	ups := p.approvers(r.DecidedBy.Role, r.Amount)
	if slices.Contains(ups, approver.Role) {
		return nil
	}
	lim := "none"
	if a, ok := p.authority(approver.Role); ok {
		lim = a.Limit.String()
	}
	return Unauthorised(approver, "approve", r.Amount.String(), lim, r.NeedRole)
}

// checkCaps holds a remedy to what was paid and to the policy's caps.
func (p *Policy) checkCaps(d Decision, amt money.Amount) error {
	var price money.Amount
	if d.Purchase != nil {
		price = d.Purchase.Price
	}
	if !price.IsZero() {
		if price.Currency != p.Currency || price.IsNegative() {
			return invalid("remedy.purchase.price", "must be a positive amount in the policy currency %s, got %v", p.Currency, price)
		}
		if d.Kind == KindRefund && amt.Minor > price.Minor {
			return invalid("remedy.amount", "a refund cannot exceed what was paid (%v), got %v", price, amt)
		}
	}
	rule := p.Remedies[d.Kind]
	if !rule.Cap.IsZero() && amt.Minor > rule.Cap.Minor {
		return policyErr("remedy.amount", "a %s is capped at %v per purchase, got %v", d.Kind, rule.Cap, amt)
	}
	if rule.CapShare > 0 {
		if price.IsZero() {
			return invalid("remedy.purchase.price", "is required: the policy caps a %s at %.0f%% of the price", d.Kind, 100*rule.CapShare)
		}
		if limit := int64(float64(price.Minor) * rule.CapShare); amt.Minor > limit {
			return policyErr("remedy.amount", "a %s is capped at %.0f%% of the price (%v), got %v", d.Kind, 100*rule.CapShare, money.MustNew(limit, p.Currency), amt)
		}
	}
	return nil
}
