import { checked, LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { requireLabUser } from "@/lib/server/lab/access";
import { rotate } from "@/lib/server/auth/refresh/service";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ token: z.string().max(128) });

/**
 * The thief's move: presents a copy of a refresh token through the same rotation the real refresh
 * endpoint uses. A used token is refused and its whole family revoked; the answer is exactly the
 * refresh endpoint's (401 invalid_grant).
 */
export const POST = handle(async (request: NextRequest) => {
  await requireLabUser(request);
  const { token } = await readJson(request, bodySchema);
  const rotated = await checked("refresh", () => rotate(token));
  // Only reached when the thief presents the copy before the owner does: the thief wins this round.
  return json({ rotated: true, familyId: rotated.familyId });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
