/**
 * Writes a test server's clock offset (AUTHLAB_TEST_CLOCK_FILE) the way lib/server/clock.ts expects:
 * a complete new file renamed into place, stamped with a modification time no earlier version had.
 * The server compares the file's metadata on each use of its state clock, so once this returns, the
 * next request the test sends sees the new offset.
 */
import { renameSync, utimesSync, writeFileSync } from "node:fs";

/** Seconds since the epoch, one more per version written by this process: never the same twice. */
let stamp = 0;

export function writeClockOffset(file: string, offsetMs: number): void {
  stamp += 1;
  const next = `${file}.next`;
  writeFileSync(next, String(offsetMs));
  utimesSync(next, stamp, stamp);
  renameSync(next, file);
}
