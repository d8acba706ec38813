/**
 * The state clock's test offset (lib/server/clock.ts): read at first use, read again only when the file
 * changes, and a change is seen by the very next reading — what lets an integration test move a
 * server's clock and send a request straight after. The wall clock never moves; production never
 * looks at the file.
 */
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { writeClockOffset } from "../helpers/clock-file";

const T0 = Date.UTC(2030, 0, 1);

let directory: string;
let file: string;

/** A fresh copy of the module, as a newly started server has: nothing read yet. */
async function freshClocks(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return import("@/lib/server/clock");
}

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), "authlab-clock-unit-"));
  file = path.join(directory, "offset-ms");
  // Date only: the wall clock stands still at T0, so every reading below is exact.
  vi.useFakeTimers({ now: T0, toFake: ["Date"] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  rmSync(directory, { recursive: true, force: true });
});

describe("the state clock in a test server", () => {
  it("adds the file's offset and sees each new one at the very next reading; the wall clock stays", async () => {
    writeClockOffset(file, 0);
    const { stateClock, wallClock } = await freshClocks({ AUTHLAB_ENV: "test", AUTHLAB_TEST_CLOCK_FILE: file });
    expect(stateClock.nowMs()).toBe(T0);

    // Offsets of one length, back to back: only the file's version tells them apart.
    for (const offset of [20_000, 61_000, 50_000, 31_000, 20_000]) {
      writeClockOffset(file, offset);
      expect(stateClock.nowMs()).toBe(T0 + offset);
      expect(stateClock.now()).toEqual(new Date(T0 + offset));
      expect(wallClock.nowMs()).toBe(T0);
    }

    // Versions written with no reading in between: the last one counts.
    writeClockOffset(file, 90_000);
    writeClockOffset(file, 10_000);
    expect(stateClock.nowMs()).toBe(T0 + 10_000);
  });

  it("reads the file's contents only when the file has changed, not on every reading", async () => {
    writeClockOffset(file, 20_000);
    const { stateClock } = await freshClocks({ AUTHLAB_ENV: "test", AUTHLAB_TEST_CLOCK_FILE: file });
    expect(stateClock.nowMs()).toBe(T0 + 20_000);

    // Other contents under the very same metadata (inode, size, modification time): a reading that
    // went to the contents would see 30 000; the clock keeps what it read.
    const before = statSync(file);
    writeFileSync(file, "30000");
    utimesSync(file, before.atime, before.mtime);
    expect(stateClock.nowMs()).toBe(T0 + 20_000);

    writeClockOffset(file, 30_000);
    expect(stateClock.nowMs()).toBe(T0 + 30_000);
  });

  it("counts no offset while the file is missing or does not hold a number", async () => {
    writeClockOffset(file, 5_000);
    const { stateClock } = await freshClocks({ AUTHLAB_ENV: "test", AUTHLAB_TEST_CLOCK_FILE: file });
    expect(stateClock.nowMs()).toBe(T0 + 5_000);
    rmSync(file);
    expect(stateClock.nowMs()).toBe(T0);
    writeFileSync(file, "soon");
    expect(stateClock.nowMs()).toBe(T0);
  });
});

describe("the state clock outside a test server", () => {
  it("is the wall clock, whatever file is named", async () => {
    writeClockOffset(file, 5_000);
    const { stateClock, wallClock } = await freshClocks({ AUTHLAB_ENV: "production", AUTHLAB_TEST_CLOCK_FILE: file });
    expect(stateClock.nowMs()).toBe(T0);
    expect(stateClock.nowMs()).toBe(wallClock.nowMs());
  });
});
