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
	// SavedTo names the side file in the directory that holds the bytes
	// cut off, kept in case they matter after all.
	SavedTo string
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

// logHeader reads and checks the file header, reporting a version 1 log.
func logHeader(w *window, name string) (legacy bool, err error) {
	hdr, err := w.get(0, len(fileMagic))
	if err != nil {
		return false, err
	}
	switch string(hdr) {
	case fileMagic:
		return false, nil
	case fileMagicV1:
		return true, nil
	}
	return false, &CorruptError{File: name, Offset: 0, Reason: "not a cxkit log (bad file header)"}
}

// readFrame decodes the frame at off, returning its payload (valid until the
// next read of w), magic and length, or why it is not a valid frame.
func readFrame(w *window, off int64) (payload []byte, magic uint32, n int, why, err error) {
	b, err := w.get(off, frameHeaderLen)
	if err != nil {
		return nil, 0, 0, nil, err
	}
	if len(b) < frameHeaderLen {
		return nil, 0, 0, errShortFrame, nil
	}
	plen, ferr := frameLen(b)
	if ferr != nil {
		return nil, 0, 0, ferr, nil
	}
	if b, err = w.get(off, frameHeaderLen+plen); err != nil {
		return nil, 0, 0, nil, err
	}
	payload, n, ferr = decodeFrame(b)
	if ferr != nil {
		return nil, 0, 0, ferr, nil
	}
	return payload, binary.LittleEndian.Uint32(b), n, nil, nil
}

// scanLog checks every frame of a log of size bytes from the header on and
// passes each good frame's payload (valid only during the call) to visit.
// It returns the length of the good prefix and whether the log is of
// format version 1.
//
// A bad frame is a torn tail (reported in rep for the caller to cut off)
// only when it could be one: nothing valid follows it and its bytes show
// the mark of a write that did not finish (the file ends inside it, or a
// sector-aligned piece of it reads as zeros, space the write never
// reached). Anything else is damage to data that was on disk whole, and
// scanLog returns a *CorruptError: a bad frame followed by a valid synced
// frame (which was written only after the bad one had been synced), or a
// complete frame whose checksum fails. The one exception is the relaxed
// durability modes, which write frames without syncing between them: a
// hole of zeroed sectors followed only by relaxed frames is pages an
// operating system crash lost, and is a torn tail too.
func scanLog(f io.ReaderAt, size int64, name string, visit func(off int64, payload []byte) error) (good int64, legacy bool, rep Recovery, err error) {
	rep.File = name
	w := &window{f: f, size: size}
	if legacy, err = logHeader(w, name); err != nil {
		return 0, false, rep, err
	}
	off := int64(len(fileMagic))
	for off < size {
		payload, magic, n, why, err := readFrame(w, off)
		if err != nil {
			return 0, legacy, rep, err
		}
		if why == nil && magic == closeMagic {
			off += int64(n)
			continue
		}
		if why == nil {
			if err := visit(off, payload); err != nil {
				var ce *CorruptError
				if errors.As(err, &ce) {
					ce.File = name
				}
				return 0, legacy, rep, err
			}
			off += int64(n)
			continue
		}
		// Zeros to the end of the file are space written ahead of the log
		// (or pages a crash never wrote): free space, not a torn frame.
		if zero, err := zeroFrom(f, off, size); err != nil || zero {
			return off, legacy, rep, err
		}
		good, rep, err := classifyTail(f, size, name, off, why, legacy, rep)
		return good, legacy, rep, err
	}
	return off, legacy, rep, nil
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
func classifyTail(f io.ReaderAt, size int64, name string, off int64, why error, legacy bool, rep Recovery) (int64, Recovery, error) {
	next, frames, synced, err := nextValidFrame(f, size, off+1)
	if err != nil {
		return 0, rep, err
	}
	if next >= 0 {
		// Only frames written without a sync in between can outrun a bad
		// one to the disk; a version 1 log does not say how its frames were
		// written, so it gets no benefit of the doubt.
		zero := false
		if !legacy && !synced {
			if zero, err = hasZeroSector(f, off, next); err != nil {
				return 0, rep, err
			}
		}
		if !zero {
			return 0, rep, &CorruptError{File: name, Offset: off,
				Reason: fmt.Sprintf("%v, followed by a valid frame at offset %d", why, next)}
		}
		rep.Reason = fmt.Sprintf("%v; zeroed sector (pages lost in a crash) before %d later frame(s) written without a sync", why, frames)
	} else {
		torn, err := looksTorn(f, size, off)
		if err != nil {
			return 0, rep, err
		}
		if !torn {
			return 0, rep, &CorruptError{File: name, Offset: off,
				Reason: fmt.Sprintf("%v in the last frame, which is complete (not a write cut short by a crash)", why)}
		}
		rep.Reason = why.Error() + " at the end of the log"
	}
	rep.Truncated = true
	rep.Offset = off
	rep.Bytes = size - off
	rep.Frames = 1 + frames
	return off, rep, nil
}

// looksTorn reports whether the bad frame at off, the last one, bears the
// mark of an append cut short. Appends go into zeros (space written ahead,
// or the file's growth) and a disk writes a sector whole or not at all, so
// an unfinished frame runs past the end of the file, ends in a zero byte,
// or has a piece, within one aligned sector, that is still all zeros. A complete
// frame without such a piece was written whole: a bad checksum there is
// damage.
func looksTorn(f io.ReaderAt, size, off int64) (bool, error) {
	if size-off < frameHeaderLen {
		return true, nil
	}
	h := make([]byte, frameHeaderLen)
	if _, err := f.ReadAt(h, off); err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	end := off + frameHeaderLen
	if plen, err := frameLen(h); err == nil {
		end += int64(plen)
	}
	if end > size {
		return true, nil
	}
	// A write cut short by the process (a full disk) leaves the frame's
	// last bytes as the zeros they were.
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, end-1); err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	if last[0] == 0 {
		return true, nil
	}
	return hasZeroPiece(f, off, end)
}

