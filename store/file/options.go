package file

import "time"

// An Option configures Open.
type Option func(*config)

type config struct {
	syncInterval time.Duration // 0: sync before every acknowledgement
	compactRatio float64       // 0: no background compaction
	compactMin   int64
	wrap         func(logFile) logFile // tests: fault injection
	compactHook  func(phase string)    // tests: called as compaction moves on
	ckptGrowth   int64                 // least log growth between checkpoints
}

func defaultConfig() config {
	return config{compactRatio: 0.5, compactMin: 64 << 20, ckptGrowth: ckptMinGrowth}
}

// WithSyncInterval trades durability for write speed.
//
// By default (and with d == 0) every write is acknowledged only after the
// log has been fsynced: an acknowledged write survives a process crash, an
// operating system crash and a power loss.
//
// With d > 0 a write is acknowledged once it has been handed to the
// operating system (written to the log file), and the log is fsynced at
// most d later, in the background. A crash of the process loses nothing
// acknowledged; an operating system crash or a power loss may lose the
// writes of the last d or so (those not yet synced), never more, and never
// leaves a half-written record visible: recovery drops the torn tail.
//
// With d < 0 the driver never syncs on its own but on Close and Compact,
// leaving the timing to the operating system (typically up to 30 s on
// Linux). A process crash still loses nothing acknowledged.
//
// If a background sync fails, the driver turns read-only as it does after a
// failed synchronous one.
func WithSyncInterval(d time.Duration) Option {
	return func(c *config) { c.syncInterval = d }
}

// WithAutoCompact sets when the driver compacts in the background: once the
// log is larger than minBytes and more than ratio of it is garbage (old
// versions and deleted records). ratio <= 0 turns background compaction off;
// Compact still works. The default is 0.5 and 64 MiB.
func WithAutoCompact(ratio float64, minBytes int64) Option {
	return func(c *config) { c.compactRatio, c.compactMin = ratio, minBytes }
}

// withFileWrapper lets tests put a faulty file between the driver and the
// disk. It wraps every log file the driver opens or creates.
func withFileWrapper(wrap func(logFile) logFile) Option {
	return func(c *config) { c.wrap = wrap }
}

// withCompactHook lets tests follow (and slow) a compaction: hook is called
// with "copy", "tail", "switch", "renamed" and "checkpoint" as it reaches
// each step.
func withCompactHook(hook func(phase string)) Option {
	return func(c *config) { c.compactHook = hook }
}

// withCheckpointGrowth lets tests have checkpoints written after a little
// growth of the log.
func withCheckpointGrowth(n int64) Option {
	return func(c *config) { c.ckptGrowth = n }
}
