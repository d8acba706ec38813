import "server-only";
import type { CookieShape } from "@/lib/server/lab/cookie-shape";
import type { SessionDto } from "@/lib/server/dal";
import type { UserDto } from "@/lib/server/accounts/users";
import type { GateName } from "@/lib/edge/gate/name";

/** What the page shows of the session record: the Data Access Layer's DTO. */
export type SessionView = SessionDto;

export interface DashboardProps {
  user: UserDto;
  session: SessionView;
  instance: string;
  /** The gate this build runs (x-authlab-gate): the Edge middleware or the Node proxy. */
  gate: GateName;
  databaseKind: "sqlite" | "postgresql";
  peers: string[];
  /** The session store is a Redis Cluster (REDIS_CLUSTER_NODES): the shard experiment can run. */
  redisCluster: boolean;
  cookie: CookieShape;
  /** developmentExperiments: whether the experiments that change a role or expose a refresh token may run (never in production). */
  lab: { open: boolean; developmentExperiments: boolean };
  /** DPOP_REQUIRED: every token must be bound to a key, so the dashboard's DPoP switch stays on. */
  dpop: { required: boolean };
  keys: { signingKid: string; kids: string[] };
  accessTokenTtlSeconds: number;
  clockToleranceSeconds: number;
  benchmark: BenchmarkSummary | null;
}

export interface BenchmarkSummary {
  measuredAt: string;
  jwtRps: number | null;
  sessionRps: number | null;
  jwtVerifyMicros: number | null;
  sessionCheckMicros: number | null;
  /** "2 × AMD EPYC", the run's machine; null when the file does not say. */
  machine: string | null;
  /** Per mechanism of the decision table (bench target → throughput, server µs above the baseline). */
  mechanisms: Record<DecisionMechanism, { rps: number | null; costMicros: number | null }>;
  /**
   * The same mechanisms through each gate's build, measured in the same run: throughput, its fraction
   * of that build's plain route, and server µs above it. Null for a run that did not measure the gate.
   */
  gates: Record<GateName, Record<DecisionMechanism, GateCost | null> | null>;
}

export type DecisionMechanism = "store" | "cached" | "bearer" | "strict";

export interface GateCost {
  rps: number;
  vsPlain: number;
  costMicros: number | null;
}