// hasZeroPiece reports whether some aligned sector's share of [from, to)
// is all zeros.
func hasZeroPiece(f io.ReaderAt, from, to int64) (bool, error) {
	buf := make([]byte, sector)
	for s := from / sector * sector; s < to; s += sector {
		lo, hi := max(s, from), min(s+sector, to)
		b := buf[:hi-lo]
		if _, err := f.ReadAt(b, lo); err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		if allZero(b) {
			return true, nil
		}
	}
	return false, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// nextValidFrame finds the first offset >= from where a whole valid frame
// starts, counts the valid frames from there to the end and reports
// whether any of them is a synced frame. It returns -1 if there is none.
// It runs only when something is wrong, so it may read the rest of the
// file.
func nextValidFrame(f io.ReaderAt, size, from int64) (first int64, count int, synced bool, err error) {
	// Both magics start with "Cx".
	prefix := []byte("Cx")
	w := &window{f: f, size: size}
	first = -1
	for off := from; off+frameHeaderLen <= size; {
		// Small steps through a large window: a false match moves on by one
		// byte without another read.
		b, err := w.get(off, 64<<10)
		if err != nil {
			return 0, 0, false, err
		}
		i := bytes.Index(b, prefix)
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
			return 0, 0, false, err
		}
		if len(h) == frameHeaderLen {
			if plen, ferr := frameLen(h); ferr == nil && off+frameHeaderLen+int64(plen) <= size {
				fb, err := w.get(off, frameHeaderLen+plen)
				if err != nil {
					return 0, 0, false, err
				}
				if _, n, ferr := decodeFrame(fb); ferr == nil {
					if first < 0 {
						first = off
					}
					count++
					m := binary.LittleEndian.Uint32(fb)
					synced = synced || m == syncedMagic || m == closeMagic
					off += int64(n)
					continue
				}
			}
		}
		off++
	}
	return first, count, synced, nil
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
