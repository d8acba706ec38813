/**
 * The server's SQLite checkpoints its WAL on a thread of its own, and if that thread is lost, SQLite's
 * automatic checkpoints come back, so the WAL never grows without bound.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startCheckpointer } from "@/lib/server/db/sqlite-checkpointer";

const dir = mkdtempSync(path.join(tmpdir(), "authlab-checkpoint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.env.TEST_DATABASE === "postgresql")("the WAL checkpoint thread", () => {
  it("checkpoints what a connection without automatic checkpoints writes", async () => {
    const file = path.join(dir, "wal.db");
    const writer = new Database(file);
    writer.pragma("journal_mode = WAL");
    writer.pragma("wal_autocheckpoint = 0");
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
    const insert = writer.prepare("INSERT INTO t (body) VALUES (?)");
    writer.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run("x".repeat(200));
    })();
    const framesBefore = (writer.pragma("wal_checkpoint(PASSIVE)", { simple: false }) as { log: number }[])[0]!.log;
    expect(framesBefore).toBeGreaterThan(0);
    // Appended again, so the thread has something to copy that nobody else checkpointed.
    writer.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run("y".repeat(200));
    })();
    const sizes: number[] = [];
    const checkpointer = startCheckpointer(
      file,
      () => sizes.push(-1),
      (walBytes) => sizes.push(walBytes),
    );
    try {
      await expect.poll(() => sizes.length, { timeout: 10_000, interval: 100 }).toBeGreaterThan(0);
      expect(sizes).not.toContain(-1);
      // Everything in the WAL reached the database file: a later checkpoint finds nothing left to copy.
      const [after] = writer.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
      expect(after!.checkpointed).toBe(after!.log);
      expect(statSync(file).size).toBeGreaterThan(10000 * 200);
    } finally {
      await checkpointer.stop();
      writer.close();
    }
  });

  it("when a reader holds the WAL back past the cap, checkpoints go back to SQLite, without blocking the writer", async () => {
    const file = path.join(dir, "held.db");
    const writer = new Database(file);
    writer.pragma("journal_mode = WAL");
    writer.pragma("wal_autocheckpoint = 0");
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
    const insert = writer.prepare("INSERT INTO t (body) VALUES (?)");
    // A reader in the middle of a transaction: the frames written after its snapshot cannot be copied.
    const reader = new Database(file);
    reader.exec("BEGIN");
    reader.prepare("SELECT COUNT(*) FROM t").get();
    writer.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run("z".repeat(200));
    })();
    let lost = 0;
    const checkpointer = startCheckpointer(
      file,
      () => lost++,
      () => {},
      64 * 1024,
    );
    try {
      await expect.poll(() => lost, { timeout: 10_000, interval: 50 }).toBe(1);
      // The writer was never blocked: with no busy wait at all, it still commits, the reader still open.
      writer.pragma("busy_timeout = 0");
      expect(() => insert.run("after")).not.toThrow();
    } finally {
      await checkpointer.stop();
      reader.exec("COMMIT");
      reader.close();
      writer.close();
    }
  });

  it("a thread that cannot work is reported lost, once, for the caller to restore automatic checkpoints", async () => {
    let lost = 0;
    const checkpointer = startCheckpointer(path.join(dir, "no-such-dir", "x.db"), () => lost++);
    await expect.poll(() => lost, { timeout: 10_000, interval: 50 }).toBe(1);
    await checkpointer.stop();
    expect(lost).toBe(1);
  });
});
