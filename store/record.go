package store

import (
	"maps"
	"time"
	"unicode/utf8"
)

// Limits of the contract. Every driver accepts at least these and the
// portable layer rejects anything beyond them before a driver sees it, so an
// application behaves the same on every driver.
const (
	MaxKindLen      = 64
	MaxIDLen        = 128
	MaxAttrs        = 32
	MaxAttrNameLen  = 64
	MaxAttrValueLen = 512
	MaxBodyLen      = 16 << 20
	DefaultLimit    = 100
	MaxLimit        = 1000
)

// A Record is what a driver stores: opaque to it but for the attributes,
// which it must be able to filter, order and count on.
type Record struct {
	// Kind names the collection, like a table: "complaint", "feedback".
	Kind string
	// ID is unique within Kind. The portable layer assigns ULIDs, so ID
	// order is arrival order.
	ID string
	// Version starts at 1 on create and grows by one on every update.
	Version int64
	// Attrs are the few string values the application filters and groups
	// on. Ranges need order-preserving encodings: see TimeKey and IntKey.
	Attrs map[string]string
	// Body is opaque to the driver (JSON when written by Collection).
	Body []byte
	// Created and Updated are set by the caller (the portable layer, from
	// its clock) and stored as given with at least microsecond precision.
	// Update keeps the stored Created.
	Created time.Time
	Updated time.Time
}

// Clone returns a deep copy of r, so that drivers can hand records in and
// out without sharing memory with the caller.
func (r Record) Clone() Record {
	c := r
	if r.Attrs != nil {
		c.Attrs = maps.Clone(r.Attrs)
	}
	if r.Body != nil {
		// append to []byte{}, not nil: an empty body must stay non-nil.
		c.Body = append([]byte{}, r.Body...)
	}
	return c
}

// CheckKind reports whether kind is a valid record kind: 1 to 64 bytes of
// lower-case ASCII letters, digits, '_', '-' or '.', starting with a letter.
func CheckKind(op, kind string) error {
	if kind == "" {
		return invalid(op, kind, "", "kind", "must not be empty")
	}
	if len(kind) > MaxKindLen {
		return invalid(op, "", "", "kind", "must be at most %d bytes, got %d", MaxKindLen, len(kind))
	}
	for i := 0; i < len(kind); i++ {
		c := kind[i]
		ok := c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')
		if !ok {
			return invalid(op, "", "", "kind", "must be lower-case letters, digits, '_', '-' or '.' starting with a letter, got %q", kind)
		}
	}
	return nil
}

// CheckID reports whether id is a valid record ID: 1 to 128 bytes of ASCII
// letters, digits and "-_.:~@+=", not "." or "..". IDs are never used as file
// names, but keeping them plain lets every driver index them as is.
func CheckID(op, kind, id string) error {
	if id == "" {
		return invalid(op, kind, "", "id", "must not be empty")
	}
	if len(id) > MaxIDLen {
		return invalid(op, kind, "", "id", "must be at most %d bytes, got %d", MaxIDLen, len(id))
	}
	if id == "." || id == ".." {
		return invalid(op, kind, "", "id", "must not be %q", id)
	}
	for i := 0; i < len(id); i++ {
		if !idByte(id[i]) {
			return invalid(op, kind, "", "id", "must be ASCII letters, digits or one of \"-_.:~@+=\", got %q", id)
		}
	}
	return nil
}

func idByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '-', '_', '.', ':', '~', '@', '+', '=':
		return true
	}
	return false
}

// CheckAttrName reports whether name is a valid attribute name: 1 to 64
// bytes of ASCII letters, digits, '_', '-' or '.', starting with a letter.
func CheckAttrName(op, kind, name string) error {
	if name == "" || len(name) > MaxAttrNameLen {
		return invalid(op, kind, "", "attribute name", "must be 1 to %d bytes, got %q", MaxAttrNameLen, name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')
		if !ok {
			return invalid(op, kind, "", "attribute name", "must be ASCII letters, digits, '_', '-' or '.' starting with a letter, got %q", name)
		}
	}
	return nil
}

// CheckAttrValue reports whether v can be stored as an attribute value:
// valid UTF-8 without NUL bytes (which PostgreSQL text cannot hold), at most
// 512 bytes.
func CheckAttrValue(op, kind, name, v string) error {
	if len(v) > MaxAttrValueLen {
		return invalid(op, kind, "", "attribute "+name, "must be at most %d bytes, got %d", MaxAttrValueLen, len(v))
	}
	if !utf8.ValidString(v) {
		return invalid(op, kind, "", "attribute "+name, "must be valid UTF-8")
	}
	for i := 0; i < len(v); i++ {
		if v[i] == 0 {
			return invalid(op, kind, "", "attribute "+name, "must not contain NUL bytes")
		}
	}
	return nil
}

// CheckRecord validates everything about r that the contract fixes for op
// ("create" or "update"): kind, ID, attributes, body size and, for create,
// that Version is zero; for update, that Version is positive. Drivers call it
// first so that invalid input is rejected the same way everywhere.
func CheckRecord(op string, r Record) error {
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
	if len(r.Attrs) > MaxAttrs {
		return invalid(op, r.Kind, r.ID, "attrs", "must have at most %d entries, got %d", MaxAttrs, len(r.Attrs))
	}
	for k, v := range r.Attrs {
		if err := CheckAttrName(op, r.Kind, k); err != nil {
			return err
		}
		if err := CheckAttrValue(op, r.Kind, k, v); err != nil {
			return err
		}
	}
	if len(r.Body) > MaxBodyLen {
		return invalid(op, r.Kind, r.ID, "body", "must be at most %d bytes, got %d", MaxBodyLen, len(r.Body))
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
