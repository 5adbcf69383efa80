package file

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"testing"
)

// Fuzz targets for the decoder: whatever the bytes (truncated, bit-flipped,
// garbage), decoding never panics, and whatever it accepts is exactly what
// the encoder wrote, so a damaged log never yields a wrong record. The seed
// corpus is in testdata/fuzz.

// reencode encodes the decoded op again, for the round-trip check.
func reencode(op *rawOp) []byte {
	r := recordOut{kind: string(op.kind), id: string(op.id), version: op.version, created: op.created, updated: op.updated}
	if op.flags&flagAttrs != 0 {
		r.attrs = [][2]string{}
		for _, kv := range op.attrs {
			r.attrs = append(r.attrs, [2]string{string(kv[0]), string(kv[1])})
		}
	}
	if op.flags&flagBody != 0 {
		r.body = append([]byte{}, op.body...)
	}
	return appendOp(nil, op.action, &r)
}

// sampleFrame is a valid frame of a few ops, for seeds.
func sampleFrame() []byte {
	buf, start := beginFrame(nil)
	buf = appendOp(buf, opPut, &recordOut{kind: "note", id: "a", version: 1, created: 1, updated: 2,
		attrs: [][2]string{{"status", "open"}, {"prio", "1"}}, body: []byte(`{"x":1}`)})
	buf = appendOp(buf, opPut, &recordOut{kind: "note", id: "b", version: 3, created: -62135596800000000, attrs: [][2]string{}, body: []byte{}})
	buf = appendOp(buf, opDelete, &recordOut{kind: "note", id: "c", version: 7})
	endFrame(buf, start)
	return buf
}

func FuzzDecodeFrame(f *testing.F) {
	frame := sampleFrame()
	f.Add(frame)
	f.Add(frame[:len(frame)-1])
	f.Add(frame[:frameHeaderLen])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		payload, n, err := decodeFrame(b)
		if err != nil {
			return
		}
		if n > len(b) || n != frameHeaderLen+len(payload) {
			t.Fatalf("n = %d for %d bytes, payload %d", n, len(b), len(payload))
		}
		var op rawOp
		for pos := 0; pos < len(payload); {
			m, err := decodeOp(payload[pos:], &op)
			if err != nil {
				return
			}
			if got := reencode(&op); !bytes.Equal(got, payload[pos:pos+m]) {
				t.Fatalf("op at %d decodes to something that encodes differently:\n%x\n%x", pos, payload[pos:pos+m], got)
			}
			pos += m
		}
	})
}

// FuzzDecodeOp fuzzes an op with a valid checksum, so that the fuzzer
// explores the field decoder behind it instead of stopping at the CRC.
func FuzzDecodeOp(f *testing.F) {
	frame := sampleFrame()
	ops := frame[frameHeaderLen:]
	n, _ := opLen(ops)
	f.Add(ops[opHeaderLen:n])
	f.Add(ops[opHeaderLen : n-3])
	f.Add([]byte{1, 0, 1, 'k', 1, 'i', 1})
	f.Add([]byte{2, 0, 1, 'k', 1, 'i', 1})
	f.Fuzz(func(t *testing.T, body []byte) {
		b := binary.LittleEndian.AppendUint32(nil, uint32(len(body)))
		b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(body, castagnoli))
		b = append(b, body...)
		var op rawOp
		n, err := decodeOp(b, &op)
		if err != nil {
			return
		}
		if n != len(b) {
			t.Fatalf("op of %d bytes decoded as %d", len(b), n)
		}
		if got := reencode(&op); !bytes.Equal(got, b) {
			t.Fatalf("decoded op encodes differently:\n%x\n%x", b, got)
		}
	})
}

// sampleLog is a log of frames, each with two records, and the bodies by ID.
func sampleLog() ([]byte, map[string]string) {
	log := []byte(fileMagic)
	want := map[string]string{}
	for i := range 6 {
		buf, start := beginFrame(nil)
		for j := range 2 {
			id := fmt.Sprintf("r%d-%d", i, j)
			body := bytes.Repeat([]byte{byte('a' + i)}, 40*i+j)
			buf = appendOp(buf, opPut, &recordOut{kind: "k", id: id, version: 1, body: body})
			want[id] = string(body)
		}
		endFrame(buf, start)
		log = append(log, buf...)
	}
	return log, want
}

// FuzzRecover damages a log (cut, bit flip, garbage appended) and runs
// recovery over it: it must either refuse with ErrCorrupt or return whole
// frames of the original, in order, and never a record that differs.
func FuzzRecover(f *testing.F) {
	f.Add(uint16(0xffff), uint16(0xffff), uint8(0), []byte{})
	f.Add(uint16(100), uint16(0xffff), uint8(0), []byte{})
	f.Add(uint16(0xffff), uint16(30), uint8(3), []byte{})
	f.Add(uint16(0xffff), uint16(0xffff), uint8(0), []byte{0x43, 0x78, 0x46, 0x31, 1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, cut, flip uint16, bit uint8, garbage []byte) {
		log, want := sampleLog()
		if int(cut) < len(log) {
			log = log[:cut]
		}
		if int(flip) < len(log) {
			log[flip] ^= 1 << (bit % 8)
		}
		log = append(log, garbage...)
		var op rawOp
		var got []string
		good, _, rep, err := scanLog(bytes.NewReader(log), int64(len(log)), "fuzz.log", func(off int64, payload []byte) error {
			for pos := 0; pos < len(payload); {
				n, err := decodeOp(payload[pos:], &op)
				if err != nil {
					return &CorruptError{Offset: off, Reason: err.Error()}
				}
				body, ok := want[string(op.id)]
				if !ok || body != string(op.body) || string(op.kind) != "k" || op.version != 1 {
					t.Fatalf("recovery returned a record that was never written: %s %q", op.id, op.body)
				}
				got = append(got, string(op.id))
				pos += n
			}
			return nil
		})
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("scan error %v is not ErrCorrupt", err)
			}
			return
		}
		// Records come back in order and in whole frames.
		if len(got)%2 != 0 {
			t.Fatalf("half a frame recovered: %v", got)
		}
		for i, id := range got {
			if id != fmt.Sprintf("r%d-%d", i/2, i%2) {
				t.Fatalf("record %d is %s: not a prefix of the log", i, id)
			}
		}
		if rep.Truncated && rep.Offset != good {
			t.Fatalf("report %+v for good length %d of %d", rep, good, len(log))
		}
		if !rep.Truncated && good < int64(len(log)) && bytes.ContainsFunc(log[good:], func(r rune) bool { return r != 0 }) {
			t.Fatalf("%d bytes after the good length %d neither reported nor zeros", int64(len(log))-good, good)
		}
	})
}
