/**
 * Who may read the lab's witness records while a shard is down. The caller's own session lives on a
 * shard too — the very one the experiment kills — so a cookie check would answer 503 exactly when the
 * page needs to watch the other shards. The access token needs no store (it is verified by signature),
 * so these endpoints accept it (Bearer or DPoP, RFC 6750 / RFC 9449) as well as the session; a token
 * is never sent by the browser on its own, so no CSRF check is needed for it (OWASP CSRF Prevention
 * Cheat Sheet: custom request headers).
 */
import "server-only";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/edge/errors";
import { requireAccessToken } from "@/lib/server/auth/jwt/request-token";
import { labOpenTo, requireLabUser } from "@/lib/server/lab/access";

export async function requireLabCaller(request: NextRequest): Promise<void> {
  if (!request.headers.has("authorization")) {
    await requireLabUser(request);
    return;
  }
  const { claims } = await requireAccessToken(request);
  if (!labOpenTo(claims.role)) throw new AppError("lab_disabled", "the lab is open to admins only outside development");
}
