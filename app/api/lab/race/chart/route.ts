import type { NextRequest } from "next/server";
import { AppError } from "@/lib/edge/errors";
import { LAYERS } from "@/lib/edge/trace";
import { handle } from "@/lib/server/http/respond";
import { requireLabUser } from "@/lib/server/lab/access";
import { raceChartSchema, renderRaceChart } from "@/lib/server/lab/race-chart";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** Longer than any chart the race draws; a bound on the work one request can ask for. */
const MAX_QUERY_LENGTH = 2048;

/**
 * The revocation race's timeline as SVG, from the numbers the page measured (`?d=<JSON>`). Draws
 * only what it is given; reads nothing.
 */
export const GET = handle(async (request: NextRequest) => {
  await requireLabUser(request);
  const raw = request.nextUrl.searchParams.get("d") ?? "";
  let input: unknown = null;
  try {
    if (raw.length <= MAX_QUERY_LENGTH) input = JSON.parse(raw);
  } catch {
    input = null;
  }
  const parsed = raceChartSchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_request", "d must be the race's results as JSON");
  return new Response(await renderRaceChart(parsed.data), {
    headers: { "content-type": "image/svg+xml", "cache-control": "private, max-age=300" },
  });
}, LAYERS.lab);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
