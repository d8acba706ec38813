import { AppError } from "@/lib/edge/errors";
import { LAYERS } from "@/lib/edge/trace";
import { handle } from "@/lib/server/http/respond";
import { notAllowed } from "@/lib/server/http/methods";
import { readBenchmarkChart } from "@/lib/server/lab/benchmark-charts";

/** Read per request: a new `npm run bench` replaces the files under a running server. */
export const dynamic = "force-dynamic";

/**
 * The latest benchmark charts (bench/charts/*.svg) for the dashboard's <img> tags. Public, like the
 * README that shows the same pictures; only the names in lib/server/lab/benchmark-charts.ts are read.
 */
export const GET = handle(async (_request: Request, context: { params: Promise<{ file: string }> }) => {
  const { file } = await context.params;
  const svg = readBenchmarkChart(file);
  if (svg === null) throw new AppError("not_found", "there is no such benchmark chart");
  return new Response(svg, {
    headers: {
      "content-type": "image/svg+xml; charset=utf-8",
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      // Opened on its own the SVG is a document: no script, nothing fetched (the charts need neither).
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}, LAYERS.node);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
