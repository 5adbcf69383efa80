package sealed

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/store"
	"github.com/cxkit/cxkit/store/driverkit"
)

// ErrTampered means a stored body failed authentication: it was changed on
// disk, moved to another record, or sealed with another key. The body is
// never returned in that case, because it cannot be trusted.
var ErrTampered = errors.New("sealed body failed authentication")

// formatV1 is the first byte of every sealed body. A version byte costs one
// byte and leaves room for key rotation (a later format can name the key)
// without guessing what old bodies are.
const formatV1 byte = 1

// formatNil marks the sealed form of a nil body (an empty plaintext that
// must come back nil, not empty).
const formatNil byte = 2

// Overhead is how many bytes sealing adds to a body: the format byte, the
// 12-byte nonce and the 16-byte GCM tag.
const Overhead = 1 + 12 + 16

// MaxBodyLen is the longest plaintext body a sealed driver accepts: the
// contract's limit less the overhead, so that the sealed body still fits
// the inner driver.
const MaxBodyLen = store.MaxBodyLen - Overhead

// Driver seals bodies on the way into an inner driver and opens them on the
// way out. Attributes pass through in the clear so that the inner driver can
// still filter, page and count on them; only bodies are secret.
//
// New returns it through driverkit.Wrap, so that the optional interfaces of
// the inner driver (store.Counter, store.Batcher) are visible exactly when
// the inner driver has them: the portable layer finds fast paths by type
// assertion, so a wrapper that hid them would make counts slow and batches
// impossible, and one that claimed them falsely would fail at run time.
type Driver struct {
	inner store.Driver
	aead  cipher.AEAD
}

// New wraps inner so that every body is sealed with AES-GCM under key, which
// must be 16, 24 or 32 bytes (AES-128, -192 or -256). The returned driver
// implements store.Counter and store.Batcher exactly when inner does.
// Closing it closes inner.
func New(inner store.Driver, key []byte) (store.Driver, error) {
	if inner == nil {
		return nil, fmt.Errorf("sealed.New: %w: inner driver must not be nil", store.ErrInvalid)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sealed.New: %w: key must be 16, 24 or 32 bytes, got %d", store.ErrInvalid, len(key))
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sealed.New: %w", err)
	}
	// Wrap gives the result inner's optional interfaces and no others:
	// Batch below seals what it writes, and counts, which never read
	// bodies, go straight to inner.
	return driverkit.Wrap(inner, &Driver{inner: inner, aead: aead}), nil
}

// aad binds a sealed body to its record, so that a body copied onto another
// record (same key, different ID) fails to open instead of being believed.
func aad(kind, id string) []byte {
	return []byte(kind + "\x00" + id)
}

// seal returns r with its body sealed. It never changes r's own body, which
// belongs to the caller.
func (d *Driver) seal(op string, r store.Record) (store.Record, error) {
	if len(r.Body) > MaxBodyLen {
		return r, driverkit.Errorf(op, r.Kind, r.ID, store.ErrInvalid,
			"body must be at most %d bytes once sealing adds %d, got %d", MaxBodyLen, Overhead, len(r.Body))
	}
	out := make([]byte, 1+d.aead.NonceSize(), Overhead+len(r.Body))
	out[0] = formatV1
	if r.Body == nil {
		// The contract keeps a nil body apart from an empty one; the
		// format byte says which, and the additional data binds it.
		out[0] = formatNil
	}
	// Random nonces are safe with GCM up to about 2^32 seals per key; a
	// store that writes more than that should rotate keys (see README).
	if _, err := rand.Read(out[1:]); err != nil {
		return r, &store.Error{Op: op, Kind: r.Kind, ID: r.ID, Err: fmt.Errorf("nonce: %w", err)}
	}
	r.Body = d.aead.Seal(out, out[1:], r.Body, sealedAAD(out[0], r.Kind, r.ID))
	return r, nil
}

// sealedAAD is aad, marked for a nil body so that a sealed empty body
// cannot be passed off as a nil one or the other way round.
func sealedAAD(format byte, kind, id string) []byte {
	if format == formatNil {
		return append(aad(kind, id), "\x00nil"...)
	}
	return aad(kind, id)
}

