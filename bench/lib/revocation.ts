/**
 * Revocation latency against per-request cost, for the four ways a server recognises a client.
 *
 * The race: sign in, sign out (which deletes the session record and revokes the refresh family the
 * tokens name), then ask with each credential every POLL_MS until it is refused, for at most
 * RACE_LIMIT_MS. A credential still accepted then (the bearer JWT, by design) is reported with the
 * bound it lives to — the token's remaining lifetime — marked as not measured.
 *
 * The cost: server time per request above GET /api/health (no middleware, no check), from the load
 * targets' throughput in the same rounds: 1e6/rps(target) − 1e6/rps(health), median of the rounds.
 * It includes everything the mechanism makes the framework do (the Edge sandbox for the JWT routes).
 */
import type { TargetResult } from "./load";
import { createProbe } from "./http-probe";
import { costAboveMicros } from "./gates";

const POLL_MS = 50;
const RACE_LIMIT_MS = 2_000;

export interface Mechanism {
  mechanism: string;
  /** The load target whose throughput gives the per-request cost. */
  target: string;
  /** How the race asks with this credential (absent: not raced in this benchmark). */
  probe?: { path: string; credential: "cookie" | "bearer" };
}

/** One entry per mechanism; one added (the cookie-cached session) is a line here and a target in run.ts. */
export const MECHANISMS: readonly Mechanism[] = [
  { mechanism: "store session", target: "session-database", probe: { path: "/api/session", credential: "cookie" } },
  { mechanism: "cookie-cached session", target: "session-cached" },
  { mechanism: "bearer JWT at the Edge", target: "jwt-me", probe: { path: "/api/me", credential: "bearer" } },
  { mechanism: "strict JWT", target: "jwt-strict", probe: { path: "/api/me/strict", credential: "bearer" } },
];

export interface RevocationResult {
  mechanism: string;
  target: string;
  /** Milliseconds from the sign-out's answer to the first refusal; null when not raced. */
  latencyMs: number | null;
  /** False when the credential outlived the race and latencyMs is its remaining lifetime. */
  measured: boolean;
  note: string;
  /** Server microseconds per request above GET /api/health; null without the target. */
  costMicros: number | null;
}

export function perRequestCostMicros(targets: readonly TargetResult[], name: string): number | null {
  return costAboveMicros(targets, name, "health");
}

export async function revocationRace(options: {
  baseUrl: string;
  credentials: { cookie: string; accessToken: string };
  targets: readonly TargetResult[];
}): Promise<RevocationResult[]> {
  const { baseUrl, credentials } = options;
  const headersFor = (credential: "cookie" | "bearer"): Record<string, string> =>
    credential === "cookie" ? { cookie: credentials.cookie } : { authorization: `Bearer ${credentials.accessToken}` };
  const probe = createProbe(baseUrl);
  try {
    for (const m of MECHANISMS) {
      if (!m.probe) continue;
      const { status } = await probe.request(m.probe.path, { headers: headersFor(m.probe.credential) });
      if (status !== 200) throw new Error(`before the race, ${m.probe.path} answered ${status}`);
    }
    const signOut = await probe.request("/api/auth/logout", {
      method: "POST",
      headers: { cookie: credentials.cookie, origin: baseUrl },
      body: "",
    });
    if (signOut.status !== 204) throw new Error(`sign-out answered ${signOut.status}`);
    const revokedAt = performance.now();
    const exp = JSON.parse(Buffer.from(credentials.accessToken.split(".")[1]!, "base64url").toString()).exp as number;

    const race = async (m: Mechanism): Promise<RevocationResult> => {
      const costMicros = perRequestCostMicros(options.targets, m.target);
      if (!m.probe) {
        const note = "not raced by the benchmark (the dashboard's revocation race measures it)";
        return { mechanism: m.mechanism, target: m.target, latencyMs: null, measured: false, note, costMicros };
      }
      const own = createProbe(baseUrl);
      try {
        for (let attempt = 1; performance.now() - revokedAt < RACE_LIMIT_MS; attempt++) {
          const { status } = await own.request(m.probe.path, { headers: headersFor(m.probe.credential) });
          if (status !== 200) {
            const latencyMs = Number((performance.now() - revokedAt).toFixed(1));
            const note = `refused with ${status} on request ${attempt} after sign-out`;
            return { mechanism: m.mechanism, target: m.target, latencyMs, measured: true, note, costMicros };
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      } finally {
        own.close();
      }
      const latencyMs = Math.max(0, exp * 1000 - Date.now());
      const note = `still accepted ${RACE_LIMIT_MS / 1000} s after sign-out; accepted until the token expires`;
      return { mechanism: m.mechanism, target: m.target, latencyMs, measured: false, note, costMicros };
    };
    return await Promise.all(MECHANISMS.map(race));
  } finally {
    probe.close();
  }
}
