/**
 * A production server does not serve /api/metrics on the strength of a caller's address alone. Without
 * METRICS_TOKEN the endpoint answers loopback callers (scrape-access.ts), and behind a reverse proxy on the
 * same host with TRUST_PROXY_HOPS=0 every client arrives from loopback: the metrics would be public (OWASP
 * ASVS V14.3: no unintended security disclosure). So production refuses to start without
 * a token, naming the variable, unless metrics are turned off. Checked at every server start
 * (instrumentation.ts), whatever launched it, and by `npm start` before it builds.
 */
import "server-only";
import type { Config } from "@/lib/edge/config";
import { log } from "@/lib/server/log";

export function metricsTokenProblem(settings: Pick<Config, "env" | "metrics">): string | null {
  if (settings.env !== "production" || !settings.metrics.enabled || settings.metrics.token) return null;
  return [
    "METRICS_TOKEN is required in production: without it /api/metrics answers every caller that reaches the",
    "app from loopback — which, behind a reverse proxy on the same host, is every client. Set METRICS_TOKEN",
    "(at least 24 characters of A-Z a-z 0-9 - . _ ~ + /) and scrape with Authorization: Bearer <token>, or set",
    "METRICS_ENABLED=false to serve no metrics at all.",
  ].join("\n");
}

/** At every server start: a production server with an unguarded metrics endpoint prints why and exits. */
export function refuseUnguardedMetricsAtStart(settings: Config): void {
  const problem = metricsTokenProblem(settings);
  if (!problem) return;
  console.error(`authlab: ${problem}`);
  log.error("startup.refused", { reason: "metrics_token_missing" });
  process.exit(1);
}
