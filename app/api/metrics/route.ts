import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { handle } from "@/lib/server/http/respond";
import { notAllowed } from "@/lib/server/http/methods";
import { metrics } from "@/lib/server/observability/metrics";
import { startMetrics } from "@/lib/server/observability/metrics-observer";
import { assertMayScrape } from "@/lib/server/observability/scrape-access";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** Prometheus text exposition of this instance's metrics (each instance of a cluster is scraped on its own). */
export const GET = handle(async (request: Request) => {
  if (!config().metrics.enabled) throw new AppError("not_found", "metrics are turned off (METRICS_ENABLED=false)");
  assertMayScrape(request.headers);
  // Started by instrumentation.node.ts; idempotent, in case the hook did not run.
  startMetrics();
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
