package postgres

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"unicode/utf8"

	"github.com/cxkit/cxkit/store"
)

// A batch's creates are loaded with COPY ... FROM STDIN BINARY, whose stream
// the driver writes itself rather than through pgx.CopyFrom: the column
// types are fixed by the schema, so each value is appended straight into
// the stream (no []any row per record, no per-value type lookup, no
// intermediate JSON string, no goroutine and pipe), and pgconn.CopyFrom
// reads it as it sends. That was most of the client's CPU per record. (A
// pgx CopyFromTracer on the pool therefore does not see these COPYs.)
//
// The format (PostgreSQL's "Binary Format" of COPY): a signature, flags
// and header extension length; then per row the field count (int16) and
// per field its length (int32) and bytes; then -1 (int16).

// copyHeader starts a binary COPY stream: signature, flags 0, no extension.
const copyHeader = "PGCOPY\n\377\r\n\000\000\000\000\000\000\000\000\000"

// pgEpochMicros is 2000-01-01 00:00:00 UTC, PostgreSQL's timestamp epoch,
// in Unix microseconds.
const pgEpochMicros = 946_684_800_000_000

// copyStream is the io.Reader of one COPY stream, encoding rows as pgconn
// reads: the server works on one chunk while the next is encoded, and the
// stream never exists whole in memory.
type copyStream struct {
	rs      []store.Record
	attrs   bool   // attrs table rows, else records table rows
	next    int    // index in rs of the next record to encode
	buf     []byte // encoded, not yet read
	mem     []byte // buf's backing array, reused for each chunk
	started bool
	done    bool
}

// copyChunk is how much the stream encodes ahead of the reader.
const copyChunk = 32 << 10

// Read implements io.Reader.
func (c *copyStream) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.done {
			return 0, io.EOF
		}
		c.fill()
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

// fill encodes about copyChunk bytes of rows into c.buf (which is empty),
// with the header first and the trailer last.
func (c *copyStream) fill() {
	b := c.mem[:0]
	if !c.started {
		b = append(b, copyHeader...)
		c.started = true
	}
	for len(b) < copyChunk && c.next < len(c.rs) {
		r := &c.rs[c.next]
		c.next++
		if c.attrs {
			b = appendAttrRows(b, r)
		} else {
			b = appendRecordRow(b, r)
		}
	}
	if c.next == len(c.rs) {
		b = binary.BigEndian.AppendUint16(b, 0xffff)
		c.done = true
	}
	c.buf, c.mem = b, b
}

// recordCols and attrCols are the columns of the two COPY streams, in the
// order their fields are written.
const (
	recordCols = `kind, id, version, attrs, body, created, updated, empty`
	attrCols   = `kind, id, attr, value`
)

// appendRecordRow appends r's records table row, at version 1.
func appendRecordRow(b []byte, r *store.Record) []byte {
	b = binary.BigEndian.AppendUint16(b, 8)
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
	b = binary.BigEndian.AppendUint32(b, 2) // smallint
	return binary.BigEndian.AppendUint16(b, uint16(emptyOf(*r)))
}

// appendAttrRows appends r's attrs table rows, one per attribute.
func appendAttrRows(b []byte, r *store.Record) []byte {
	for name, v := range r.Attrs {
		b = binary.BigEndian.AppendUint16(b, 4)
		b = appendField(b, r.Kind)
		b = appendField(b, r.ID)
		b = appendField(b, name)
		b = appendField(b, v)
	}
	return b
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
// JSON must escape and values valid UTF-8 without NUL (driverkit.CheckRecord),
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
