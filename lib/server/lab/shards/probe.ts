/**
 * Reads the lab's witness records through the session store, one at a time, so each shard answers
 * for itself: a shard without a primary fails its own reads and no other's. Only witness owners may
 * be asked about (witnesses.ts): the lab never reads or deletes an account's sessions this way.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import { sessionStore } from "@/lib/server/auth/session";
import { withStore } from "@/lib/server/auth/session/session-lifecycle";
import { isWitnessOwner } from "@/lib/server/lab/shards/witnesses";

export type WitnessState = "present" | "absent" | "unavailable";

export async function probeWitnesses(records: { owner: number; id: string }[]): Promise<WitnessState[]> {
  if (records.some((r) => !isWitnessOwner(r.owner)))
    throw new AppError("invalid_request", "only the lab's witness records can be probed", { field: "records" });
  const store = sessionStore();
  return Promise.all(
    records.map(async ({ owner, id }) => {
      try {
        return (await store.getById(owner, id)) ? "present" : "absent";
      } catch {
        return "unavailable";
      }
    }),
  );
}

/** Deletes every record of these witness owners; how many went. */
export async function removeWitnesses(owners: number[]): Promise<number> {
  if (owners.some((o) => !isWitnessOwner(o)))
    throw new AppError("invalid_request", "only the lab's witness records can be removed", { field: "owners" });
  let removed = 0;
  // Through withStore: a shard still without a primary is a 503, never a 500.
  for (const owner of new Set(owners)) removed += await withStore((store) => store.deleteByUser(owner));
  return removed;
}
