package file

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"time"

	"github.com/cxkit/cxkit/store"
)

// On-disk format. Every integer in a header is little-endian; see doc.go for
// the picture.
const (
	// fileMagic opens every log file, so that a stray file is never
	// mistaken for a log and the format can change under a new version byte.
	// Version 2 added syncedMagic; version 1 logs are still read (and
	// appended to with version 1 frames, so that an older build can still
	// read them), but their frames say nothing about syncs.
	fileMagic   = "cxkitlg\x02"
	fileMagicV1 = "cxkitlg\x01"

	// frameMagic opens a frame that may have been written before the frames
	// ahead of it reached the disk: the frames of the relaxed durability
	// modes, and every frame of a version 1 log. Recovery searches for the
	// magics after a bad frame to tell a torn tail (nothing valid follows)
	// from damage in the middle of the log (a valid frame follows).
	frameMagic uint32 = 0x31467843 // "CxF1"

	// syncedMagic opens a frame written only after every earlier byte of
	// the log was synced: the frames of the default durability mode and of
	// compaction. A valid one after a bad frame proves the bad frame had
	// been on disk whole, so the damage cannot be a torn write.
	syncedMagic uint32 = 0x31537843 // "CxS1"

	// closeMagic opens the close mark: a frame without writes that Close
	// appends, once everything before it is synced, so that the last frame
	// of a store closed cleanly is followed by a valid frame too and damage
	// to it is told from a write cut short. Its payload is closeMark.
	closeMagic uint32 = 0x31437843 // "CxC1"

	frameHeaderLen = 12 // magic, payload length, CRC-32C
	opHeaderLen    = 8  // op length, CRC-32C

	// maxFrameLen bounds a frame's payload so that a damaged length never
	// makes recovery allocate gigabytes.
	maxFrameLen = 1 << 30
)

// The op actions stored on disk.
const (
	opPut    byte = 1
	opDelete byte = 2
)

// Flags of a put op: the contract keeps nil and empty apart, so the log does.
const (
	flagAttrs byte = 1 << iota // Attrs was not nil
	flagBody                   // Body was not nil
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is wrapped by the error Open returns when a log holds a bad
// checksum or garbage anywhere but at its tail, and by reads that find a
// record whose checksum no longer matches. Open refuses such a directory
// rather than guess: restore a backup, or move the damaged file aside.
var ErrCorrupt = errors.New("corrupt log")

// CorruptError says where the damage is. It matches ErrCorrupt with
// errors.Is.
type CorruptError struct {
	File   string // file name inside the directory
	Offset int64  // byte offset of the bad frame or record
	Reason string
	// Err is the rule a record broke, when that is the damage (it wraps
	// store.ErrInvalid), else nil.
	Err error
}

// Unwrap returns the broken rule, if any.
func (e *CorruptError) Unwrap() error { return e.Err }

// Error says what is damaged and where.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("file: %s at offset %d: %s: %s", ErrCorrupt, e.Offset, e.File, e.Reason)
}

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// Why a frame could not be decoded. errShortFrame means the bytes end inside
// the frame: at the end of a file that is a torn write.
var (
	errShortFrame = errors.New("frame cut short")
	errBadMagic   = errors.New("bad frame magic")
	errBadLength  = errors.New("bad frame length")
	errBadCRC     = errors.New("frame checksum mismatch")
	errBadOp      = errors.New("malformed record")
)

// beginFrame reserves a frame header at the end of buf; endFrame fills it
// once the ops are appended.
func beginFrame(buf []byte) ([]byte, int) {
	start := len(buf)
	return append(buf, make([]byte, frameHeaderLen)...), start
}

// closeMark is the payload of a close mark.
const closeMark = "closed.."

// appendCloseMark appends a close mark frame to buf.
func appendCloseMark(buf []byte) []byte {
	buf, start := beginFrame(buf)
	buf = append(buf, closeMark...)
	sealFrame(buf, start, closeMagic)
	return buf
}

