/**
 * WAL checkpoints for the SQLite file on a thread of their own (sqlite.org/wal.html#ckpt: "an
 * application can turn off automatic checkpoints and run them in a separate thread"): every second a
 * PASSIVE checkpoint copies what it can without waiting for readers or writers; if the WAL still grows
 * past WAL_CAP_BYTES (a long reader holding it back), a RESTART checkpoint is the safety net. Nothing
 * here runs on the event loop, so no request waits for a checkpoint.
 *
 * The thread is an eval'd worker (no separate bundle entry: Next bundles this module, not the worker)
 * with its own better-sqlite3 connection. If it fails or exits, the caller turns SQLite's automatic
 * checkpoints back on, so the WAL can never grow without bound.
 */
import "server-only";
import { Worker } from "node:worker_threads";
import { log } from "@/lib/server/log";
import { SQLITE_BUSY_TIMEOUT_MS } from "@/lib/server/db/sqlite-path";

export const CHECKPOINT_INTERVAL_MS = 1000;
export const WAL_CAP_BYTES = 64 * 1024 * 1024;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
const checkpoint = () => {
  try {
    const [row] = db.pragma("wal_checkpoint(PASSIVE)");
    let size = 0;
    try { size = fs.statSync(workerData.file + "-wal").size; } catch {}
    if (size > workerData.walCapBytes) db.pragma("wal_checkpoint(RESTART)");
    parentPort.postMessage({ busy: row ? row.busy : 0, walBytes: size });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message === "stop") { clearInterval(timer); checkpoint(); db.close(); process.exit(0); }
});
`;

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
): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      // Resolved by the worker from the working directory, as the server itself resolves its packages.
      driver: "better-sqlite3",
      busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
      intervalMs: CHECKPOINT_INTERVAL_MS,
      walCapBytes: WAL_CAP_BYTES,
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
  worker.on("message", (message: { error?: string; walBytes?: number }) => {
    if (message.error) log.warn("sqlite.checkpoint_failed", { error: message.error });
    else onCheckpoint(message.walBytes ?? 0);
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
