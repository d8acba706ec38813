/**
 * Where the check runs: the same routes through each gate's build — the Edge middleware (the default)
 * and the Node proxy (AUTHLAB_GATE=proxy) — in the same interleaved rounds, each against its own
 * build's plain route (GET /api/health, which no gate runs for). Every figure here has a twin in the
 * other build, so a ratio never mixes what two builds do with what two moments did.
 */
import type { GateName } from "@/scripts/server/gate.mjs";
import { dpopProofPool, type BenchDpopKey } from "./dpop";
import type { LoadTarget, TargetResult } from "./load";
import { median } from "./stats";

/** The mechanisms measured through both gates, by the target's name in the Edge build. */
export const GATE_MECHANISMS = [
  { id: "plain", label: "plain route (no gate)", base: "health" },
  { id: "noop", label: "no-op gate", base: "noop-middleware" },
  { id: "bearer", label: "bearer JWT", base: "jwt-me" },
  { id: "dpop", label: "DPoP JWT", base: "jwt-dpop" },
  { id: "strict", label: "strict JWT", base: "jwt-strict" },
  { id: "store", label: "store session", base: "session-database" },
  { id: "cached", label: "cookie-cached session", base: "session-cached" },
] as const;
export type GateMechanism = (typeof GATE_MECHANISMS)[number]["id"];

/** A target's name says its gate: the Edge build's keeps the historical name, the proxy's gains `-proxy`. */
export function targetName(base: string, gate: GateName): string {
  if (gate === "edge") return base;
  return base === "noop-middleware" ? "noop-proxy" : `${base}-proxy`;
}

/** What a gate's targets need: its two servers (database store, and the same with the cookie cache) and credentials. */
export interface GateBench {
  gate: GateName;
  url: string;
  cachedUrl: string;
  cookie: string;
  accessToken: string;
  dpopKey: BenchDpopKey;
  dpopToken: string;
  /** Sets the cached server's cookie (a fresh snapshot) before each run. */
  cachedHeaders: Record<string, string>;
  refreshCachedCookie: () => Promise<void>;
  cacheSeconds: number;
}

const GATE_TITLE: Record<GateName, string> = { edge: "Edge middleware", proxy: "Node proxy" };

export function gateTargets(bench: GateBench): LoadTarget[] {
  const { gate, url } = bench;
  const via = GATE_TITLE[gate];
  const name = (base: string) => targetName(base, gate);
  const bearer = { authorization: `Bearer ${bench.accessToken}` };
  return [
    {
      name: name("health"),
      description: `GET /api/health — the plain route: no gate, no check (${gate} build)`,
      url: `${url}/api/health`,
      connections: 10,
      expectStatus: 200,
    },
    {
      name: name("noop-middleware"),
      description: `GET /api/noop — the ${via} runs, no token check (the gate's floor)`,
      url: `${url}/api/noop`,
      connections: 10,
      expectStatus: 200,
    },
    {
      name: name("jwt-me"),
      description: `GET /api/me — Bearer token verified by the ${via}, again by the handler`,
      url: `${url}/api/me`,
      headers: bearer,
      connections: 10,
      expectStatus: 200,
    },
    {
      name: name("jwt-dpop"),
      description: `GET /api/me — DPoP-bound token and a fresh proof per request, checked by the ${via} and the handler`,
      url: `${url}/api/me`,
      freshHeaders: dpopProofPool(bench.dpopKey, { method: "GET", url: `${url}/api/me`, accessToken: bench.dpopToken }),
      connections: 10,
      expectStatus: 200,
    },
    {
      name: name("jwt-strict"),
      description: `GET /api/me/strict — verified by the ${via}, then the denylist, the account, the refresh family and the session read`,
      url: `${url}/api/me/strict`,
      headers: bearer,
      connections: 10,
      expectStatus: 200,
    },
    {
      name: name("session-database"),
      description: `GET /api/session — cookie unsealed, database store lookup, user read (${gate} build; no gate runs for it)`,
      url: `${url}/api/session`,
      headers: { cookie: bench.cookie },
      connections: 10,
      expectStatus: 200,
    },
    {
      name: name("session-cached"),
      description: `GET /api/session, database store, SESSION_COOKIE_CACHE_SECONDS=${bench.cacheSeconds} — the cookie's fresh snapshot trusted (${gate} build)`,
      url: `${bench.cachedUrl}/api/session`,
      headers: bench.cachedHeaders,
      // Read when the run starts: a cookie sealed now keeps its snapshot fresh for the whole run.
      beforeRun: bench.refreshCachedCookie,
      connections: 10,
      expectStatus: 200,
    },
  ];
}

/** Server microseconds per request above a floor target, median of the per-round differences. */
export function costAboveMicros(targets: readonly TargetResult[], name: string, floorName: string): number | null {
  const target = targets.find((t) => t.name === name);
  const floor = targets.find((t) => t.name === floorName);
  if (!target || !floor) return null;
  const perRound = target.rounds.map(
    (round, i) => 1e6 / round.requestsPerSecond - 1e6 / (floor.rounds[i]?.requestsPerSecond ?? NaN),
  );
  return Math.round(median(perRound));
}

/** Median of per-round ratios: the two targets ran minutes apart at most within one round. */
export function pairedRatio(targets: readonly TargetResult[], a: string, b: string): number {
  const ra = targets.find((t) => t.name === a)?.rounds ?? [];
  const rb = targets.find((t) => t.name === b)?.rounds ?? [];
  const perRound = ra.map((x, i) => x.requestsPerSecond / (rb[i]?.requestsPerSecond ?? NaN)).sort((x, y) => x - y);
  return Number((perRound[Math.floor(perRound.length / 2)] ?? NaN).toFixed(3));
}

export interface GateFigure {
  target: string;
  requestsPerSecond: number;
  /** Throughput as a fraction of this build's plain route (paired by round). */
  vsPlain: number;
  /** Server microseconds per request above this build's plain route. */
  costMicros: number | null;
}

/** results.json's `gates`: per gate, per mechanism; a mechanism a run did not measure is left out. */
export function gateFigures(
  targets: readonly TargetResult[],
): Record<GateName, Partial<Record<GateMechanism, GateFigure>>> {
  const figures = (gate: GateName) => {
    const plain = targetName("health", gate);
    const entries = GATE_MECHANISMS.flatMap(({ id, base }) => {
      const name = targetName(base, gate);
      const result = targets.find((t) => t.name === name);
      if (!result) return [];
      const figure: GateFigure = {
        target: name,
        requestsPerSecond: Math.round(result.requestsPerSecond),
        vsPlain: pairedRatio(targets, name, plain),
        costMicros: id === "plain" ? 0 : costAboveMicros(targets, name, plain),
      };
      return [[id, figure] as const];
    });
    return Object.fromEntries(entries) as Partial<Record<GateMechanism, GateFigure>>;
  };
  return { edge: figures("edge"), proxy: figures("proxy") };
}
