package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// RepairReport says what Repair kept and what it set aside.
type RepairReport struct {
	// From is the damaged log, now kept as Damaged; To is the new log.
	From, To, Damaged string
	Frames            int // valid frames kept
	Records           int // records the new log holds
	// Dropped lists the regions of From that were not kept, and DroppedTo
	// names the file holding their bytes, one after the other.
	Dropped   []Problem
	DroppedTo string
}

// Repair salvages a damaged store in dir, which must not be open: it keeps
// every valid frame of the live log whose writes all follow the rules, in
// order, in a new log generation, and sets aside the rest. Nothing is
// deleted: the bytes it drops go to a side file (DroppedTo), and the
// damaged log stays in the directory under another name (Damaged), which
// Open ignores.
//
// Salvage is a choice, never something Open does on its own: records after
// the damage may depend on ones lost in it (an update of a record whose
// creation is gone), and only the owner of the data can judge. Run Verify
// first to see what is wrong. A store with no damage is left as it is.
func Repair(ctx context.Context, dir string) (RepairReport, error) {
	var rep RepairReport
	root, err := os.OpenRoot(dir)
	if err != nil {
		return rep, fmt.Errorf("file: repair %s: %w", dir, err)
	}
	defer root.Close()
	lock, err := lockDir(root, dir)
	if err != nil {
		return rep, err
	}
	defer func() {
		unlockFile(lock, dir)
		lock.Close()
	}()
	wrap := func(err error) error { return fmt.Errorf("file: repair %s: %w", dir, err) }
	name, _, err := liveLog(root)
	if err != nil {
		return rep, wrap(err)
	}
	gen, _, _ := parseLogName(name)
	f, err := root.Open(name)
	if err != nil {
		return rep, wrap(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return rep, wrap(err)
	}
	rep.From = name

	// First pass: which frames are kept.
	type span struct{ off, end int64 }
	var keep []span
	var drop []span
	var op rawOp
	_, err = walkLog(f, st.Size(), name, func(off int64, payload []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := off + frameHeaderLen + int64(len(payload))
		for pos := 0; pos < len(payload); {
			n, err := decodeOp(payload[pos:], &op)
			if err == nil {
				err = checkOp(&op)
			}
			if err != nil {
				rep.Dropped = append(rep.Dropped, Problem{File: name, Offset: off, What: fmt.Sprintf("frame of %d bytes dropped: %v", end-off, err)})
				drop = append(drop, span{off, end})
				return nil
			}
			pos += n
		}
		keep = append(keep, span{off, end})
		return nil
	}, func(off, end int64, why error, torn bool) {
		what := fmt.Sprintf("%d bytes dropped: %v", end-off, why)
		if torn {
			what += " (a torn tail)"
		}
		rep.Dropped = append(rep.Dropped, Problem{File: name, Offset: off, What: what})
		drop = append(drop, span{off, end})
	})
	var ce *CorruptError
	if errors.As(err, &ce) && ce.Offset == 0 {
		return rep, wrap(fmt.Errorf("%w: nothing to salvage without a log header", err))
	}
	if err != nil {
		return rep, wrap(err)
	}
	if len(drop) == 0 {
		rep.To = name
		rep.Frames = len(keep)
		return rep, nil
	}

	// The dropped bytes go to a side file, synced before anything else
	// changes.
	rep.DroppedTo = name + ".dropped"
	out, err := root.OpenFile(rep.DroppedTo, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return rep, wrap(err)
	}
	for _, s := range drop {
		if _, err = io.Copy(out, io.NewSectionReader(f, s.off, s.end-s.off)); err != nil {
			break
		}
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, wrap(err)
	}
	// A second name for the damaged log, so that it outlives the new
	// generation superseding it.
	rep.Damaged = name + ".damaged"
	if err := root.Link(name, rep.Damaged); err != nil {
		return rep, wrap(err)
	}
	if err := syncDir(root); err != nil {
		return rep, wrap(err)
	}
	// The kept frames, as they were, into the next generation.
	lf, _, err := createLog(root, gen+1, nil, func(w logFile, size int64) (int64, error) {
		buf := make([]byte, 0, 1<<20)
		for _, s := range keep {
			b := buf[:s.end-s.off]
			if int64(cap(buf)) < s.end-s.off {
				b = make([]byte, s.end-s.off)
			}
			if _, err := f.ReadAt(b, s.off); err != nil {
				return 0, err
			}
			if _, err := w.WriteAt(b, size); err != nil {
				return 0, err
			}
			size += int64(len(b))
		}
		return size, nil
	})
	if err != nil {
		return rep, wrap(err)
	}
	lf.Close()
	rep.To = logName(gen + 1)
	rep.Frames = len(keep)
	// The old name goes now rather than at the next Open, so that the
	// directory reads plainly: the new log, the damaged one, the side file.
	if err := root.Remove(name); err == nil {
		syncDir(root)
	}
	nf, err := root.Open(rep.To)
	if err != nil {
		return rep, wrap(err)
	}
	defer nf.Close()
	nst, err := nf.Stat()
	if err != nil {
		return rep, wrap(err)
	}
	vr, _, err := verifyLog(ctx, nf, nst.Size(), rep.To)
	rep.Records = vr.Records
	if err != nil {
		return rep, wrap(err)
	}
	return rep, nil
}
