/**
 * The server's two clocks, and which rules follow which. Every function that defaults a time names
 * its clock (`now = stateClock.now()`, `nowMs = wallClock.nowMs()`); server and Edge code outside the
 * clock modules never reads Date.now() or new Date() itself (eslint.config.mjs). Durations
 * (performance.now()) are neither: they measure, they decide nothing.
 *
 * The WALL clock (`wallClock`, lib/edge/clock.ts: the system clock, always). Times that someone other
 * than this server's state judges, each with its own clock, which no test can move:
 *  - access tokens' `iat` and `exp` (jwt/sign.ts) and their check at the Edge and in Node
 *    (lib/edge/jwt/verify.ts): a resource server or a client compares them with its own clock
 *    (RFC 7519 §4.1.4, §4.1.6), so a token stamped from a moved clock would be refused as issued in the
 *    future, or live past its real expiry elsewhere. Lab tokens' expiry times likewise.
 *  - DPoP: a proof's `iat` comes from the client's clock and is checked within a window of ours
 *    (RFC 9449 §4.3, §11.1); nonces (§8), the replay records kept for that window (dpop/jti-store.ts,
 *    lib/edge/dpop/seen-proofs.ts) and their sweep.
 *  - the revoked-token denylist (jwt/denylist.ts): a row lives until the token's own `exp`.
 *  - rate limits per address or account (lib/server/rate-limit/): Redis expires their keys by its own
 *    clock, and the in-memory copy must agree with it.
 *  - operational timers: the store circuit breaker, the health probe's cache, the unseal memo (iron
 *    stamps a seal's expiry from the system clock), log lines, migration records, signing-key dates.
 *
 * The STATE clock (`stateClock`, here: the wall clock plus a test offset). Lifetimes of server-side
 * state that only this server judges, lasting minutes to months, which tests fast-forward instead of
 * sleeping through:
 *  - sessions: creation, last use, the idle and absolute timeouts (OWASP Session Management Cheat
 *    Sheet, "Session Expiration": enforced on the server), the Redis record's TTL, the cookie's Max-Age,
 *    and the cookie cache's snapshot age;
 *  - refresh-token families: the absolute lifetime, rotation and its reuse grace window (RFC 9700
 *    §4.14.2), and the per-family refresh budget, counted on the family's row with its other times;
 *  - tombstones, audit event timestamps and their retention, and the maintenance sweep of all of these.
 * A refresh moves both: the family's times by the state clock, the new access token's by the wall clock.
 *
 * In production the two clocks are one: the offset exists only with AUTHLAB_ENV=test and
 * AUTHLAB_TEST_CLOCK_FILE set (lib/edge/config.ts refuses that file in any other mode); otherwise no file
 * is ever looked at. In a test server the file holds the milliseconds to add, and the offset is:
 *  - read at the first use of the state clock, and again only when the file has changed. Each use
 *    asks the file's metadata (one stat call: inode, size, modification time), never its contents.
 *  - seen by the very next use after a change. The test writes the file synchronously before it sends
 *    its next request, and the stat is a synchronous question to the same kernel, so the request sees
 *    the new offset: no waiting, no acknowledgement, nothing to race. (A file watcher would not do:
 *    its event reaches the event loop some time later, possibly after the request it was meant for.)
 *  - unambiguous: the writer (tests/helpers/clock-file.ts) renames a complete new file into place, so no
 *    half-written version is ever read, and stamps each version with a modification time no earlier
 *    version had — two versions written within one tick of the filesystem's timestamps (several
 *    milliseconds on Linux), with the same size and a recycled inode, would otherwise look alike.
 */
import "server-only";
import { readFileSync, statSync } from "node:fs";
import { wallClock, type Clock } from "@/lib/edge/clock";

export { wallClock, type Clock } from "@/lib/edge/clock";

/**
 * Read from the environment directly rather than through config(): the stores run without a full
 * configuration in their contract tests. config() refuses the variable outside AUTHLAB_ENV=test.
 */
function testClockFile(): string | null {
  return process.env.AUTHLAB_ENV === "test" ? process.env.AUTHLAB_TEST_CLOCK_FILE || null : null;
}

interface Offset {
  /** The file's identity and version as stat reports them; "" while there is no file. */
  version: string;
  ms: number;
}

/** undefined: not looked at yet; null: no test clock in this process (production). */
let file: string | null | undefined;
let offset: Offset = { version: "", ms: 0 };

function versionOf(path: string): string {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}` : "";
}

function readOffsetMs(path: string): number {
  try {
    const ms = Number(readFileSync(path, "utf8").trim());
    return Number.isFinite(ms) ? ms : 0;
  } catch {
    return 0;
  }
}

function testOffsetMs(): number {
  if (file === undefined) file = testClockFile();
  if (file === null) return 0;
  const version = versionOf(file);
  // The version is taken before the read: a change landing in between reads as a change next time too.
  if (version !== offset.version) offset = { version, ms: version === "" ? 0 : readOffsetMs(file) };
  return offset.ms;
}

export const stateClock: Clock = {
  nowMs: () => wallClock.nowMs() + testOffsetMs(),
  now: () => new Date(stateClock.nowMs()),
};
