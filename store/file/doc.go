// Package file is cxkit's embedded storage: a store.Driver that keeps its
// records in one directory, safe to kill at any instant, with no server and
// no dependency beyond the standard library.
//
//	d, err := file.Open("/var/lib/myapp/cxkit")
//	if err != nil { ... }           // store.ErrLocked: another process has it
//	defer d.Close()
//	complaints := store.NewCollection[Complaint](d, "complaint", index)
//
// The driver implements store.Driver, store.Counter (grouped counts from
// memory, without reading bodies) and store.Batcher (atomic batches across
// kinds), and passes the store/storetest conformance suite.
//
// # Layout on disk
//
// A directory holds:
//
//	LOCK             the lock file (empty; see Locking)
//	data-000001.log  the log: every write, appended, of every kind
//	index.ckpt       the index as of an offset of the log (see Checkpoints)
//
// and, only while a compaction runs, data-000002.log.tmp. All files are
// opened through an os.Root on the directory, so no path, symlink or ".."
// can make the driver touch a file outside it; record kinds and IDs never
// become file names.
//
// There is one log for all kinds rather than one per kind: a batch across
// kinds is then one frame in one file, atomic by construction; a group
// commit is one write and one fsync however many kinds it touches; and the
// number of open files and fsyncs does not grow with the number of kinds.
//
// # Frame format
//
// The log starts with the 8 bytes "cxkitlg\x02" (format version 2), then
// frames. A frame is one commit: all the writes of one group commit,
// possibly from several callers, each caller's writes all in it or not.
//
//	frame  = magic u32 ("CxS1" | "CxF1") | length u32 | crc u32 | op...
//	op     = length u32 | crc u32 | action u8 | flags u8 | kind | id | version
//	         [ created | updated | nattrs | (name value)... | body ]  (puts only)
//
// Integers in headers are little-endian; kind, id, names, values and body
// are uvarint-length-prefixed; version and nattrs are uvarints; created
// and updated are varint Unix microseconds (times are stored in UTC to the
// microsecond). The frame CRC (CRC-32C, Castagnoli) covers magic, length
// and ops; each op carries its own CRC-32C too, so that a Get, which reads
// only one op, still detects damage. The flags keep a nil Attrs or Body
// apart from an empty one.
//
// The magic says how the frame was written: "CxS1" only after everything
// before it in the file was synced (the default durability mode, and
// compaction), "CxF1" perhaps before (the relaxed modes). Recovery relies
// on it: damage followed by a valid "CxS1" frame was on disk whole, so it
// is corruption and Open refuses it, never a torn tail to cut off. Close
// appends a close mark, a frame of magic "CxC1" holding no writes, once
// everything before it is synced, so that the last frame of a store closed
// cleanly is followed by a valid frame too. Logs of format version 1 (all
// "CxF1", no close mark) are read and appended to as such.
//
// # Durability
//
// By default a write is acknowledged only after its frame is written and
// fsynced: an acknowledged write survives a process crash, an operating
// system crash and a power loss. Concurrent writers are grouped: one
// goroutine commits every waiting request in one frame with one write and
// one fsync, so concurrent writers share fsyncs (sixteen writers put about
// ten writes in each, in the tests). When fewer requests wait than joined
// the last group, the committer lingers for a fraction of an fsync's
// duration to let the writers it just answered come back.
//
// The log file is kept up to 1 MiB longer than its frames, the space ahead
// filled with zeros, and commits are synced with fdatasync on Linux
// (os.File.Sync elsewhere): a sync after a write that grows a file, or
// that must record a new modification time, commits a transaction of the
// file system's journal, while fdatasync after a write into space already
// written flushes only the data blocks. On ext4 that makes a single
// writer's durable write about twice as fast. Close trims the zeros;
// recovery treats zeros up to the end of the file as free space.
//
// WithSyncInterval relaxes this. With an interval d > 0, writes are
// acknowledged once written to the operating system and synced within d;
// with d < 0, only on Close and Compact. In both, a process crash loses
// nothing acknowledged (the data is in the kernel's page cache); an OS
// crash or power loss may lose the writes acknowledged since the last sync
// (at most about d in the interval mode), never more, and never leaves a
// half-written record: recovery drops the torn tail.
//
// If a write or an fsync fails, the driver turns read-only for good: every
// later write fails with an error wrapping store.ErrReadOnly and the
// original cause, and fsync is never retried. After a failed fsync Linux
// may have dropped the dirty pages and cleared the error ("fsyncgate"), so
// a retry could succeed without the data being on disk. Reads go on;
// reopening recovers from what the disk really holds. A write that failed
// this way was not acknowledged and may or may not be present after the
// reopen.
//
// # Recovery
//
// Open reads the log once, sequentially, in 4 MiB reads, checking every
// frame's CRC and rebuilding the in-memory index (an op's own CRC is
// checked when it is read, not at Open: the frame's covers it). Then:
//
//   - A bad last frame that bears the mark of an unfinished append (the
//     file ends inside it, it ends in a zero byte, or a sector's share of
//     it is still zeros) is a torn tail: the write a crash interrupted,
//     never acknowledged. Its bytes are copied to a side file
//     (data-000001.log.torn-<offset>, synced), then cut off (truncate,
//     fsync) and reported by Recovery: which file, from which offset, how
//     many bytes and frames, why, and the side file.
//   - Any other bad frame is damage: a complete last frame whose checksum
//     fails, or a bad frame followed by a valid synced frame (which proves
//     the bad one had been on disk whole). Open refuses with a
//     *CorruptError (errors.Is ErrCorrupt) naming the file and offset and
//     changes nothing on disk. The one exception is a bad region holding a
//     zeroed 512-byte sector followed only by relaxed frames: in the
//     relaxed modes unsynced writes may reach the disk out of order, so
//     that is pages an operating system crash lost, and the tail too.
//   - A record that no write could have stored (a kind, ID or attribute
//     breaking the rules of driverkit.CheckRecord) is damage as well.
//   - Only once the newest generation has been read whole does Open delete
//     the leftovers of an interrupted compaction (a .tmp file, or an older
//     generation next to the newer complete one), and report them. If the
//     newest is damaged, the older one stays.
//
// Salvaging the records after damage is a choice, not something Open does:
// Repair keeps every valid frame, writes the bytes it drops to a side
// file, and keeps the damaged log under another name. Verify checks a
// store without changing it.
//
// A record whose bytes are damaged after Open is reported by the Get or
// List that reads it, with ErrCorrupt; no read returns data whose checksum
// does not match.
//
// # Locking
//
// Open takes an exclusive flock(2) on LOCK, without waiting: a second
// process, or a second Open in the same process, fails at once with an
// error wrapping store.ErrLocked. The kernel releases the lock when the
// process dies, so a crash never leaves a stale lock. On systems without
// flock (not Linux or the BSDs) the lock only excludes Opens within one
// process.
//
// # Compaction
//
// Updates and deletes leave garbage: the old versions stay in the log.
// Compact writes the live records into the next generation and drops the
// old one, crash-safely: write data-N+1.log.tmp, fsync it, rename it to
// data-N+1.log, fsync the directory, switch, remove data-N.log. A crash at
// any step leaves a directory that opens to the same records. The driver
// compacts in the background once the log is larger than 64 MiB and more
// than half of it is garbage (WithAutoCompact). Reads and writes go on
// while a compaction copies the records; writers pause only to let it note
// what to copy, to copy what they wrote meanwhile and switch to the new
// file, and to copy the index for its checkpoint (see compact.go).
//
// # Checkpoints
//
// Close, each compaction, and a background task whenever the log has grown
// by half (64 MiB at least) save the index to index.ckpt, with the
// generation and log offset it covers. Open decodes the checkpoint (on a
// second goroutine) while it reads the log to check every frame's
// checksum, and decodes and indexes only the frames after that offset: a
// pass of CRCs over the log instead of parsing every record, about a tenth
// of the cost. Open uses a checkpoint only if its checksum, format,
// generation and covered offset, the log's header, the log's last 4 KiB
// before that offset and the frame boundary at it all check out;
// otherwise it replays the whole log, as without one.
//
// # Memory and limits
//
// The index holds, per record, the ID, version and the record's place in
// the log, and its attributes in columns, one per attribute name of its
// kind: one byte per record for an attribute of up to 255 distinct values
// (codes into the column's own dictionary), two up to 65,535, and four
// (the value's intern code) beyond. It holds no pointers per record:
// entries sit in chunks of a few thousand and refer to their ID by chunk
// and offset in an arena; each kind keeps its entries' slot numbers sorted
// by ID (for paging) and an open-addressing hash table of slot numbers
// (for lookups); interned strings lie in an arena with a hash table of
// codes. The garbage collector therefore scans a few chunk headers, not
// several pointers per record, so the collections that reads trigger stay
// cheap however large the index. Memory grows with the number of records
// and their attributes, not with their bodies, which stay on disk: about
// 136 bytes a record for a million complaints with fourteen attributes, a
// received time unique to each among them (144 with the range index on
// it). The IDs of deleted records stay in the arena until a compaction
// finds them to be most of it and repacks the index. Counts and filters run
// on the index alone.
//
// A count or list that filters a kind of more than 2,048 records by a
// range of an attribute (store.Between on a received time, say) builds a
// range index of that attribute the first time, keeps it up to date on
// every write and saves it in the checkpoint: the period's records are
// then found without walking the kind's history.
//
// Get and List copy records out of a read-only, shared memory map of the
// log (remapped when the log outgrows it, and on compaction), so a read
// costs no system call; where mmap is not available they use pread. List
// copies the records of a page that lie close together in the log in one
// go and checks each record's checksum in that copy; the bodies of such
// records share the copy (see List). The bytes handed out are never the
// mapping itself.
//
// Limits, by design: one process at a time; the index must fit in memory;
// a process that ignores the lock and truncates the log under an open
// Driver makes its reads fault (SIGBUS), as with any mmap-based store;
// interned attribute values are kept until the driver is closed, even when
// no record uses them any more (fine for statuses and categories, costly
// for attributes that are unique per record); a compaction copies every
// live record, and pauses writers for the moments described above; an
// insert or delete of an ID
// that does not sort last moves part of its kind's sorted ID slice
// (memmove of 4 bytes per later record), cheap for ULIDs, which arrive in
// order; a frame holds at most 1 GiB, so does a batch.
//
// # Tests
//
// Beyond the conformance suite, the package tests recovery from a cut at
// every byte of the last frame, zeroed tails, bit flips, failing fsyncs and
// short writes (through an internal seam on the log file), the lock from a
// second process, path escapes, compaction and remapping under concurrent
// load, and random operations against the memory driver across reopens; fuzz
// targets check that no damaged input makes the decoder panic or return a
// record that was not written. The crash harness re-executes the test
// binary as a child that writes and prints what was acknowledged, SIGKILLs
// it at random moments and checks every acknowledged write after reopening:
//
//	go test ./store/file -run TestCrashLoop -crash.kills=1000
//
// The result of the last long run is in BENCHMARKS.md, section "store/file
// crash loop".
package file
