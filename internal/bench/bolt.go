package bench

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
	bolt "go.etcd.io/bbolt"
)

// boltFillPercent packs pages full: the keys are ULIDs, which arrive in
// order, and bbolt's docs advise a high fill for append-mostly buckets.
const boltFillPercent = 0.9

// BoltOpener opens go.etcd.io/bbolt with its defaults: every commit
// fsynced. One bucket per kind, keyed by ID; the value is the record's
// metadata and attributes, then the body (see encodeBolt).
func BoltOpener() Opener {
	return func(dir string) (Engine, error) { return openBolt(dir) }
}

type boltEngine struct {
	path string
	db   *bolt.DB
}

func openBolt(dir string) (*boltEngine, error) {
	path := filepath.Join(dir, "bench.bolt")
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	return &boltEngine{path: path, db: db}, nil
}

// encodeBolt lays out version, created, updated (Unix µs), the attributes
// and the body, so that counting decodes only the head of each value.
func encodeBolt(r store.Record) []byte {
	b := make([]byte, 0, 64+len(r.Body))
	b = binary.AppendUvarint(b, 1)
	b = binary.AppendVarint(b, r.Created.UnixMicro())
	b = binary.AppendVarint(b, r.Updated.UnixMicro())
	b = binary.AppendUvarint(b, uint64(len(r.Attrs)))
	for k, v := range r.Attrs {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return append(b, r.Body...)
}

// decodeBolt decodes v; with body false it stops after the attributes.
func decodeBolt(kind string, k, v []byte, body bool) (store.Record, error) {
	r := store.Record{Kind: kind, ID: string(k)}
	bad := func() error { return fmt.Errorf("bbolt: bad value for %s/%s", kind, k) }
	uv := func() uint64 {
		x, n := binary.Uvarint(v)
		if n <= 0 {
			return 0
		}
		v = v[n:]
		return x
	}
	sv := func() int64 {
		x, n := binary.Varint(v)
		if n <= 0 {
			return 0
		}
		v = v[n:]
		return x
	}
	r.Version = int64(uv())
	r.Created = time.UnixMicro(sv())
	r.Updated = time.UnixMicro(sv())
	na := uv()
	r.Attrs = make(map[string]string, na)
	for range na {
		n := uv()
		if n > uint64(len(v)) {
			return r, bad()
		}
		key := string(v[:n])
		v = v[n:]
		n = uv()
		if n > uint64(len(v)) {
			return r, bad()
		}
		r.Attrs[key] = string(v[:n])
		v = v[n:]
	}
	if body {
		r.Body = append([]byte(nil), v...) // v is only valid inside the transaction
	}
	return r, nil
}

func (e *boltEngine) put(tx *bolt.Tx, r store.Record) error {
	b, err := tx.CreateBucketIfNotExists([]byte(r.Kind))
	if err != nil {
		return err
	}
	b.FillPercent = boltFillPercent
	if b.Get([]byte(r.ID)) != nil {
		return store.ErrAlreadyExists
	}
	return b.Put([]byte(r.ID), encodeBolt(r))
}

func (e *boltEngine) Create(ctx context.Context, r store.Record) error {
	return e.db.Update(func(tx *bolt.Tx) error { return e.put(tx, r) })
}

func (e *boltEngine) CreateBatch(ctx context.Context, rs []store.Record) error {
	return e.db.Update(func(tx *bolt.Tx) error {
		for _, r := range rs {
			if err := e.put(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

func (e *boltEngine) Get(ctx context.Context, kind, id string) (store.Record, error) {
	var r store.Record
	err := e.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(kind))
		if b == nil {
			return store.ErrNotFound
		}
		v := b.Get([]byte(id))
		if v == nil {
			return store.ErrNotFound
		}
		var err error
		r, err = decodeBolt(kind, []byte(id), v, true)
		return err
	})
	return r, err
}

func (e *boltEngine) Scan(ctx context.Context, kind string, fn func(store.Record)) error {
	return e.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(kind))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			r, err := decodeBolt(kind, k, v, true)
			if err == nil {
				fn(r)
			}
			return err
		})
	})
}

func (e *boltEngine) Count(ctx context.Context, kind, a, x string) ([]store.Group, error) {
	counts := map[[store.MaxGroupBy]string]int64{}
	err := e.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(kind))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			r, err := decodeBolt(kind, k, v, false)
			counts[[store.MaxGroupBy]string{r.Attrs[a], r.Attrs[x]}]++
			return err
		})
	})
	return driverkit.GroupCounts(counts, 2), err
}

// Compact copies the live pages into a fresh file with bbolt.Compact and
// swaps it in, as `bbolt compact` does.
func (e *boltEngine) Compact(ctx context.Context) error {
	tmp := e.path + ".compact"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		return err
	}
	if err := bolt.Compact(dst, e.db, 64<<20); err != nil {
		dst.Close()
		return err
	}
	if err := errors.Join(dst.Close(), e.db.Close()); err != nil {
		return err
	}
	if err := os.Rename(tmp, e.path); err != nil {
		return err
	}
	db, err := bolt.Open(e.path, 0o600, &bolt.Options{Timeout: time.Second})
	e.db = db
	return err
}

func (e *boltEngine) Close() error { return e.db.Close() }
