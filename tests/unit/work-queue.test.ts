import { describe, expect, it } from "vitest";
import { isQueueFull, QueueFullError, WorkQueue } from "@/lib/server/load/work-queue";

/** A job that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, job: () => opened };
}

describe("WorkQueue", () => {
  it("runs at most `concurrency` jobs at once and starts waiting ones in order as slots free", async () => {
    const queue = new WorkQueue(2, 10);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      queue.run(async () => {
        started.push(i);
        await g.job();
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(queue.load).toEqual({ running: 2, waiting: 3 });
    gates[1]!.open();
    await expect.poll(() => started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });

  it("refuses at once when the waiting line is full, and accepts again once it drains", async () => {
    const queue = new WorkQueue(1, 2);
    const g = gate();
    const accepted = [queue.run(g.job), queue.run(g.job), queue.run(g.job)];
    const refused = await queue.run(g.job).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(QueueFullError);
    // Recognised by its code too, as another bundle's copy of the class must be.
    expect(isQueueFull(refused)).toBe(true);
    expect(isQueueFull(Object.assign(new Error("other"), { name: "QueueFullError" }))).toBe(false);
    g.open();
    await Promise.all(accepted);
    await expect(queue.run(async () => "done")).resolves.toBe("done");
  });

  it("frees the slot when a job fails", async () => {
    const queue = new WorkQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(queue.run(async () => 1)).resolves.toBe(1);
  });
});
