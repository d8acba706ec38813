/**
 * How authlab's SQLite connections are set up to stay flat as the file grows to a million sessions
 * (bench/README.md, "Growth"):
 *
 * - `mmap_size`: reads come straight from the page cache of the operating system instead of being
 *   copied into SQLite's own (sqlite.org/mmap.html). The documented risk is that an I/O error on a mapped
 *   page (a failing disk, a file truncated by another process) is a SIGBUS instead of an error code; for
 *   a local file only this application writes, that is the trade SQLite's own docs describe as safe.
 * - `cache_size`: a page cache big enough for the B-tree's inner pages at that size.
 * - `wal_autocheckpoint = 0` on the writing connection: SQLite otherwise checkpoints inside whichever
 *   commit pushes the WAL past 1000 pages — on the event loop, in the middle of a request or a sweep. The
 *   checkpoints run on a thread of their own instead (sqlite-checkpointer.ts), which falls back to
 *   SQLite's automatic checkpoints if it stops.
 */
import "server-only";

export const SQLITE_MMAP_BYTES = 256 * 1024 * 1024;
/** Negative: KiB (sqlite.org/pragma.html#pragma_cache_size). */
export const SQLITE_CACHE_KIB = 32 * 1024;

/** For every connection: the read path. */
export const READ_PRAGMAS = [`mmap_size = ${SQLITE_MMAP_BYTES}`, `cache_size = -${SQLITE_CACHE_KIB}`];

/** For the writing connection, once the checkpointer runs. */
export const NO_AUTO_CHECKPOINT = "wal_autocheckpoint = 0";
/** SQLite's default, restored if the checkpointer stops. */
export const AUTO_CHECKPOINT_PAGES = 1000;