// open returns r with its body opened, or an error wrapping ErrTampered.
func (d *Driver) open(op string, r store.Record) (store.Record, error) {
	ns := d.aead.NonceSize()
	if len(r.Body) < Overhead || r.Body[0] != formatV1 && r.Body[0] != formatNil {
		return store.Record{}, &store.Error{Op: op, Kind: r.Kind, ID: r.ID, Err: fmt.Errorf("%w: not a sealed body", ErrTampered)}
	}
	plain, err := d.aead.Open(nil, r.Body[1:1+ns], r.Body[1+ns:], sealedAAD(r.Body[0], r.Kind, r.ID))
	if err != nil {
		return store.Record{}, &store.Error{Op: op, Kind: r.Kind, ID: r.ID, Err: ErrTampered}
	}
	switch {
	case r.Body[0] == formatNil:
		plain = nil
	case plain == nil:
		plain = []byte{}
	}
	r.Body = plain
	return r, nil
}

// Get implements store.Driver.
func (d *Driver) Get(ctx context.Context, kind, id string) (store.Record, error) {
	r, err := d.inner.Get(ctx, kind, id)
	if err != nil {
		return r, err
	}
	return d.open("get", r)
}

// Create implements store.Driver. The record is validated before it is
// sealed, so invalid input gets the inner driver's usual errors and nothing
// is encrypted for nothing.
func (d *Driver) Create(ctx context.Context, r store.Record) (store.Record, error) {
	return d.write(ctx, "create", r, d.inner.Create)
}

// Update implements store.Driver.
func (d *Driver) Update(ctx context.Context, r store.Record) (store.Record, error) {
	return d.write(ctx, "update", r, d.inner.Update)
}

func (d *Driver) write(ctx context.Context, op string, r store.Record, fn func(context.Context, store.Record) (store.Record, error)) (store.Record, error) {
	if err := driverkit.CheckRecord(op, r); err != nil {
		return store.Record{}, err
	}
	plain := r.Body
	s, err := d.seal(op, r)
	if err != nil {
		return store.Record{}, err
	}
	stored, err := fn(ctx, s)
	if err != nil {
		return store.Record{}, err
	}
	// The inner driver returns what it stored, which is the sealed body; the
	// caller wants back what it wrote, in memory it does not share.
	stored.Body = nil
	if plain != nil {
		stored.Body = append([]byte{}, plain...)
	}
	return stored, nil
}

// Delete implements store.Driver.
func (d *Driver) Delete(ctx context.Context, kind, id string, version int64) error {
	return d.inner.Delete(ctx, kind, id, version)
}

// List implements store.Driver. Filters run on the plain attributes in the
// inner driver; only the bodies of the page returned are opened.
func (d *Driver) List(ctx context.Context, kind string, q store.Query) (store.Page, error) {
	p, err := d.inner.List(ctx, kind, q)
	if err != nil {
		return p, err
	}
	for i, r := range p.Records {
		if p.Records[i], err = d.open("list", r); err != nil {
			return store.Page{}, err
		}
	}
	return p, nil
}

// Close implements store.Driver by closing the inner driver.
func (d *Driver) Close() error { return d.inner.Close() }

// Batch implements store.Batcher, sealing every body it writes. New
// exposes it only when the inner driver is a Batcher.
func (d *Driver) Batch(ctx context.Context, writes []store.Write) ([]store.Record, error) {
	bt, ok := d.inner.(store.Batcher)
	if !ok {
		return nil, &store.Error{Op: "batch", Err: fmt.Errorf("inner driver %T cannot apply writes atomically: %w", d.inner, errors.ErrUnsupported)}
	}
	if err := driverkit.CheckBatch(writes); err != nil {
		return nil, err
	}
	sealed := make([]store.Write, len(writes))
	for i, w := range writes {
		sealed[i] = w
		if w.Action == store.ActionDelete {
			continue
		}
		s, err := d.seal("batch", w.Record)
		if err != nil {
			return nil, err
		}
		sealed[i].Record = s
	}
	stored, err := bt.Batch(ctx, sealed)
	if err != nil {
		return nil, err
	}
	for i, w := range writes {
		if w.Action != store.ActionDelete {
			stored[i].Body = append([]byte(nil), w.Record.Body...)
		}
	}
	return stored, nil
}