// endFrame seals the frame that starts at buf[start] as a synced frame,
// which is what compaction writes (its whole file is synced before anything
// follows it).
func endFrame(buf []byte, start int) { sealFrame(buf, start, syncedMagic) }

// sealFrame seals the frame that starts at buf[start] with magic. The CRC
// covers the magic and length too, so a damaged length is caught as well.
func sealFrame(buf []byte, start int, magic uint32) {
	h := buf[start : start+frameHeaderLen]
	payload := buf[start+frameHeaderLen:]
	binary.LittleEndian.PutUint32(h[0:], magic)
	binary.LittleEndian.PutUint32(h[4:], uint32(len(payload)))
	crc := crc32.Update(crc32.Checksum(h[:8], castagnoli), castagnoli, payload)
	binary.LittleEndian.PutUint32(h[8:], crc)
}

// frameLen reads the payload length of the frame header h (at least
// frameHeaderLen bytes), checking only what the header alone can show.
func frameLen(h []byte) (int, error) {
	if m := binary.LittleEndian.Uint32(h); m != frameMagic && m != syncedMagic && m != closeMagic {
		return 0, errBadMagic
	}
	n := binary.LittleEndian.Uint32(h[4:])
	if n == 0 || n > maxFrameLen {
		return 0, errBadLength
	}
	return int(n), nil
}

// decodeFrame checks the frame at the start of b and returns its payload
// (the ops, aliasing b) and the frame's whole length. It never panics and
// never accepts a frame whose checksum does not match.
func decodeFrame(b []byte) (payload []byte, n int, err error) {
	if len(b) < frameHeaderLen {
		return nil, 0, errShortFrame
	}
	plen, err := frameLen(b)
	if err != nil {
		return nil, 0, err
	}
	if len(b)-frameHeaderLen < plen {
		return nil, 0, errShortFrame
	}
	payload = b[frameHeaderLen : frameHeaderLen+plen]
	crc := crc32.Update(crc32.Checksum(b[:8], castagnoli), castagnoli, payload)
	if crc != binary.LittleEndian.Uint32(b[8:]) {
		return nil, 0, errBadCRC
	}
	return payload, frameHeaderLen + plen, nil
}

// rawOp is a decoded op whose byte slices alias the buffer it was decoded
// from, so that recovery can index a log without copying bodies.
type rawOp struct {
	action           byte
	flags            byte
	kind, id         []byte
	version          int64
	created, updated int64 // Unix microseconds
	attrs            [][2][]byte
	body             []byte
	// skipAttrs makes parseOp check the attributes without keeping them:
	// reads take a record's attributes from the index, and appending
	// them here cost a slice of pointers per record.
	skipAttrs bool
}

// appendOp appends one op for the write: the record as stored (version
// already assigned) for a put, kind, ID and the deleted version for a
// delete.
func appendOp(buf []byte, action byte, r *recordOut) []byte {
	start := len(buf)
	buf = append(buf, make([]byte, opHeaderLen)...)
	buf = append(buf, action)
	var flags byte
	if r.attrs != nil {
		flags |= flagAttrs
	}
	if r.body != nil {
		flags |= flagBody
	}
	if action == opDelete {
		flags = 0
	}
	buf = append(buf, flags)
	buf = appendString(buf, r.kind)
	buf = appendString(buf, r.id)
	buf = binary.AppendUvarint(buf, uint64(r.version))
	if action == opPut {
		buf = binary.AppendVarint(buf, r.created)
		buf = binary.AppendVarint(buf, r.updated)
		buf = binary.AppendUvarint(buf, uint64(len(r.attrs)))
		for _, kv := range r.attrs {
			buf = appendString(buf, kv[0])
			buf = appendString(buf, kv[1])
		}
		buf = binary.AppendUvarint(buf, uint64(len(r.body)))
		buf = append(buf, r.body...)
	}
	body := buf[start+opHeaderLen:]
	binary.LittleEndian.PutUint32(buf[start:], uint32(len(body)))
	binary.LittleEndian.PutUint32(buf[start+4:], crc32.Checksum(body, castagnoli))
	return buf
}

