/**
 * Load with autocannon: a fixed duration per target, interleaved across rounds so that drift in the
 * machine (thermal, other processes) lands on every target alike.
 */
import autocannon from "autocannon";
import type { FreshHeaders } from "./dpop";

export interface LoadTarget {
  name: string;
  description: string;
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** The request answers this status when all is well; anything else counts as an error. */
  expectStatus: number;
  /** Headers that must be new on every request (a DPoP proof): made before each run (dpop.ts). */
  freshHeaders?: FreshHeaders;
  /**
   * Headers that change with every request, merged over `headers`: a credential drawn from a pool
   * (`rotate`), so that the server sees one it has not seen before.
   */
  perRequestHeaders?: () => Record<string, string>;
  /** Runs before each timed run of this target, warm-up included (e.g. to keep a pool's records fresh). */
  beforeRun?: () => Promise<void> | void;
  /** Statuses counted apart, as `shed`, rather than as errors (a 503 from a load-shedding queue). */
  shedStatuses?: readonly number[];
}

/** Hands out the pool's entries in turn, forever: with a pool larger than a cache, every one is a miss. */
export function rotate<T>(pool: readonly T[]): () => T {
  if (pool.length === 0) throw new Error("cannot rotate an empty pool");
  let next = 0;
  return () => pool[next++ % pool.length]!;
}

/** Requests per second no target here reaches on a small machine; the first pool is sized with it. */
const FIRST_RUN_RATE_GUESS = 1500;
const lastRate = new Map<string, number>();

export interface RoundResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /** Answers with one of the target's `shedStatuses`, and with the expected status (only when it has some). */
  shed?: number;
  ok?: number;
}

export interface TargetResult {
  name: string;
  description: string;
  path: string;
  connections: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  errors: number;
  requests: number;
  rounds: RoundResult[];
}

export async function runOnce(target: LoadTarget, durationSeconds: number): Promise<RoundResult> {
  let unexpected = 0;
  let shed = 0;
  let ok = 0;
  await target.beforeRun?.();
  const fresh = target.freshHeaders;
  if (fresh) {
    // Twice the last run's rate (or a generous guess), so the pool outlasts the run.
    const rate = Math.max(lastRate.get(target.name) ?? FIRST_RUN_RATE_GUESS, 100);
    await fresh.prepare(Math.ceil(rate * durationSeconds * 2));
  }
  const perRequest = target.perRequestHeaders;
  const result = await autocannon({
    url: target.url,
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
    connections: target.connections,
    duration: durationSeconds,
    pipelining: 1,
    // autocannon rebuilds a request whose entry has setupRequest, every time it sends it.
    ...(fresh || perRequest
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                headers: { ...request.headers, ...perRequest?.(), ...fresh?.next() },
              }),
            },
          ],
        }
      : {}),
    setupClient(client) {
      client.on("response", (statusCode: number) => {
        if (statusCode === target.expectStatus) ok++;
        else if (target.shedStatuses?.includes(statusCode)) shed++;
        else unexpected++;
      });
    },
  });
  lastRate.set(target.name, result.requests.average);
  if (fresh && fresh.reused() > 0)
    console.warn(`bench: ${target.name} ran out of fresh proofs; ${fresh.reused()} requests reused one`);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + unexpected,
    requests: result.requests.total,
    ...(target.shedStatuses ? { shed, ok } : {}),
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function runInterleaved(
  targets: LoadTarget[],
  options: { rounds: number; durationSeconds: number; warmupSeconds: number; log: (line: string) => void },
): Promise<TargetResult[]> {
  for (const target of targets) await runOnce(target, options.warmupSeconds);
  const rounds = new Map<string, RoundResult[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    // Rotate the order each round so no target always runs first or last.
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    for (const target of order) {
      const result = await runOnce(target, options.durationSeconds);
      rounds.get(target.name)!.push(result);
      options.log(
        `round ${round + 1}/${options.rounds} ${target.name.padEnd(18)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  errors ${result.errors}`,
      );
    }
  }
  return targets.map((target) => {
    const r = rounds.get(target.name)!;
    return {
      name: target.name,
      description: target.description,
      path: new URL(target.url).pathname,
      connections: target.connections,
      requestsPerSecond: median(r.map((x) => x.requestsPerSecond)),
      latencyMs: { p50: median(r.map((x) => x.p50)), p99: median(r.map((x) => x.p99)) },
      errors: r.reduce((sum, x) => sum + x.errors, 0),
      requests: r.reduce((sum, x) => sum + x.requests, 0),
      rounds: r,
    };
  });
}
