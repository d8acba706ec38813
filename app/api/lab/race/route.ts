import type { NextRequest } from "next/server";
import { LAYERS } from "@/lib/edge/trace";
import { requestContext } from "@/lib/edge/http/request-context";
import { handle, json } from "@/lib/server/http/respond";
import { requireLabUser } from "@/lib/server/lab/access";
import { endPreviousRace, startRace } from "@/lib/server/lab/revocation-race";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * Prepares a revocation race (the page does on load, to measure each mechanism once), ending the
 * race session this browser prepared before if it is still live: a new session of the caller's own account (its cookies scoped to the
 * probe) and an access token beside it. The page then revokes that session as another browser would
 * (DELETE /api/sessions/:id) and polls each credential until it is refused.
 */
export const POST = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  const context = requestContext(request.headers);
  await endPreviousRace(request.cookies, context.secure);
  const started = await startRace(auth.user, context);
  return json(started.body, { status: 201, cookies: started.cookies });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
