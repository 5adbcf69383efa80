package file

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/cxkit/cxkit/store"
)

// Backups. A backup is the live log as it stood at one instant: every
// write acknowledged before the backup began and none begun after it
// ended, whole frames only. Taking one holds the writers for a moment
// (to note the log's length and open it a second time); the copy itself
// runs beside them, since the log is only ever appended to and the bytes
// up to that length never change. A compaction that replaces the file
// meanwhile does not disturb it either: the open handle keeps the old
// generation readable.
//
// A backup directory holds data-000001.log and BACKUP, a small JSON file
// with the log's length and SHA-256, written last: it is a store that Open
// accepts as is. It is built under a temporary name beside the
// destination and renamed into place only once complete and synced, so a
// crash (even kill -9) leaves either no backup or a whole one. A backup
// stream (Backup) is the log followed by a trailer with the same length
// and SHA-256; Restore refuses a stream without it.

// BackupInfo describes a backup, as written in its BACKUP file.
type BackupInfo struct {
	Format  int       `json:"format"`
	Log     string    `json:"log"`    // the log's file name in the backup
	Bytes   int64     `json:"bytes"`  // the log's length
	SHA256  string    `json:"sha256"` // hex SHA-256 of the log
	Records int       `json:"records"`
	Taken   time.Time `json:"taken"`
}

const (
	backupMarker = "BACKUP"
	backupLog    = "data-000001.log"
	// trailerMagic opens the trailer of a backup stream: magic, the log's
	// length (u64, little-endian) and its SHA-256.
	trailerMagic = "cxkitbk1"
	trailerLen   = len(trailerMagic) + 8 + sha256.Size
)

// ErrNotEmpty is wrapped by the error Restore returns when the directory
// to restore into already holds a store or other files.
var ErrNotEmpty = errors.New("directory is not empty")

// ErrBadBackup is wrapped by the errors of VerifyBackup and Restore when a
// backup is incomplete or damaged.
var ErrBadBackup = errors.New("bad backup")

// snapshot opens the live log a second time and notes the length of its
// good frames and the records they hold, all at one instant.
func (d *Driver) snapshot(op string) (*os.File, int64, int, error) {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	if d.closed.Load() {
		return nil, 0, 0, &store.Error{Op: op, Err: store.ErrClosed}
	}
	f, err := d.root.Open(logName(d.gen))
	if err != nil {
		return nil, 0, 0, &store.Error{Op: op, Err: err}
	}
	d.mu.RLock()
	n := 0
	for _, t := range d.kinds {
		n += len(t.sorted)
	}
	d.mu.RUnlock()
	return f, d.size, n, nil
}

// copyLog copies the snapshot's bytes to w, checking every frame's
// checksum on the way (a damaged store makes a failed backup, not a
// damaged one), and returns their SHA-256.
func copyLog(ctx context.Context, w io.Writer, f *os.File, size int64) ([]byte, error) {
	if _, _, _, err := scanLog(f, size, filepath.Base(f.Name()), func(int64, []byte) error { return ctx.Err() }); err != nil {
		return nil, err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, h), &ctxReader{ctx: ctx, r: io.NewSectionReader(f, 0, size)}); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Backup writes a backup stream of the store to w while writers go on:
// the log as it stood when Backup began, then a trailer with its length
// and SHA-256. Restore reads it back.
func (d *Driver) Backup(ctx context.Context, w io.Writer) (BackupInfo, error) {
	f, size, n, err := d.snapshot("backup")
	if err != nil {
		return BackupInfo{}, err
	}
	defer f.Close()
	info := BackupInfo{Format: 1, Log: backupLog, Bytes: size, Records: n, Taken: time.Now().UTC()}
	sum, err := copyLog(ctx, w, f, size)
	if err != nil {
		return BackupInfo{}, &store.Error{Op: "backup", Err: err}
	}
	info.SHA256 = hex.EncodeToString(sum)
	trailer := binary.LittleEndian.AppendUint64([]byte(trailerMagic), uint64(size))
	if _, err := w.Write(append(trailer, sum...)); err != nil {
		return BackupInfo{}, &store.Error{Op: "backup", Err: err}
	}
	return info, nil
}

