/** What bench/lib/growth.ts tells each growth worker (bench/growth-worker.ts), and what they share. */
export type GrowthStore = "memory" | "sqlite" | "postgresql" | "redis" | "redis-cluster";

export interface WorkerSpec {
  store: GrowthStore;
  sizes: number[];
  /** Distinguishes this run's users and records. */
  tag: string;
  /** Where the worker writes its rows (JSON). */
  resultFile: string;
  serverCpu?: number;
}

/** Idle timeout for the records and the servers: a growth run outlasts the default 30 minutes. */
export const GROWTH_IDLE_TIMEOUT_SECONDS = 24 * 3600;

/** One store at one size. */
export interface GrowthRow {
  store: GrowthStore;
  sessions: number;
  /** The store read of a session check (record and user), in-process. */
  checkP50Micros: number;
  checkP99Micros: number;
  /** GET /api/session end to end, one request at a time; null for the memory store. */
  httpP50Micros: number | null;
  httpP99Micros: number | null;
  bytesPerSession: number | null;
  bytesMethod: string;
  /** The server's resident memory (the worker's, for the memory store). */
  rssBytes: number | null;
  fillSeconds: number;
}

/**
 * The strict JWT check with as many refresh families as sessions, half of them revoked, and as many
 * revoked access-token jtis on the RFC 7009 denylist.
 */
export interface StrictGrowthRow {
  database: GrowthStore;
  families: number;
  deniedJtis: number;
  checkP50Micros: number;
  checkP99Micros: number;
  httpP50Micros: number | null;
  httpP99Micros: number | null;
}

export interface SweepRow {
  store: GrowthStore;
  sessions: number;
  expired: number;
  sweepMs: number;
  deleted: number;
  familiesDeleted: number;
  denialsDeleted: number;
  checkP99BeforeMicros: number;
  checkP99DuringMicros: number;
  checkMaxDuringMicros: number;
  checksDuring: number;
  maxEventLoopDelayMs: number;
  /** p99 of the event loop's delay during the sweep (perf_hooks.monitorEventLoopDelay, 1 ms resolution). */
  eventLoopDelayP99Ms?: number;
}

/**
 * A shard's primary killed (SIGKILL) while sessions are being written to it and checked on every shard
 * (bench/lib/failover.ts).
 */
export interface FailoverRun {
  /** `cluster-node-timeout`: how long before the other primaries mark the dead one failed. */
  nodeTimeoutMs: number;
  sessions: number;
  /** Sessions written per second to the victim's shard, before and during the outage. */
  writesPerSecond: number;
  /** From the kill to the first session check on the victim's shard that answered 200 again. */
  recoverSeconds: number | null;
  /** Writes the primary acknowledged in the last second before the kill. */
  writtenLastSecond: number;
  /** Of those, how many the promoted replica does not have. */
  lostLastSecond: number;
  /** Writes after the kill that failed with an error (the writer knew). */
  refusedDuringOutage: number;
  /** Session checks (GET /api/session) during the outage, per side. */
  victimChecks: { ok: number; unavailable: number; other: number };
  otherShardChecks: { ok: number; unavailable: number; other: number };
  /** Every check, for the chart: seconds since the kill, which shard, the status. */
  timeline: { t: number; shard: "killed shard" | "other shards"; status: number }[];
}

export interface WorkerOutput {
  rows: GrowthRow[];
  strictRows: StrictGrowthRow[];
  sweep: SweepRow;
  failover?: FailoverRun;
}
