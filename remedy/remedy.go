package remedy

import (
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/money"
)

// Actor is a person deciding or approving a remedy, with the role that the
// organisation's policy gives authority to ("agent", "team leader").
type Actor struct {
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
}

// Remedy is what the organisation decided to do for a customer, and where
// the decision stands.
type Remedy struct {
	Kind       Kind         `json:"kind"`
	Amount     money.Amount `json:"amount"` // zero for an apology
	Note       string       `json:"note,omitempty"`
	DecidedBy  Actor        `json:"decided_by"`
	DecidedAt  time.Time    `json:"decided_at"`
	State      State        `json:"state"`
	NeedRole   string       `json:"need_role,omitempty"` // the lowest role that may approve it, when pending
	ApprovedBy *Actor       `json:"approved_by,omitempty"`
	ApprovedAt time.Time    `json:"approved_at,omitzero"`
	Reason     string       `json:"reason,omitempty"` // the approver's reason
	// Purchase is what the customer bought, as the decision gave it.
	Purchase *Purchase `json:"purchase,omitempty"`
	// Payment records how and when a refund was paid.
	Payment *Payment `json:"payment,omitempty"`
}

// String describes the remedy, as the log's outcome column shows it.
func (r *Remedy) String() string {
	if r.Amount.Currency == "" || r.Amount.IsZero() {
		return string(r.Kind)
	}
	return string(r.Kind) + " " + r.Amount.String()
}

// Kind is the sort of remedy.
type Kind string

// The remedies.
const (
	KindRefund      Kind = "refund"
	KindReplacement Kind = "replacement"
	KindExchange    Kind = "exchange"
	KindVoucher     Kind = "voucher" // voucher or credit
	KindRepair      Kind = "repair"
	KindApology     Kind = "apology"
	KindOther       Kind = "other"
)

// Kinds lists every remedy.
func Kinds() []Kind {
	return []Kind{KindRefund, KindReplacement, KindExchange, KindVoucher, KindRepair, KindApology, KindOther}
}

// State is where a remedy stands with approval.
type State string

// The remedy states.
const (
	StateApproved State = "approved" // within the decider's authority, or approved
	StatePending  State = "pending"  // above the decider's limit, awaiting an approver
	StateRejected State = "rejected" // an approver said no; decide again
)

// Method is how a refund reached the customer.
type Method string

// The payment methods.
const (
	MethodCash       Method = "cash"
	MethodCard       Method = "card" // back to the card paid with
	MethodCheque     Method = "cheque"
	MethodCreditNote Method = "credit-note"
	MethodTransfer   Method = "bank-transfer"
)

// Methods lists every payment method.
func Methods() []Method {
	return []Method{MethodCash, MethodCard, MethodCheque, MethodCreditNote, MethodTransfer}
}

// Payment records how and when a refund was paid, as the refund procedure
// asks: the method, the day, and the paperwork's reference.
type Payment struct {
	Method    Method    `json:"method"`
	Paid      time.Time `json:"paid"`
	Reference string    `json:"reference,omitempty"` // receipt, cheque or credit note number
	By        string    `json:"by"`
}

// ErrNotAuthorized is wrapped by the *cxkit.ValidationError returned when
// the person lacks the authority the policy gives their role (a remedy
// above every approver's limit, an approval beyond theirs, approving their
// own decision). It wraps cxkit.ErrPolicy: a manager could change it.
var ErrNotAuthorized = fmt.Errorf("%w: beyond the person's authority", cxkit.ErrPolicy)

// Unauthorised is the error for a decision or approval beyond a's
// authority: action ("decide", "approve") of amount, a's limit, and the
// role that could, if any.
func Unauthorised(a Actor, action, amount, limit, need string) error {
	rule := fmt.Sprintf("%s (%s) may not %s %s: limit %s", a.Name, a.Role, action, amount, limit)
	if need != "" {
		rule += "; needs " + need
	}
	return &cxkit.ValidationError{Field: "remedy.amount", Rule: rule, Err: ErrNotAuthorized}
}

func invalid(field, rule string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(rule, args...)}
}

func policyErr(field, rule string, args ...any) error {
	return &cxkit.ValidationError{Field: field, Rule: fmt.Sprintf(rule, args...), Err: cxkit.ErrPolicy}
}

func join[S ~string](vs []S) string {
	ss := make([]string, len(vs))
	for i, v := range vs {
		ss[i] = string(v)
	}
	return strings.Join(ss, ", ")
}
