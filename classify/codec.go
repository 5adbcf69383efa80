package classify

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
)

// A saved classifier is a small binary file, little-endian:
//
//	magic    "CXFBCLSF"
//	version  uint32 (modelVersion)
//	flags    uint32 (1: word pairs, 2: stemming, 4: character n-grams)
//	labels   uint32 count, then per label uint16 length and the bytes
//	features uint32 count, then the feature keys (uint64 each), the IDF
//	         weights (float32 each), the weights (features x labels
//	         float32, feature-major) and the biases (labels float32)
//	crc      uint32 CRC-32 (IEEE) of everything before it
//
// The version is checked before anything else is read, so a file from a
// later format fails with ErrUnsupportedModel rather than as garbage.

const (
	modelMagic   = "CXFBCLSF"
	modelVersion = 1
	flagBigrams  = 1
	flagStem     = 2
	flagChars    = 4
	// Bounds that keep a hostile file from making the decoder allocate
	// without limit.
	maxModelLabels   = 1 << 14
	maxModelFeatures = 1 << 24
	maxModelWeights  = 1 << 28
)

// WriteTo saves the classifier in the versioned binary format that
// ReadModel reads.
func (c *Model) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	b.WriteString(modelMagic)
	le := binary.LittleEndian
	b.Write(le.AppendUint32(nil, modelVersion))
	var flags uint32
	if c.bigrams {
		flags |= flagBigrams
	}
	if c.chars {
		flags |= flagChars
	}
	if c.stem {
		flags |= flagStem
	}
	b.Write(le.AppendUint32(nil, flags))
	b.Write(le.AppendUint32(nil, uint32(len(c.labels))))
	for _, l := range c.labels {
		b.Write(le.AppendUint16(nil, uint16(len(l))))
		b.WriteString(l)
	}
	b.Write(le.AppendUint32(nil, uint32(len(c.idf))))
	keys := make([]uint64, len(c.idf))
	for k, i := range c.vocab {
		keys[i] = k
	}
	buf := make([]byte, 0, 8*len(keys))
	for _, k := range keys {
		buf = le.AppendUint64(buf, k)
	}
	b.Write(buf)
	for _, fs := range [][]float32{c.idf, c.w, c.b} {
		buf = buf[:0]
		for _, f := range fs {
			buf = le.AppendUint32(buf, math.Float32bits(f))
		}
		b.Write(buf)
	}
	b.Write(le.AppendUint32(nil, crc32.ChecksumIEEE(b.Bytes())))
	n, err := w.Write(b.Bytes())
	return int64(n), err
}

// ReadModel loads a classifier saved by WriteTo. A file in another
// format or version fails with an error wrapping ErrUnsupportedModel; a
// damaged one with a *cxkit.ValidationError (which wraps store.ErrInvalid).
func ReadModel(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("classify: reading model: %w", err)
	}
	return decodeModel(data)
}

// modelReader reads fields from a byte slice, remembering the first error.
type modelReader struct {
	b   []byte
	err error
}

func (m *modelReader) take(n int, what string) []byte {
	if m.err != nil {
		return nil
	}
	if n < 0 || n > len(m.b) {
		m.err = invalidf("model", "truncated in %s", what)
		return nil
	}
	out := m.b[:n]
	m.b = m.b[n:]
	return out
}

func (m *modelReader) u32(what string) uint32 {
	if b := m.take(4, what); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (m *modelReader) floats(n int, what string) []float32 {
	b := m.take(4*n, what)
	if b == nil {
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		f := math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			m.err = invalidf("model", "%s holds a value that is not a finite number", what)
			return nil
		}
		out[i] = f
	}
	return out
}

func decodeModel(data []byte) (*Model, error) {
	if len(data) < len(modelMagic)+4 || string(data[:len(modelMagic)]) != modelMagic {
		return nil, fmt.Errorf("%w: not a classify model (bad magic)", ErrUnsupportedModel)
	}
	if v := binary.LittleEndian.Uint32(data[len(modelMagic):]); v != modelVersion {
		return nil, fmt.Errorf("%w: version %d, this build reads version %d", ErrUnsupportedModel, v, modelVersion)
	}
	if len(data) < len(modelMagic)+8 {
		return nil, invalidf("model", "truncated in header")
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, invalidf("model", "checksum mismatch: the file is damaged")
	}
	m := &modelReader{b: body[len(modelMagic)+4:]}
	flags := m.u32("flags")
	if flags&^(flagBigrams|flagStem|flagChars) != 0 {
		return nil, invalidf("model", "unknown flags %#x", flags)
	}
	c := &Model{bigrams: flags&flagBigrams != 0, stem: flags&flagStem != 0, chars: flags&flagChars != 0}
	nl := m.u32("label count")
	if m.err == nil && (nl == 0 || nl > maxModelLabels) {
		return nil, invalidf("model", "label count must be 1 to %d, got %d", maxModelLabels, nl)
	}
	for i := 0; m.err == nil && i < int(nl); i++ {
		lb := m.take(2, "label length")
		if lb == nil {
			break
		}
		l := string(m.take(int(binary.LittleEndian.Uint16(lb)), "label"))
		if m.err != nil {
			break
		}
		if err := CheckCategory(fmt.Sprintf("model.labels[%d]", i), l); err != nil {
			return nil, err
		}
		if i > 0 && l <= c.labels[i-1] {
			return nil, invalidf("model.labels", "must be sorted and distinct")
		}
		c.labels = append(c.labels, l)
	}
	nf := m.u32("feature count")
	if m.err != nil {
		return nil, m.err
	}
	k := len(c.labels)
	if nf > maxModelFeatures || int(nf)*k > maxModelWeights {
		return nil, invalidf("model", "too many features (%d) for %d labels", nf, k)
	}
	// The remaining length must match exactly before anything big is
	// allocated.
	if want := int(nf)*8 + int(nf)*4 + int(nf)*k*4 + k*4; len(m.b) != want {
		return nil, invalidf("model", "body is %d bytes, the header implies %d", len(m.b), want)
	}
	kb := m.take(int(nf)*8, "feature keys")
	c.vocab = make(map[uint64]int32, nf)
	for i := range int(nf) {
		key := binary.LittleEndian.Uint64(kb[8*i:])
		if _, dup := c.vocab[key]; dup {
			return nil, invalidf("model", "feature key %#x appears twice", key)
		}
		c.vocab[key] = int32(i)
	}
	c.idf = m.floats(int(nf), "IDF weights")
	c.w = m.floats(int(nf)*k, "weights")
	c.b = m.floats(k, "biases")
	if m.err != nil {
		return nil, m.err
	}
	c.labels = slices.Clip(c.labels)
	return c, nil
}
