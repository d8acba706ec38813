import type { NextRequest } from "next/server";
import { LAYERS } from "@/lib/edge/trace";
import { requestContext } from "@/lib/edge/http/request-context";
import { empty, handle, json } from "@/lib/server/http/respond";
import { requireLabUser } from "@/lib/server/lab/access";
import { endPreviousRace, expiredRaceCookies, startRace } from "@/lib/server/lab/revocation-race";
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
  const started = await startRace(auth.user, { sessionId: auth.session.id }, context);
  return json(started.body, { status: 201, cookies: started.cookies });
}, LAYERS.lab);

/**
 * Ends this browser's race session and forgets its cookies: the page calls it once its page-load
 * measurement is done. Not a revocation by the user, so no security event and no trace step.
 */
export const DELETE = handle(async (request: NextRequest) => {
  await requireLabUser(request);
  const { secure } = requestContext(request.headers);
  await endPreviousRace(request.cookies, secure);
  return empty({ cookies: expiredRaceCookies(secure) });
}, LAYERS.lab);

export const { GET, PUT, PATCH } = notAllowed("POST", "DELETE");
