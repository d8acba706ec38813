/**
 * The login storm: sign-ins at rising concurrency, each an argon2id verification on libuv's thread
 * pool, while a probe asks GET /api/health one request at a time. Hashing must not starve the event
 * loop: the probe's p99 is the figure (goal < 50 ms). A 503 is a hashing queue shedding load, when
 * the server has one, and is counted apart from errors; a 429 would be the per-address throttle.
 */
import { runOnce } from "./load";
import { createProbe } from "./http-probe";
import { summary } from "./stats";

/** How long the health probe waits between requests: a load balancer's check, not a second load. */
const HEALTH_PROBE_PAUSE_MS = 10;

export interface StormLevel {
  concurrency: number;
  loginsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  logins: number;
  /** Answered 503 (load shed by a hashing queue). */
  shed: number;
  /** Anything else that was not a 200, plus socket errors and timeouts. */
  errors: number;
  healthP50Ms: number;
  healthP99Ms: number;
  healthMaxMs: number;
  healthSamples: number;
}

export async function loginStorm(options: {
  baseUrl: string;
  email: string;
  password: string;
  levels: readonly number[];
  durationSeconds: number;
  log: (line: string) => void;
}): Promise<StormLevel[]> {
  const levels: StormLevel[] = [];
  for (const concurrency of options.levels) {
    const probe = createProbe(options.baseUrl);
    const healthMs: number[] = [];
    let storming = true;
    const probing = (async () => {
      while (storming) {
        const { status, micros } = await probe.request("/api/health");
        if (status !== 200) throw new Error(`/api/health answered ${status} during the login storm`);
        healthMs.push(micros / 1000);
        await new Promise((resolve) => setTimeout(resolve, HEALTH_PROBE_PAUSE_MS));
      }
    })();
    // Awaited once the storm ends; until then a failure must not count as unhandled.
    probing.catch(() => undefined);
    const round = await runOnce(
      {
        name: `login-storm-${concurrency}`,
        description: "",
        url: `${options.baseUrl}/api/auth/login`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: options.email, password: options.password }),
        connections: concurrency,
        expectStatus: 200,
        shedStatuses: [503],
      },
      options.durationSeconds,
    ).finally(() => (storming = false));
    await probing;
    probe.close();
    const health = summary(healthMs);
    const level: StormLevel = {
      concurrency,
      loginsPerSecond: Number(((round.ok ?? 0) / options.durationSeconds).toFixed(1)),
      latencyMs: { p50: round.p50, p99: round.p99 },
      logins: round.ok ?? 0,
      shed: round.shed ?? 0,
      errors: round.errors,
      healthP50Ms: health.p50,
      healthP99Ms: health.p99,
      healthMaxMs: health.max,
      healthSamples: health.count,
    };
    options.log(
      `login storm ×${concurrency}: ${level.loginsPerSecond} logins/s, p50 ${level.latencyMs.p50} ms, shed ${level.shed}, errors ${level.errors}; /api/health p99 ${level.healthP99Ms} ms over ${level.healthSamples} probes`,
    );
    levels.push(level);
  }
  return levels;
}
