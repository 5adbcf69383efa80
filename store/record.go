package store

import (
	"maps"
	"time"
)

// Limits of the contract. Every driver accepts at least these and rejects
// anything beyond them with ErrInvalid (store/driverkit checks them), so an
// application behaves the same on every driver.
const (
	MaxKindLen      = 64       // bytes of a kind
	MaxIDLen        = 128      // bytes of an ID
	MaxAttrs        = 32       // attributes of one record
	MaxAttrNameLen  = 64       // bytes of an attribute's name
	MaxAttrValueLen = 512      // bytes of an attribute's value
	MaxBodyLen      = 16 << 20 // bytes of a body
	MaxInValues     = 1000     // values of one OpIn filter
	MaxGroupBy      = 2        // attributes one count groups by
	DefaultLimit    = 100      // page size when a query says 0
	MaxLimit        = 1000     // largest page size
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
