package driverkit

import (
	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/internal/rule"
)

// CheckKind reports whether kind is a valid record kind: 1 to
// store.MaxKindLen bytes of lower-case ASCII letters, digits, '_', '-' or
// '.', starting with a letter. op names the operation in the error.
func CheckKind(op, kind string) error {
	if v := rule.Kind(kind); v != nil {
		// An invalid kind is not repeated as the error's Kind: it may be
		// anything, including empty or very long.
		return broken(op, "", "", v)
	}
	return nil
}

// CheckID reports whether id is a valid record ID: 1 to store.MaxIDLen
// bytes of ASCII letters, digits and "-_.:~@+=", not "." or "..".
func CheckID(op, kind, id string) error {
	if v := rule.ID(id); v != nil {
		return broken(op, kind, "", v)
	}
	return nil
}

// CheckAttrName reports whether name is a valid attribute name: 1 to
// store.MaxAttrNameLen bytes of ASCII letters, digits, '_', '-' or '.',
// starting with a letter.
func CheckAttrName(op, kind, name string) error {
	if v := rule.AttrName(name); v != nil {
		return broken(op, kind, "", v)
	}
	return nil
}

// CheckAttrValue reports whether v can be stored as the value of attribute
// name: valid UTF-8 without NUL bytes, at most store.MaxAttrValueLen bytes.
func CheckAttrValue(op, kind, name, v string) error {
	if r := rule.AttrValue(name, v); r != nil {
		return broken(op, kind, "", r)
	}
	return nil
}

// CheckRecord validates everything about r that the contract fixes for op
// ("create" or "update"): kind, ID, attributes, body size and, for create,
// that Version is zero; for update, that Version is positive.
func CheckRecord(op string, r store.Record) error {
	if err := CheckKind(op, r.Kind); err != nil {
		return err
	}
	if err := CheckID(op, r.Kind, r.ID); err != nil {
		return err
	}
	switch op {
	case "create":
		if r.Version != 0 {
			return invalid(op, r.Kind, r.ID, "version", "must be 0 on create (the driver assigns 1), got %d", r.Version)
		}
	default:
		if r.Version <= 0 {
			return invalid(op, r.Kind, r.ID, "version", "must be the positive version that was read, got %d", r.Version)
		}
	}
	if len(r.Attrs) > store.MaxAttrs {
		return invalid(op, r.Kind, r.ID, "attrs", "must have at most %d entries, got %d", store.MaxAttrs, len(r.Attrs))
	}
	for k, v := range r.Attrs {
		if err := CheckAttrName(op, r.Kind, k); err != nil {
			return err
		}
		if err := CheckAttrValue(op, r.Kind, k, v); err != nil {
			return err
		}
	}
	if len(r.Body) > store.MaxBodyLen {
		return invalid(op, r.Kind, r.ID, "body", "must be at most %d bytes, got %d", store.MaxBodyLen, len(r.Body))
	}
	return nil
}

// CheckGet validates the arguments of a get.
func CheckGet(kind, id string) error {
	if err := CheckKind("get", kind); err != nil {
		return err
	}
	return CheckID("get", kind, id)
}

// CheckDelete validates the arguments of a delete.
func CheckDelete(kind, id string, version int64) error {
	if err := CheckKind("delete", kind); err != nil {
		return err
	}
	if err := CheckID("delete", kind, id); err != nil {
		return err
	}
	if version <= 0 {
		return invalid("delete", kind, id, "version", "must be the positive version that was read, got %d", version)
	}
	return nil
}

// CheckFilters validates filters for op on kind.
func CheckFilters(op, kind string, filters []store.Filter) error {
	for _, f := range filters {
		if err := CheckAttrName(op, kind, f.Attr); err != nil {
			return err
		}
		switch f.Op {
		case store.OpEq, store.OpGt, store.OpGte, store.OpLt, store.OpLte:
			if len(f.Values) != 1 {
				return invalid(op, kind, "", "filter on "+f.Attr, "operator %q takes exactly one value, got %d", string(f.Op), len(f.Values))
			}
		case store.OpIn:
			if len(f.Values) == 0 || len(f.Values) > store.MaxInValues {
				return invalid(op, kind, "", "filter on "+f.Attr, "operator \"in\" takes 1 to %d values, got %d", store.MaxInValues, len(f.Values))
			}
		default:
			return invalid(op, kind, "", "filter on "+f.Attr, "unknown operator %q", string(f.Op))
		}
		for _, v := range f.Values {
			if err := CheckAttrValue(op, kind, f.Attr, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckQuery validates a list query on kind and returns the effective
// limit: q.Limit, or store.DefaultLimit when it is 0.
func CheckQuery(kind string, q store.Query) (limit int, err error) {
	if err := CheckKind("list", kind); err != nil {
		return 0, err
	}
	if err := CheckFilters("list", kind, q.Filters); err != nil {
		return 0, err
	}
	if q.Order != store.OrderAscending && q.Order != store.OrderDescending {
		return 0, invalid("list", kind, "", "order", "must be OrderAscending or OrderDescending, got %d", int(q.Order))
	}
	if q.After != "" {
		if err := CheckID("list", kind, q.After); err != nil {
			return 0, invalid("list", kind, "", "after", "must be a cursor returned as Next, got %q", q.After)
		}
	}
	switch {
	case q.Limit < 0:
		return 0, invalid("list", kind, "", "limit", "must not be negative, got %d", q.Limit)
	case q.Limit > store.MaxLimit:
		return 0, invalid("list", kind, "", "limit", "must be at most %d, got %d", store.MaxLimit, q.Limit)
	case q.Limit == 0:
		return store.DefaultLimit, nil
	}
	return q.Limit, nil
}

// CheckCount validates a grouped count's arguments.
func CheckCount(kind string, filters []store.Filter, groupBy []string) error {
	if err := CheckKind("count", kind); err != nil {
		return err
	}
	if err := CheckFilters("count", kind, filters); err != nil {
		return err
	}
	if v := rule.GroupBy(groupBy); v != nil {
		return broken("count", kind, "", v)
	}
	return nil
}

// CheckBatch validates a batch before any of it is applied: each write on
// its own, and no record named twice (the outcome would depend on order).
func CheckBatch(writes []store.Write) error {
	if len(writes) == 0 {
		return invalid("batch", "", "", "writes", "must not be empty")
	}
	type key struct{ kind, id string }
	seen := make(map[key]bool, len(writes))
	for i, w := range writes {
		r := w.Record
		var err error
		switch w.Action {
		case store.ActionCreate:
			err = CheckRecord("create", r)
		case store.ActionUpdate:
			err = CheckRecord("update", r)
		case store.ActionDelete:
			err = CheckDelete(r.Kind, r.ID, r.Version)
		default:
			err = invalid("batch", r.Kind, r.ID, "action", "must be ActionCreate, ActionUpdate or ActionDelete, got %d", int(w.Action))
		}
		if err != nil {
			return &store.Error{Op: "batch", Kind: r.Kind, ID: r.ID, Err: wrapIndex(i, err)}
		}
		k := key{r.Kind, r.ID}
		if seen[k] {
			return invalid("batch", r.Kind, r.ID, "writes", "must not name one record twice")
		}
		seen[k] = true
	}
	return nil
}
