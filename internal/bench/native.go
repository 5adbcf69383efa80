package bench

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"strings"

	"github.com/cxkit/cxkit/store"
	bolt "go.etcd.io/bbolt"
)

// The native peers: SQLite and bbolt as someone would use them who needs
// nothing cxkit-shaped, each in its best configuration for the phase it is
// compared on. The cxkit-shaped engines (sqlite.go, bolt.go) pay for the
// contract the file driver meets: a secondary index kept on every insert,
// an attribute map built for every record read. The native ones do not:
//
//   - sqlite-native: the same table without the secondary index (so
//     inserts maintain the primary key only), and reads that select the ID
//     and body and build no attribute map. Its grouped count, lacking the
//     index, scans: for counts the best SQLite is sqlite-full's.
//   - bbolt-native: the same file, read as raw key/value pairs: a read
//     skips the value's metadata and attributes without decoding them and
//     copies the key and the body out of the transaction (as any caller
//     that keeps them must).

// SQLiteNativeOpener opens SQLite like SQLiteOpener, without the secondary
// index and reading IDs and bodies only.
func SQLiteNativeOpener(synchronous string) Opener {
	return func(dir string) (Engine, error) {
		e, err := openSQLiteSchema(dir, synchronous, strings.Split(sqliteSchema, "CREATE INDEX")[0])
		if err != nil {
			return nil, err
		}
		n := &sqliteNative{sqliteEngine: e}
		if n.getBody, err = e.r.Prepare(`SELECT body FROM records WHERE kind = ? AND id = ?`); err != nil {
			e.Close()
			return nil, err
		}
		return n, nil
	}
}

type sqliteNative struct {
	*sqliteEngine
	getBody *sql.Stmt
}

func (e *sqliteNative) Get(ctx context.Context, kind, id string) (store.Record, error) {
	r := store.Record{Kind: kind, ID: id}
	err := e.getBody.QueryRowContext(ctx, kind, id).Scan(&r.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	return r, err
}

func (e *sqliteNative) Scan(ctx context.Context, kind string, fn func(store.Record)) error {
	rows, err := e.r.QueryContext(ctx, `SELECT id, body FROM records WHERE kind = ? ORDER BY id`, kind)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := store.Record{Kind: kind}
		if err := rows.Scan(&r.ID, &r.Body); err != nil {
			return err
		}
		fn(r)
	}
	return rows.Err()
}

func (e *sqliteNative) Close() error {
	return errors.Join(e.getBody.Close(), e.sqliteEngine.Close())
}

// BoltNativeOpener opens bbolt like BoltOpener, reading raw key/value
// pairs.
func BoltNativeOpener() Opener {
	return func(dir string) (Engine, error) {
		e, err := openBolt(dir)
		if err != nil {
			return nil, err
		}
		return boltNative{e}, nil
	}
}

type boltNative struct{ *boltEngine }

func (e boltNative) Get(ctx context.Context, kind, id string) (store.Record, error) {
	r := store.Record{Kind: kind, ID: id}
	err := e.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(kind))
		if b == nil {
			return store.ErrNotFound
		}
		v := b.Get([]byte(id))
		if v == nil {
			return store.ErrNotFound
		}
		body, err := boltBody(v)
		r.Body = append([]byte(nil), body...)
		return err
	})
	return r, err
}

// boltBody returns the body in a value of encodeBolt's, skipping the
// metadata and attributes without decoding them.
func boltBody(v []byte) ([]byte, error) {
	skip := func(signed bool) bool {
		var n int
		if signed {
			_, n = binary.Varint(v)
		} else {
			_, n = binary.Uvarint(v)
		}
		if n <= 0 {
			return false
		}
		v = v[n:]
		return true
	}
	if !skip(false) || !skip(true) || !skip(true) {
		return nil, errBoltValue
	}
	na, n := binary.Uvarint(v)
	if n <= 0 {
		return nil, errBoltValue
	}
	v = v[n:]
	for range 2 * na {
		l, n := binary.Uvarint(v)
		if n <= 0 || l > uint64(len(v)-n) {
			return nil, errBoltValue
		}
		v = v[n+int(l):]
	}
	return v, nil
}

var errBoltValue = errors.New("bbolt: bad value")

func (e boltNative) Scan(ctx context.Context, kind string, fn func(store.Record)) error {
	return e.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(kind))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			body, err := boltBody(v)
			fn(store.Record{Kind: kind, ID: string(k), Body: append([]byte(nil), body...)})
			return err
		})
	})
}