// recordOut is what appendOp encodes: a record with its times in Unix
// microseconds and its attributes in a fixed order.
type recordOut struct {
	kind, id         string
	version          int64
	created, updated int64
	attrs            [][2]string // nil when the record's Attrs was nil
	body             []byte
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// opLen returns the whole length of the op at the start of b, header
// included, checking its checksum.
func opLen(b []byte) (int, error) {
	n, err := opLenUnchecked(b)
	if err != nil {
		return 0, err
	}
	body := b[opHeaderLen:n]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(b[4:]) {
		return 0, errBadCRC
	}
	return n, nil
}

// opLenUnchecked is opLen without the checksum, for ops inside a frame
// whose own checksum was just verified (Open), which halves the hashing.
func opLenUnchecked(b []byte) (int, error) {
	if len(b) < opHeaderLen {
		return 0, errBadOp
	}
	n := binary.LittleEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-opHeaderLen) {
		return 0, errBadOp
	}
	return opHeaderLen + int(n), nil
}

// decodeOp decodes the op at the start of b (header included) into op,
// reusing op.attrs, and returns the op's whole length. Every length is
// checked against what is left, so no input makes it panic.
func decodeOp(b []byte, op *rawOp) (int, error) {
	n, err := opLen(b)
	if err != nil {
		return 0, err
	}
	if err := parseOp(b[opHeaderLen:n], op); err != nil {
		return 0, err
	}
	return n, nil
}

// parseOp decodes an op's body (what follows its header), whose checksum
// the caller has checked.
func parseOp(body []byte, op *rawOp) error {
	d := decoder{b: body}
	op.action = d.byte()
	op.flags = d.byte()
	op.kind = d.bytes()
	op.id = d.bytes()
	v := d.uvarint()
	if v > 1<<62 {
		d.err = true
	}
	op.version = int64(v)
	op.attrs = op.attrs[:0]
	op.created, op.updated, op.body = 0, 0, nil
	switch op.action {
	case opPut:
		op.created = d.varint()
		op.updated = d.varint()
		na := d.uvarint()
		if na > store.MaxAttrs {
			// No write stores more, and the index keeps the count in a byte.
			d.err = true
		}
		for i := uint64(0); i < na && !d.err; i++ {
			k := d.bytes()
			val := d.bytes()
			if !op.skipAttrs {
				op.attrs = append(op.attrs, [2][]byte{k, val})
			}
		}
		op.body = d.bytes()
		// The flags say nil or not; a nil field must come with no content,
		// or one stored record could decode two ways.
		if op.flags&^(flagAttrs|flagBody) != 0 ||
			op.flags&flagAttrs == 0 && na != 0 ||
			op.flags&flagBody == 0 && len(op.body) != 0 {
			d.err = true
		}
	case opDelete:
		if op.flags != 0 {
			d.err = true
		}
	default:
		d.err = true
	}
	if d.err || len(d.b) != 0 || len(op.kind) == 0 || len(op.id) == 0 || len(op.id) > store.MaxIDLen || op.version <= 0 {
		return errBadOp
	}
	return nil
}

// decoder reads varint-framed fields, remembering the first overrun
// instead of panicking.
type decoder struct {
	b   []byte
	err bool
}

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.err = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err || n > uint64(len(d.b)) {
		d.err = true
		d.b = nil
		return nil
	}
	s := d.b[:n:n]
	d.b = d.b[n:]
	return s
}

// microTime turns stored Unix microseconds back into a time in UTC.
func microTime(us int64) time.Time { return time.UnixMicro(us).UTC() }
