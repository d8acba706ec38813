import type { NextRequest } from "next/server";
import { AppError } from "@/lib/edge/errors";
import { LAYERS } from "@/lib/edge/trace";
import { handle, json } from "@/lib/server/http/respond";
import { requireLabUser } from "@/lib/server/lab/access";
import { labEffects } from "@/lib/server/lab/effects";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const CURSOR = /^(0|[1-9]\d{0,14})$/;

/**
 * The caller's own security events after event id `after` (none without it), the newest event id, and
 * this instance's auth counters: what an experiment on the dashboard caused.
 */
export const GET = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  const after = request.nextUrl.searchParams.get("after");
  if (after !== null && !CURSOR.test(after))
    throw new AppError("invalid_request", "after: expected an event id", { field: "after" });
  return json(await labEffects(auth.user.id, after === null ? null : Number(after)));
}, LAYERS.lab);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
