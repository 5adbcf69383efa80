package postgres

import (
	"encoding/binary"
	"encoding/json"
	"sync"
	"unicode/utf8"

	"github.com/cxkit/cxkit/store"
)

// A batch's creates are loaded with COPY ... FROM STDIN BINARY, whose stream
// the driver writes itself rather than through pgx.CopyFrom: the column
// types are fixed by the schema, so each value is appended straight into
// one buffer (no []any row per record, no per-value type lookup, no
// intermediate JSON string), and the stream is handed to the connection
// with pgconn.CopyFrom. That was most of the client's CPU per record.
//
// The format (PostgreSQL's "Binary Format" of COPY): a signature, flags
// and header extension length; then per row the field count (int16) and
// per field its length (int32) and bytes; then -1 (int16).

// copyHeader starts a binary COPY stream: signature, flags 0, no extension.
const copyHeader = "PGCOPY\n\377\r\n\000\000\000\000\000\000\000\000\000"

// pgEpochMicros is 2000-01-01 00:00:00 UTC, PostgreSQL's timestamp epoch,
// in Unix microseconds.
const pgEpochMicros = 946_684_800_000_000

// copyBufs recycles COPY streams; buffers grown beyond maxPooledCopyBuf are
// dropped, so that one huge batch does not pin its memory.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

const maxPooledCopyBuf = 4 << 20

func getCopyBuf() *[]byte { return copyBufs.Get().(*[]byte) }

func putCopyBuf(b *[]byte) {
	if cap(*b) <= maxPooledCopyBuf {
		*b = (*b)[:0]
		copyBufs.Put(b)
	}
}

// recordCols and attrCols are the columns of the two COPY streams, in the
// order their fields are written.
const (
	recordCols = `kind, id, version, attrs, body, created, updated`
	attrCols   = `kind, id, attr, value`
)

// appendRecordRows appends the records table rows of rs (version 1) to a
// COPY stream, header and trailer included.
func appendRecordRows(b []byte, rs []store.Record) []byte {
	b = append(b, copyHeader...)
	for i := range rs {
		r := &rs[i]
		b = binary.BigEndian.AppendUint16(b, 7)
		b = appendField(b, r.Kind)
		b = appendField(b, r.ID)
		b = binary.BigEndian.AppendUint32(b, 8)
		b = binary.BigEndian.AppendUint64(b, 1)
		// jsonb: a version byte (1), then the JSON text.
		at := len(b)
		b = append(b, 0, 0, 0, 0, 1)
		b = appendAttrsJSON(b, r.Attrs)
		binary.BigEndian.PutUint32(b[at:], uint32(len(b)-at-4))
		b = appendField(b, r.Body) // nil is stored as empty, see bodyOf
		b = appendTime(b, r.Created.UnixMicro())
		b = appendTime(b, r.Updated.UnixMicro())
	}
	return binary.BigEndian.AppendUint16(b, 0xffff)
}

// appendAttrRows appends the attrs table rows of rs to a COPY stream,
// header and trailer included, and reports how many rows it wrote.
func appendAttrRows(b []byte, rs []store.Record) ([]byte, int) {
	b = append(b, copyHeader...)
	n := 0
	for i := range rs {
		r := &rs[i]
		for name, v := range r.Attrs {
			b = binary.BigEndian.AppendUint16(b, 4)
			b = appendField(b, r.Kind)
			b = appendField(b, r.ID)
			b = appendField(b, name)
			b = appendField(b, v)
			n++
		}
	}
	return binary.BigEndian.AppendUint16(b, 0xffff), n
}

// appendField appends one text or bytea field: its length, then its bytes.
func appendField[S string | []byte](b []byte, s S) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// appendTime appends a timestamptz field given in Unix microseconds (the
// precision PostgreSQL keeps; pgx truncates the same way).
func appendTime(b []byte, unixMicro int64) []byte {
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, uint64(unixMicro-pgEpochMicros))
}

// appendAttrsJSON appends attributes as a JSON object. Key order is
// irrelevant (jsonb normalises it). Names are ASCII without characters
// JSON must escape and values valid UTF-8 without NUL (store.CheckRecord),
// so escaping is only '"', '\\' and control characters; anything else
// unexpected goes through encoding/json, as before.
func appendAttrsJSON(b []byte, a map[string]string) []byte {
	b = append(b, '{')
	first := true
	for k, v := range a {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, v)
	}
	return append(b, '}')
}

func appendJSONString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		q, _ := json.Marshal(s) // replaces invalid bytes, as json.Marshal of the map did
		return append(b, q...)
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			const hex = "0123456789abcdef"
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
