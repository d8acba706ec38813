/**
 * When the SQLite checkpoint thread gives up and hands checkpoints back to SQLite: only when the WAL
 * it could not copy stays over the cap without shrinking, not after one burst of writes.
 */
import { describe, expect, it } from "vitest";
import { STUCK_CHECKPOINTS, walStuckMeter } from "@/lib/server/db/sqlite-checkpointer";

const CAP = 1000;

describe("the checkpoint thread's safety net", () => {
  it("trips after the cap is passed at STUCK_CHECKPOINTS checkpoints in a row that copy nothing back", () => {
    const stuck = walStuckMeter(CAP);
    const answers = Array.from({ length: STUCK_CHECKPOINTS }, (_, i) => stuck(CAP + 1 + i));
    expect(answers.at(-1)).toBe(true);
    expect(answers.slice(0, -1)).not.toContain(true);
  });

  it("does not trip on a burst that the following checkpoints work down", () => {
    const stuck = walStuckMeter(CAP);
    const behind = [CAP * 5, CAP * 4, CAP * 3, CAP * 2, CAP + 1, 0];
    expect(behind.map(stuck)).not.toContain(true);
  });

  it("starts counting again once the WAL is back under the cap", () => {
    const stuck = walStuckMeter(CAP);
    const behind = [...Array(STUCK_CHECKPOINTS - 1).fill(CAP * 2), 0, ...Array(STUCK_CHECKPOINTS - 1).fill(CAP * 2)];
    expect(behind.map(stuck)).not.toContain(true);
  });
});
