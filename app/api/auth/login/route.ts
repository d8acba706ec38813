import type { NextRequest } from "next/server";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { assertSameOrigin } from "@/lib/edge/http/csrf";
import { requestContext } from "@/lib/edge/http/request-context";
import { loginSchema } from "@/lib/server/auth/validation";
import { signedInBody } from "@/lib/server/auth/sign-in";
import { signInBrowser } from "@/lib/server/auth/browser-sign-in";
import { notAllowed } from "@/lib/server/http/methods";
import { readTokenRequestProof } from "@/lib/server/auth/dpop/token-request-proof";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const POST = handle(async (request: NextRequest) => {
  // Login CSRF: a forged sign-in would put the victim in the attacker's account.
  assertSameOrigin(request.headers);
  const input = await readJson(request, loginSchema);
  const context = requestContext(request.headers);
  // RFC 9449 §5: with a DPoP proof, the access token and the refresh family are bound to its key.
  const proof = await readTokenRequestProof(request);
  // A new token at every login; the browser's previous session (if any) ends (browser-sign-in.ts).
  const { signedIn, cookies } = await signInBrowser({ via: "login", input }, context, request.cookies, {
    dpopJkt: proof?.jkt,
  });
  return json(signedInBody(signedIn), { cookies });
});

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
