/**
 * Deletes rows a small batch at a time, yielding to the event loop between batches. One DELETE over
 * every expired row keeps SQLite's synchronous driver — and with it every request the process serves —
 * busy until it finishes: seconds at a million rows, because each deleted row also rewrites its index
 * entries (bench/README.md, "Growth"). A batch is found through the table's index on its expiry (a
 * range scan of at most `size` rows) and deleted by primary key, with the expiry checked again.
 */
import "server-only";
import type { Db } from "@/lib/server/db/client";
import { yieldToEventLoop } from "@/lib/server/event-loop";

/** Small enough that one batch's statements hold SQLite for a few milliseconds at most. */
export const DELETE_BATCH_SIZE = 25;

/** Where a sweep deletes (the app's database unless a test names its own) and how many rows at a time. */
export interface BatchedSweep {
  client?: Db;
  batchSize?: number;
}

/**
 * Calls `deleteBatch(size)` until a call deletes fewer than `size` rows (nothing expired is left);
 * returns how many rows went in all.
 */
export async function deleteInBatches(
  deleteBatch: (size: number) => Promise<number>,
  size = DELETE_BATCH_SIZE,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await deleteBatch(size);
    deleted += count;
    if (count < size) return deleted;
    await yieldToEventLoop();
  }
}
