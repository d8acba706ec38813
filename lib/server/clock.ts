/**
 * The server's clock for session and refresh-token lifetimes. In production it is the system clock.
 *
 * Tests of time rules (idle and absolute timeouts, the sweep) move a test server's clock forward
 * instead of sleeping: with AUTHLAB_ENV=test and AUTHLAB_TEST_CLOCK_FILE set (lib/edge/config.ts
 * refuses that file in any other mode), the number of milliseconds written in the file is added.
 */
import "server-only";
import { readFileSync } from "node:fs";

function testOffsetMs(file: string): number {
  try {
    const offset = Number(readFileSync(file, "utf8").trim());
    return Number.isFinite(offset) ? offset : 0;
  } catch {
    return 0;
  }
}

/**
 * Read from the environment directly rather than through config(): the stores run without a full
 * configuration in their contract tests. config() refuses the variable outside AUTHLAB_ENV=test.
 */
function testClockFile(): string | null {
  return process.env.AUTHLAB_ENV === "test" ? process.env.AUTHLAB_TEST_CLOCK_FILE || null : null;
}

export function nowMs(): number {
  const file = testClockFile();
  return file ? Date.now() + testOffsetMs(file) : Date.now();
}

export function now(): Date {
  return new Date(nowMs());
}
