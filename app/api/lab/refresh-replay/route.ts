import { checked, LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { requireLabUser } from "@/lib/server/lab/access";
import { refresh } from "@/lib/server/auth/refresh/refresh";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ token: z.string().max(128) });

/**
 * The thief's move: presents a copy of a refresh token through the same flow the real refresh endpoint
 * uses. An ancestor (or the parent after the grace window) is refused and its whole family revoked; the
 * answer is exactly the refresh endpoint's (401 invalid_grant, reason reused).
 */
export const POST = handle(async (request: NextRequest) => {
  await requireLabUser(request);
  const { token } = await readJson(request, bodySchema);
  const refreshed = await checked("refresh", () => refresh(token));
  // Only reached when the thief presents the live token, or its parent inside the grace window: the
  // thief wins this round (the token itself stays on the server).
  return json({ kind: refreshed.kind, familyId: refreshed.familyId });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
