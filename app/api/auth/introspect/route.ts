import type { NextRequest } from "next/server";
import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { handle, json } from "@/lib/server/http/respond";
import { readForm, requiredParameter } from "@/lib/server/http/read-form";
import { identifyCaller } from "@/lib/server/auth/token-endpoints/caller";
import { introspectToken } from "@/lib/server/auth/token-endpoints/introspect";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * RFC 7662: `token=…` (`token_type_hint` is accepted and not needed), form-encoded, from a client of
 * INTROSPECTION_CLIENTS (HTTP Basic) or an admin's access token. `{"active": false}` for anything not
 * live; a failed caller authentication is a 401, never `active: false` (§2.3).
 */
export const POST = handle(async (request: NextRequest) => {
  const trace = new TraceRecorder();
  await identifyCaller(request, "introspect", trace);
  const form = await readForm(request);
  trace.checkedBy(LAYERS.strict);
  const answer = await introspectToken(requiredParameter(form, "token"), trace);
  return json(answer, { headers: trace.headers() });
});

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
