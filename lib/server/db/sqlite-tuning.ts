/**
 * How authlab's SQLite connections are set up beyond WAL and synchronous=NORMAL (client.ts).
 *
 * - `wal_autocheckpoint = 0` on the writing connection: SQLite otherwise checkpoints inside whichever
 *   commit pushes the WAL past 1000 pages — on the event loop, in the middle of a request or a sweep.
 *   The checkpoints run on a thread of their own instead (sqlite-checkpointer.ts), which hands them back
 *   to SQLite if it stops or the WAL outgrows its cap.
 *
 * Tried and left out, measured with `npm run bench -- --growth` at 10^6 sessions on the 2-core VM the
 * bench README describes: `mmap_size = 256 MiB` with `cache_size = 32 MiB` made the session read's p50
 * slower (48–63 µs against 24 µs with SQLite's defaults: each first touch of a mapped page is a page
 * fault, dear in this VM), and the larger page cache alone did not help either (36 µs).
 */
import "server-only";

/** For the writing connection, once the checkpointer runs. */
export const NO_AUTO_CHECKPOINT = "wal_autocheckpoint = 0";
/** SQLite's default, restored if the checkpointer stops or the WAL outgrows its cap. */
export const AUTO_CHECKPOINT_PAGES = 1000;
