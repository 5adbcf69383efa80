package postgres

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// decodeAttrs reads a record's attributes from the jsonb column's text, a
// flat object of strings. Reading pages of records, encoding/json was most
// of the client's time (it validates, then decodes by reflection, and
// allocates every key and value apart), so the common case is parsed here:
// strings without escapes, which become substrings of one copy of the
// text. Anything else (an escape, another type, a malformed text) goes to
// encoding/json, which decides. An empty object gives nil.
func decodeAttrs(b []byte) (map[string]string, error) {
	if m, ok := decodeFlat(b); ok {
		return m, nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decoding attributes %.40q: %w", b, err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// decodeFlat is decodeAttrs's fast path; ok is false where it gives up.
func decodeFlat(b []byte) (m map[string]string, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' || !utf8.Valid(b) {
		return nil, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil, skipSpace(b, i+1) == len(b)
	}
	// One string holds every key and value; they are slices of it.
	s := string(b)
	n := 1
	for _, c := range b {
		if c == ',' {
			n++
		}
	}
	m = make(map[string]string, n)
	for {
		var k, v string
		if k, i, ok = flatString(s, i); !ok {
			return nil, false
		}
		if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
			return nil, false
		}
		if v, i, ok = flatString(s, skipSpace(b, i+1)); !ok {
			return nil, false
		}
		if _, dup := m[k]; dup {
			return nil, false // encoding/json keeps the last; let it
		}
		m[k] = v
		if i = skipSpace(b, i); i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return m, skipSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
}

// flatString reads a JSON string without escapes or control characters
// starting at s[i] (the opening quote) and returns it and the index after
// the closing quote.
func flatString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			return s[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
