package file

import (
	"bytes"
	"context"
	"testing"
)

// FuzzVerify damages a log and runs Verify's walk over it: it must never
// panic, must find a problem wherever Open would refuse the log, and none
// where Open accepts it whole.
func FuzzVerify(f *testing.F) {
	f.Add(uint16(0xffff), uint16(0xffff), uint8(0), []byte{})
	f.Add(uint16(0xffff), uint16(60), uint8(1), []byte{})
	f.Add(uint16(200), uint16(30), uint8(3), []byte("CxS1"))
	f.Add(uint16(0xffff), uint16(100), uint8(2), appendCloseMark(nil))
	f.Fuzz(func(t *testing.T, cut, flip uint16, bit uint8, garbage []byte) {
		log, _ := sampleLog()
		if int(cut) < len(log) {
			log = log[:cut]
		}
		if int(flip) < len(log) {
			log[flip] ^= 1 << (bit % 8)
		}
		log = append(log, garbage...)
		r := bytes.NewReader(log)
		rep, _, err := verifyLog(context.Background(), r, int64(len(log)), "fuzz.log")
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
		_, _, srep, serr := scanLog(r, int64(len(log)), "fuzz.log", func(off int64, payload []byte) error {
			var op rawOp
			for pos := 0; pos < len(payload); {
				n, err := decodeOp(payload[pos:], &op)
				if err == nil {
					err = checkOp(&op)
				}
				if err != nil {
					return &CorruptError{Offset: off, Reason: err.Error()}
				}
				pos += n
			}
			return nil
		})
		if serr != nil && rep.OK() {
			t.Fatalf("Open refuses (%v) but Verify finds no problem", serr)
		}
		if serr == nil && !srep.Truncated && !rep.OK() {
			t.Fatalf("Open accepts the log whole but Verify finds %v", rep.Problems)
		}
	})
}
