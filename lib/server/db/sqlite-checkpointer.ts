/**
 * WAL checkpoints for the SQLite file on a thread of their own (sqlite.org/wal.html#ckpt: "an
 * application can turn off automatic checkpoints and run them in a separate thread"): every second a
 * PASSIVE checkpoint copies what it can without waiting for readers or writers. Nothing here runs on the
 * event loop, so no request waits for a checkpoint.
 *
 * No RESTART or FULL checkpoint: those wait for writers to finish and block new ones, and the server's
 * writers run on the event loop (better-sqlite3 is synchronous), so a blocked writer is a stalled
 * process. The safety net instead: if the frames the checkpoints could not copy stay past WAL_CAP_BYTES
 * and stop shrinking for STUCK_CHECKPOINTS checkpoints in a row (a reader that never lets go, or writes
 * faster than a checkpoint a second can copy), the thread stops and the caller hands checkpoints back to
 * SQLite, as it does when the thread fails or exits. Either way the WAL cannot grow without bound. A
 * burst of writes that one checkpoint could not keep up with does not trip it while the next ones catch
 * up: with a one-checkpoint rule the growth bench's bulk fill did, and its sweep was then measured on
 * SQLite's own in-commit checkpoints instead of this thread (bench/README.md, "Growth").
 *
 * The thread is an eval'd worker (no separate bundle entry: Next bundles this module, not the worker)
 * with its own better-sqlite3 connection.
 */
import "server-only";
import { Worker } from "node:worker_threads";
import { log } from "@/lib/server/log";
import { SQLITE_BUSY_TIMEOUT_MS } from "@/lib/server/db/sqlite-path";

export const CHECKPOINT_INTERVAL_MS = 1000;
export const WAL_CAP_BYTES = 64 * 1024 * 1024;
export const STUCK_CHECKPOINTS = 3;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
const pageSize = db.pragma("page_size", { simple: true });
const checkpoint = () => {
  try {
    const [row] = db.pragma("wal_checkpoint(PASSIVE)");
    const behindBytes = row && row.log > 0 ? (row.log - row.checkpointed) * pageSize : 0;
    let size = 0;
    try { size = fs.statSync(workerData.file + "-wal").size; } catch {}
    parentPort.postMessage({ walBytes: size, behindBytes });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message === "stop") { clearInterval(timer); checkpoint(); db.close(); process.exit(0); }
});
`;

interface CheckpointMessage {
  error?: string;
  walBytes?: number;
  /** What the checkpoint could not copy (a reader still needs it). */
  behindBytes?: number;
}

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Starts the checkpoint thread for `file`. `onLost` runs once if the thread fails or exits unasked:
 * the caller turns automatic checkpoints back on.
 */
export function startCheckpointer(
  file: string,
  onLost: () => void,
  /** Each finished checkpoint: the WAL's size after it (tests watch this; nothing else needs it). */
  onCheckpoint: (walBytes: number) => void = () => {},
  walCapBytes = WAL_CAP_BYTES,
): Checkpointer {
  const stuck = walStuckMeter(walCapBytes);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      // Resolved by the worker from the working directory, as the server itself resolves its packages.
      driver: "better-sqlite3",
      busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  });
  let stopping = false;
  let lost = false;
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const loseOnce = (why: unknown) => {
    if (stopping || lost) return;
    lost = true;
    log.warn("sqlite.checkpointer_lost", { error: why });
    onLost();
  };
  worker.on("message", (message: CheckpointMessage) => {
    if (message.error) return log.warn("sqlite.checkpoint_failed", { error: message.error });
    onCheckpoint(message.walBytes ?? 0);
    if (stuck(message.behindBytes ?? 0)) {
      loseOnce(`${message.behindBytes} bytes of WAL could not be checkpointed`);
      void worker.terminate();
    }
  });
  worker.on("error", loseOnce);
  worker.on("exit", (code) => loseOnce(`exited with code ${code}`));
  // The thread must not keep a finished process alive (tests, tools). After the listeners: attaching a
  // "message" listener refs the worker again.
  worker.unref();
  return {
    async stop() {
      stopping = true;
      if (!exited) worker.postMessage("stop");
      await gone;
    },
  };
}

/**
 * True once the bytes left behind have been over the cap, and not fewer than the checkpoint before,
 * for STUCK_CHECKPOINTS checkpoints in a row.
 */
export function walStuckMeter(capBytes: number): (behindBytes: number) => boolean {
  let strikes = 0;
  let previous = 0;
  return (behindBytes) => {
    const over = behindBytes > capBytes;
    strikes = over && (strikes === 0 || behindBytes >= previous) ? strikes + 1 : over ? 1 : 0;
    previous = behindBytes;
    return strikes >= STUCK_CHECKPOINTS;
  };
}
