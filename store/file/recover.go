package file

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Recovery reports what Open found and did. A clean directory gives a
// report with Truncated false and nothing removed.
type Recovery struct {
	// File is the live log's name inside the directory.
	File string
	// Truncated says a torn tail was cut off: the bytes from Offset on,
	// holding Frames frames (at least one, partial), were writes never
	// acknowledged (in the default durability mode) and are gone.
	Truncated bool
	Offset    int64
	Bytes     int64
	Frames    int
	// Reason says why the tail was judged torn.
	Reason string
	// Removed lists leftover files deleted: temporary files of an
	// interrupted compaction and older generations a finished one
	// superseded.
	Removed []string
	// Records is how many live records the index holds after recovery.
	Records int
}

// windowSize is how much of the log recovery reads per system call, so that
// opening a log of a million small frames takes hundreds of reads, not
// millions.
const windowSize = 4 << 20

// window reads a file sequentially in large chunks and hands out slices of
// them.
type window struct {
	f    io.ReaderAt
	size int64
	off  int64 // file offset of buf[0]
	buf  []byte
}

// get returns the n bytes at off, or fewer if the file ends first. The slice
// is valid until the next call.
func (w *window) get(off int64, n int) ([]byte, error) {
	if off >= w.off && off+int64(n) <= w.off+int64(len(w.buf)) {
		return w.buf[off-w.off : off-w.off+int64(n)], nil
	}
	want := max(n, windowSize)
	if rest := w.size - off; int64(want) > rest {
		want = int(max(rest, 0))
	}
	if cap(w.buf) < want {
		w.buf = make([]byte, want)
	}
	w.buf = w.buf[:want]
	m, err := w.f.ReadAt(w.buf, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	w.buf, w.off = w.buf[:m], off
	return w.buf[:min(n, m)], nil
}

// scanLog checks every frame of a log of size bytes from the header on and
// passes each good frame's payload (valid only during the call) to visit.
// It returns the length of the good prefix. A bad frame with nothing valid
// after it is a torn tail: scanLog reports it in rep for the caller to cut
// off. A bad frame followed by a valid one is damage in the middle: scanLog
// returns a *CorruptError, unless the bad bytes hold a whole zeroed,
// aligned sector, the mark of pages a crash never wrote, which can only be
// in the unsynced tail.
func scanLog(f io.ReaderAt, size int64, name string, visit func(off int64, payload []byte) error) (good int64, rep Recovery, err error) {
	rep.File = name
	w := &window{f: f, size: size}
	hdr, err := w.get(0, len(fileMagic))
	if err != nil {
		return 0, rep, err
	}
	if !bytes.Equal(hdr, []byte(fileMagic)) {
		return 0, rep, &CorruptError{File: name, Offset: 0, Reason: "not a cxkit log (bad file header)"}
	}
	off := int64(len(fileMagic))
	for off < size {
		b, err := w.get(off, frameHeaderLen)
		if err != nil {
			return 0, rep, err
		}
		var why error
		if len(b) < frameHeaderLen {
			why = errShortFrame
		} else if plen, ferr := frameLen(b); ferr != nil {
			why = ferr
		} else if b, err = w.get(off, frameHeaderLen+plen); err != nil {
			return 0, rep, err
		} else if payload, n, ferr := decodeFrame(b); ferr != nil {
			why = ferr
		} else {
			if err := visit(off, payload); err != nil {
				var ce *CorruptError
				if errors.As(err, &ce) {
					ce.File = name
				}
				return 0, rep, err
			}
			off += int64(n)
			continue
		}
		// Zeros to the end of the file are space written ahead of the log
		// (or pages a crash never wrote): free space, not a torn frame.
		if zero, err := zeroFrom(f, off, size); err != nil || zero {
			return off, rep, err
		}
		return classifyTail(f, size, name, off, why, rep)
	}
	return off, rep, nil
}

// zeroFrom reports whether the bytes from off to size are all zeros.
func zeroFrom(f io.ReaderAt, off, size int64) (bool, error) {
	buf := make([]byte, min(size-off, 64<<10))
	for off < size {
		b := buf[:min(int64(len(buf)), size-off)]
		if _, err := f.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		for _, c := range b {
			if c != 0 {
				return false, nil
			}
		}
		off += int64(len(b))
	}
	return true, nil
}

// classifyTail decides whether the bad frame at off is a torn tail (return
// off as the good length, with the report filled in) or corruption.
func classifyTail(f io.ReaderAt, size int64, name string, off int64, why error, rep Recovery) (int64, Recovery, error) {
	next, frames, err := nextValidFrame(f, size, off+1)
	if err != nil {
		return 0, rep, err
	}
	if next >= 0 {
		zero, err := hasZeroSector(f, off, next)
		if err != nil {
			return 0, rep, err
		}
		if !zero {
			return 0, rep, &CorruptError{File: name, Offset: off,
				Reason: fmt.Sprintf("%v, followed by a valid frame at offset %d", why, next)}
		}
		rep.Reason = fmt.Sprintf("%v; zeroed sector (pages lost in a crash) before %d later frame(s)", why, frames)
	} else {
		rep.Reason = why.Error() + " at the end of the log"
	}
	rep.Truncated = true
	rep.Offset = off
	rep.Bytes = size - off
	rep.Frames = 1 + frames
	return off, rep, nil
}

// nextValidFrame finds the first offset >= from where a whole valid frame
// starts, and counts the valid frames from there to the end. It returns -1
// if there is none. It runs only when something is wrong, so it may read the
// rest of the file.
func nextValidFrame(f io.ReaderAt, size, from int64) (int64, int, error) {
	var magic [4]byte
	binary.LittleEndian.PutUint32(magic[:], frameMagic)
	w := &window{f: f, size: size}
	first, count := int64(-1), 0
	for off := from; off+frameHeaderLen <= size; {
		// Small steps through a large window: a false match moves on by one
		// byte without another read.
		b, err := w.get(off, 64<<10)
		if err != nil {
			return 0, 0, err
		}
		i := bytes.Index(b, magic[:])
		if i < 0 {
			if len(b) < 4 {
				break
			}
			off += int64(len(b) - 3)
			continue
		}
		off += int64(i)
		h, err := w.get(off, frameHeaderLen)
		if err != nil {
			return 0, 0, err
		}
		if len(h) == frameHeaderLen {
			if plen, ferr := frameLen(h); ferr == nil && off+frameHeaderLen+int64(plen) <= size {
				fb, err := w.get(off, frameHeaderLen+plen)
				if err != nil {
					return 0, 0, err
				}
				if _, n, ferr := decodeFrame(fb); ferr == nil {
					if first < 0 {
						first = off
					}
					count++
					off += int64(n)
					continue
				}
			}
		}
		off++
	}
	return first, count, nil
}

// sector is the unit a disk writes atomically; a crash leaves whole sectors
// of an appended region unwritten, and unwritten space reads as zeros.
const sector = 512

// hasZeroSector reports whether [from, to) contains an aligned sector of
// zeros.
func hasZeroSector(f io.ReaderAt, from, to int64) (bool, error) {
	start := (from + sector - 1) / sector * sector
	buf := make([]byte, sector)
	zero := make([]byte, sector)
	for s := start; s+sector <= to; s += sector {
		if _, err := f.ReadAt(buf, s); err != nil {
			return false, err
		}
		if bytes.Equal(buf, zero) {
			return true, nil
		}
	}
	return false, nil
}