// BackupDir writes a backup of the store into the directory dest, which
// must not exist or be empty, while writers go on. The result is a store
// directory that Open accepts, with a BACKUP file that VerifyBackup
// checks. If BackupDir fails or the process dies, dest is not created.
func (d *Driver) BackupDir(ctx context.Context, dest string) (BackupInfo, error) {
	if err := emptyOrMissing(dest); err != nil {
		return BackupInfo{}, &store.Error{Op: "backup", Err: fmt.Errorf("to %s: %w", dest, err)}
	}
	f, size, n, err := d.snapshot("backup")
	if err != nil {
		return BackupInfo{}, err
	}
	defer f.Close()
	return backupDir(ctx, f, size, n, dest)
}

// BackupStore backs up the store in dir into the directory dest, as
// Driver.BackupDir does, without opening it: it works whether or not
// another process has the store open and writing. The log is only ever
// appended to, in whole frames each written at once, so its longest prefix
// of valid frames, read through a handle that a compaction replacing the
// file does not disturb, is the store as it stood at one instant.
func BackupStore(ctx context.Context, dir, dest string) (BackupInfo, error) {
	fail := func(err error) (BackupInfo, error) {
		return BackupInfo{}, &store.Error{Op: "backup", Err: fmt.Errorf("%s to %s: %w", dir, dest, err)}
	}
	if err := emptyOrMissing(dest); err != nil {
		return fail(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fail(err)
	}
	defer root.Close()
	name, _, err := liveLog(root)
	if err != nil {
		return fail(err)
	}
	f, err := root.Open(name)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	live := map[okey]bool{}
	var op rawOp
	op.skipAttrs = true
	good, err := livePrefix(ctx, f, name, func(off int64, payload []byte) error {
		for pos := 0; pos < len(payload); {
			n, err := decodeOp(payload[pos:], &op)
			if err != nil {
				return &CorruptError{File: name, Offset: off + frameHeaderLen + int64(pos), Reason: err.Error()}
			}
			if op.action == opPut {
				live[okey{string(op.kind), string(op.id)}] = true
			} else {
				delete(live, okey{string(op.kind), string(op.id)})
			}
			pos += n
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	return backupDir(ctx, f, good, len(live), dest)
}

// livePrefix returns the length of the longest prefix of valid frames of
// the log f, which another process may be appending to, passing each frame
// to visit. A frame that does not check may be one being written: it is
// read again, afresh, before it counts as the end, and damage (a bad frame
// with valid ones after it that Open would refuse) is told from a frame
// completed meanwhile by reading it once more.
func livePrefix(ctx context.Context, f *os.File, name string, visit func(off int64, payload []byte) error) (int64, error) {
	fresh := func() (*window, int64, error) {
		st, err := f.Stat()
		if err != nil {
			return nil, 0, err
		}
		return &window{f: f, size: st.Size()}, st.Size(), nil
	}
	w, size, err := fresh()
	if err != nil {
		return 0, err
	}
	legacy, err := logHeader(w, name)
	if err != nil {
		return 0, err
	}
	off := int64(len(fileMagic))
	retried := false
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if off >= size && !retried {
			if w, size, err = fresh(); err != nil {
				return 0, err
			}
			retried = true
			continue
		}
		var payload []byte
		var magic uint32
		var n int
		var why error
		if off < size {
			if payload, magic, n, why, err = readFrame(w, off); err != nil {
				return 0, err
			}
		} else {
			why = errShortFrame
		}
		if why == nil && magic == closeMagic {
			off += int64(n)
			retried = false
			continue
		}
		if why == nil {
			if err := visit(off, payload); err != nil {
				return 0, err
			}
			off += int64(n)
			retried = false
			continue
		}
		if !retried {
			if w, size, err = fresh(); err != nil {
				return 0, err
			}
			retried = true
			continue
		}
		// Twice bad: the end, unless it is damage.
		if off >= size {
			return off, nil
		}
		if zero, err := zeroFrom(f, off, size); err != nil || zero {
			return off, err
		}
		if _, _, err := classifyTail(f, size, name, off, why, legacy, Recovery{}); err != nil {
			var ce *CorruptError
			if !errors.As(err, &ce) {
				return 0, err
			}
			if w, size, err = fresh(); err != nil {
				return 0, err
			}
			if _, _, _, why, rerr := readFrame(w, off); rerr != nil || why != nil {
				return 0, ce
			}
			retried = false
			continue
		}
		return off, nil
	}
}

// backupDir writes the first size bytes of the log f, holding records
// records, as a backup directory dest.
func backupDir(ctx context.Context, f *os.File, size int64, records int, dest string) (BackupInfo, error) {
	fail := func(err error) (BackupInfo, error) {
		return BackupInfo{}, &store.Error{Op: "backup", Err: fmt.Errorf("to %s: %w", dest, err)}
	}
	parent := filepath.Dir(filepath.Clean(dest))
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".partial-")
	if err != nil {
		return fail(err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	info := BackupInfo{Format: 1, Log: backupLog, Bytes: size, Records: records, Taken: time.Now().UTC()}
	sum, err := writeSynced(filepath.Join(tmp, backupLog), func(w io.Writer) ([]byte, error) { return copyLog(ctx, w, f, size) })
	if err != nil {
		return fail(err)
	}
	info.SHA256 = hex.EncodeToString(sum)
	meta, _ := json.MarshalIndent(info, "", "  ")
	if _, err := writeSynced(filepath.Join(tmp, backupMarker), func(w io.Writer) ([]byte, error) {
		_, err := w.Write(append(meta, '\n'))
		return nil, err
	}); err != nil {
		return fail(err)
	}
	if err := syncPath(tmp); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fail(err)
	}
	done = true
	if err := syncPath(parent); err != nil {
		return fail(err)
	}
	return info, nil
}

// writeSynced creates the file path, lets fill write it, and syncs it.
func writeSynced(path string, fill func(io.Writer) ([]byte, error)) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	out, err := fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return out, err
}

// syncPath syncs a directory, making the creations and renames in it
// durable.
func syncPath(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// emptyOrMissing fails unless dir does not exist or is an empty directory.
func emptyOrMissing(dir string) error {
	names, err := readNames(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(names) > 0 {
		return fmt.Errorf("%w: %s holds %d file(s)", ErrNotEmpty, dir, len(names))
	}
	return nil
}

func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// VerifyBackup checks the backup directory dir: its BACKUP file, the log's
// length and SHA-256, and every frame and write of the log (as Verify).
func VerifyBackup(ctx context.Context, dir string) (BackupInfo, error) {
	var info BackupInfo
	bad := func(format string, args ...any) (BackupInfo, error) {
		return info, fmt.Errorf("file: backup %s: %w: %s", dir, ErrBadBackup, fmt.Sprintf(format, args...))
	}
	meta, err := os.ReadFile(filepath.Join(dir, backupMarker))
	if errors.Is(err, os.ErrNotExist) {
		return bad("no %s file: not a backup, or one that never finished", backupMarker)
	}
	if err != nil {
		return info, fmt.Errorf("file: backup %s: %w", dir, err)
	}
	if err := json.Unmarshal(meta, &info); err != nil || info.Format != 1 || info.Log != backupLog {
		return bad("%s file unreadable", backupMarker)
	}
	f, err := os.Open(filepath.Join(dir, info.Log))
	if err != nil {
		return info, fmt.Errorf("file: backup %s: %w", dir, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, &ctxReader{ctx: ctx, r: f})
	if err != nil {
		return info, fmt.Errorf("file: backup %s: %w", dir, err)
	}
	if n != info.Bytes || hex.EncodeToString(h.Sum(nil)) != info.SHA256 {
		return bad("the log is %d bytes with a checksum other than the %d bytes recorded", n, info.Bytes)
	}
	rep, _, err := verifyLog(ctx, f, n, info.Log)
	if err != nil {
		return info, fmt.Errorf("file: backup %s: %w", dir, err)
	}
	if !rep.OK() || rep.TornBytes > 0 {
		return bad("%s", rep)
	}
	return info, nil
}

// Restore writes the backup stream r (from Backup) into dir as a new
// store. dir must not be open (store.ErrLocked) and must hold nothing else
// (ErrNotEmpty); it is created if missing. The stream's trailer and every
// frame are checked before the log is put in place, so an incomplete or
// damaged stream (ErrBadBackup) leaves no store behind. If the process
// dies during a restore, dir holds only a temporary file, which Open
// deletes: an empty store, never a partial one; restore again.
func Restore(ctx context.Context, r io.Reader, dir string) (BackupInfo, error) {
	return restore(ctx, dir, func(w io.Writer) (int64, []byte, error) {
		h := sha256.New()
		n, tail, err := copyHoldingTail(ctx, io.MultiWriter(w, h), r, trailerLen)
		if err != nil {
			return 0, nil, err
		}
		sum := h.Sum(nil)
		if len(tail) < trailerLen || string(tail[:len(trailerMagic)]) != trailerMagic {
			return 0, nil, fmt.Errorf("%w: the stream ends without its trailer (cut short, or not a backup)", ErrBadBackup)
		}
		if binary.LittleEndian.Uint64(tail[len(trailerMagic):]) != uint64(n) || !bytes.Equal(tail[len(trailerMagic)+8:], sum) {
			return 0, nil, fmt.Errorf("%w: the stream's length or checksum does not match its trailer", ErrBadBackup)
		}
		return n, sum, nil
	})
}

// RestoreDir restores the backup directory src (from BackupDir) into dir,
// as Restore does a stream.
func RestoreDir(ctx context.Context, src, dir string) (BackupInfo, error) {
	info, err := VerifyBackup(ctx, src)
	if err != nil {
		return info, err
	}
	return restore(ctx, dir, func(w io.Writer) (int64, []byte, error) {
		f, err := os.Open(filepath.Join(src, info.Log))
		if err != nil {
			return 0, nil, err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), &ctxReader{ctx: ctx, r: f})
		if err != nil {
			return 0, nil, err
		}
		if sum := h.Sum(nil); n != info.Bytes || hex.EncodeToString(sum) != info.SHA256 {
			return 0, nil, fmt.Errorf("%w: %s changed while it was restored", ErrBadBackup, src)
		}
		return n, h.Sum(nil), nil
	})
}

// restore puts a log into the empty, locked dir: written by fill under a
// temporary name, synced, checked, then renamed into place.
func restore(ctx context.Context, dir string, fill func(io.Writer) (int64, []byte, error)) (BackupInfo, error) {
	var info BackupInfo
	fail := func(err error) (BackupInfo, error) {
		return BackupInfo{}, fmt.Errorf("file: restore into %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fail(err)
	}
	defer root.Close()
	lock, err := lockDir(root, dir)
	if err != nil {
		return BackupInfo{}, err
	}
	defer func() {
		unlockFile(lock, dir)
		lock.Close()
	}()
	names, err := readNames(dir)
	if err != nil {
		return fail(err)
	}
	for _, n := range names {
		if n != lockName {
			return fail(fmt.Errorf("%w: it holds %s; restore only into a new or empty directory", ErrNotEmpty, n))
		}
	}
	tmp := backupLog + tmpSuffix
	f, err := root.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fail(err)
	}
	ok := false
	defer func() {
		f.Close()
		if !ok {
			root.Remove(tmp)
		}
	}()
	n, sum, err := fill(f)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		return fail(err)
	}
	rep, _, err := verifyLog(ctx, f, n, backupLog)
	if err != nil {
		return fail(err)
	}
	if !rep.OK() || rep.TornBytes > 0 {
		return fail(fmt.Errorf("%w: %s", ErrBadBackup, rep))
	}
	if err := root.Rename(tmp, backupLog); err != nil {
		return fail(err)
	}
	ok = true
	if err := syncDir(root); err != nil {
		return fail(err)
	}
	info = BackupInfo{Format: 1, Log: backupLog, Bytes: n, SHA256: hex.EncodeToString(sum), Records: rep.Records, Taken: time.Now().UTC()}
	return info, nil
}

// copyHoldingTail copies r to w but for its last hold bytes, which it
// returns: the trailer of a stream whose length is not known in advance.
func copyHoldingTail(ctx context.Context, w io.Writer, r io.Reader, hold int) (int64, []byte, error) {
	buf := make([]byte, 0, 256<<10+hold)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if out := len(buf) - hold; out > 0 && (len(buf) == cap(buf) || err != nil) {
			if _, werr := w.Write(buf[:out]); werr != nil {
				return 0, nil, werr
			}
			n += int64(out)
			buf = buf[:copy(buf, buf[out:])]
		}
		if errors.Is(err, io.EOF) {
			return n, buf, nil
		}
		if err != nil {
			return 0, nil, err
		}
	}
}
