package file

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// logFile is the seam between the driver and the log file on disk: all the
// driver does to a log goes through it, so tests can wrap it to fail a sync
// or cut a write short.
type logFile interface {
	io.ReaderAt
	io.WriterAt
	Sync() error
	Truncate(size int64) error
	Close() error
}

// Names inside the directory. Only these are ever opened, all through an
// os.Root; neither kinds nor IDs become file names.
const (
	lockName  = "LOCK"
	logPrefix = "data-"
	logSuffix = ".log"
	tmpSuffix = ".tmp"
)

// logName is the file of log generation gen. Compaction writes generation
// gen+1; the highest complete generation is the live log.
func logName(gen uint64) string { return fmt.Sprintf("%s%06d%s", logPrefix, gen, logSuffix) }

// parseLogName returns the generation of a log file name, or ok false for
// any other name. tmp reports a compaction's unfinished temporary file.
func parseLogName(name string) (gen uint64, tmp, ok bool) {
	if s, found := strings.CutSuffix(name, tmpSuffix); found {
		name, tmp = s, true
	}
	s, found := strings.CutPrefix(name, logPrefix)
	if !found {
		return 0, false, false
	}
	s, found = strings.CutSuffix(s, logSuffix)
	if !found || s == "" {
		return 0, false, false
	}
	gen, err := strconv.ParseUint(s, 10, 64)
	if err != nil || gen == 0 {
		return 0, false, false
	}
	return gen, tmp, true
}

// syncDir makes renames, creations and removals in the directory durable:
// without it a rename may be lost on power failure even though the file's
// own data was synced.
func syncDir(root *os.Root) error {
	d, err := root.Open(".")
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// createLog writes a new log generation crash-safely: header (and contents,
// via fill) into a temporary file, sync, rename, sync the directory. A crash
// at any step leaves either no file of that generation or a complete one;
// Open removes leftover temporary files.
func createLog(root *os.Root, gen uint64, wrap func(logFile) logFile, fill func(f logFile, size int64) (int64, error)) (f logFile, size int64, err error) {
	tmp := logName(gen) + tmpSuffix
	of, err := root.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, 0, err
	}
	var lf logFile = of
	if wrap != nil {
		lf = wrap(lf)
	}
	f = lf
	defer func() {
		if err != nil {
			lf.Close()
			root.Remove(tmp)
		}
	}()
	if _, err = f.WriteAt([]byte(fileMagic), 0); err != nil {
		return nil, 0, err
	}
	size = int64(len(fileMagic))
	if fill != nil {
		if size, err = fill(f, size); err != nil {
			return nil, 0, err
		}
	}
	if err = f.Sync(); err != nil {
		return nil, 0, err
	}
	if err = root.Rename(tmp, logName(gen)); err != nil {
		return nil, 0, err
	}
	// Errors of a file name the path it was opened by: reopen the log by
	// its final name, so that a failure later says data-000002.log, the
	// file that exists, not the .tmp that no longer does.
	final, err := root.OpenFile(logName(gen), os.O_RDWR, 0)
	if err != nil {
		return nil, 0, err
	}
	of.Close()
	lf = final
	if wrap != nil {
		lf = wrap(lf)
	}
	f = lf
	// From here the new generation is visible; a failed directory sync means
	// we cannot know whether it will survive, so the caller must not append
	// to it (it turns read-only or fails Open).
	if err = syncDir(root); err != nil {
		return nil, 0, fmt.Errorf("sync directory after creating %s: %w", logName(gen), err)
	}
	return f, size, nil
}
