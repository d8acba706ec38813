import type { NextRequest } from "next/server";
import { TraceRecorder } from "@/lib/edge/trace";
import { empty, handle } from "@/lib/server/http/respond";
import { readForm, requiredParameter } from "@/lib/server/http/read-form";
import { identifyCaller } from "@/lib/server/auth/token-endpoints/caller";
import { revokeToken } from "@/lib/server/auth/token-endpoints/revoke";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/**
 * RFC 7009: `token=…&token_type_hint=…`, form-encoded. 200 with an empty body for every well-formed
 * request, whether the token was ours, live, expired or unknown (§2.2).
 */
export const POST = handle(async (request: NextRequest) => {
  const trace = new TraceRecorder();
  await identifyCaller(request, "revoke", trace);
  const form = await readForm(request);
  await revokeToken(requiredParameter(form, "token"), form.get("token_type_hint"));
  return empty({ status: 200, headers: trace.headers() });
});

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
