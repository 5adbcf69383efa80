package store

import "time"

// Meta is the part of a stored value that lives in the record, not in its
// body: embed it in a type to store that type in a Collection. Collection
// fills it on every read and write; its fields are not encoded in the body.
//
//	type Complaint struct {
//		store.Meta
//		Summary string
//	}
type Meta struct {
	ID      string    `json:"-"`
	Version int64     `json:"-"`
	Created time.Time `json:"-"`
	Updated time.Time `json:"-"`
}

// storeMeta is promoted to every type that embeds Meta, which is how
// Collection reaches the metadata of a T without reflection.
func (m *Meta) storeMeta() *Meta { return m }

type metaHolder interface{ storeMeta() *Meta }
