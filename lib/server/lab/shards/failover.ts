/**
 * The shard experiment's server half: find the shard that holds the caller's sessions, leave one
 * witness record on every other shard, then write a burst of records on the caller's shard and kill
 * its primary while the burst is still being written. What the page then watches: the caller's own
 * session (503 until the replica is promoted), the witnesses (every other shard keeps answering), and
 * which of the burst's acknowledged records the promoted replica has. Redis Cluster replicates
 * asynchronously, so a write the primary acknowledged but had not yet sent to its replica is lost
 * (Redis Cluster specification, "Write safety").
 */
import "server-only";
import type { Cluster } from "ioredis";
import { AppError } from "@/lib/edge/errors";
import { sessionStore } from "@/lib/server/auth/session";
import { withStore } from "@/lib/server/auth/session/session-lifecycle";
import { address, primaryServing, slotOf, topology } from "@/lib/server/lab/shards/cluster";
import { kill, localPidOf } from "@/lib/server/lab/shards/kill-primary";
import { witnessOwnerOn, witnessRecord } from "@/lib/server/lab/shards/witnesses";

export interface WitnessRef {
  owner: number;
  id: string;
  node: string;
}

export interface ShardKill {
  slot: number;
  node: string;
  pid: number;
  witnesses: WitnessRef[];
  burst: {
    owner: number;
    /** Records the primary had acknowledged (OK) when it was killed: each should survive. */
    acknowledged: string[];
    /** Writes that had failed by then: the client knew they did not happen. */
    refused: number;
    /** Writes sent but not answered when the kill came: the client cannot know yet. */
    inFlight: number;
    /** Writes sent before the kill (acknowledged, refused, or in flight when it came). */
    sent: number;
    /** From the first write to the kill. */
    windowMs: number;
  };
}

/**
 * Records written at once while the burst runs. The kill comes right after half the burst is
 * acknowledged, with up to this many writes still in flight; nothing is written after it.
 */
const IN_FLIGHT = 8;

export async function killShardOf(cluster: Cluster, userId: number, burstSize: number): Promise<ShardKill> {
  const nodes = await topology(cluster);
  const slot = await slotOf(cluster, `{${userId}}`);
  const primary = primaryServing(nodes, slot);
  if (!primary) throw new AppError("session_store_unavailable", "no primary serves your shard right now");
  if (!nodes.some((n) => n.primaryId === primary.id && !n.failed))
    throw new AppError(
      "lab_unavailable",
      "your shard's primary has no live replica to fail over to yet; try again shortly",
    );
  const pid = await localPidOf(primary);
  const store = sessionStore();

  const witnesses: WitnessRef[] = [];
  for (const other of nodes.filter(
    (n) => n.role === "master" && !n.failed && n.slots.length > 0 && n.id !== primary.id,
  )) {
    const record = witnessRecord(await witnessOwnerOn(cluster, nodes, other));
    await withStore((s) => s.create(record));
    witnesses.push({ owner: record.userId, id: record.id, node: address(other) });
  }

  const owner = await witnessOwnerOn(cluster, nodes, primary);
  const acknowledged: string[] = [];
  let refused = 0;
  let next = 0;
  let killed = false;
  let onKill: () => void = () => undefined;
  const kill$ = new Promise<void>((resolve) => (onKill = resolve));
  const started = performance.now();
  let killedAt = started;
  let snapshot = { acknowledged: [] as string[], refused: 0 };
  const killNow = () => {
    killed = true;
    killedAt = performance.now();
    kill(pid);
    // What the caller had been told by the moment of the kill; writes still in flight settle later
    // (refused, or retried onto the promoted replica) and are counted as in flight.
    snapshot = { acknowledged: [...acknowledged], refused };
    onKill();
  };
  const writer = async () => {
    while (next < burstSize && !killed) {
      next += 1;
      const record = witnessRecord(owner);
      try {
        await store.create(record);
        acknowledged.push(record.id);
      } catch {
        refused += 1;
      }
      if (!killed && acknowledged.length >= burstSize / 2) killNow();
    }
  };
  const writers = Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  // Answer at the kill, not when the writes in flight give up: the page watches the outage from there.
  await Promise.race([writers, kill$]);
  if (!killed) killNow();
  return {
    slot,
    node: address(primary),
    pid,
    witnesses,
    burst: {
      owner,
      acknowledged: snapshot.acknowledged,
      refused: snapshot.refused,
      inFlight: next - snapshot.acknowledged.length - snapshot.refused,
      sent: next,
      windowMs: Math.round(killedAt - started),
    },
  };
}
