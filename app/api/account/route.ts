import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { empty, handle } from "@/lib/server/http/respond";
import { requireStrictAccess } from "@/lib/server/auth/jwt/strict-check";
import { deleteAccount } from "@/lib/server/accounts/delete-account";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** Deletes the caller's account. Sensitive, so the strict check runs: a revoked token cannot do this. */
export const DELETE = handle(async (request: Request) => {
  const trace = new TraceRecorder();
  const { user } = await requireStrictAccess(request, { recorder: trace });
  await deleteAccount(user.id);
  return empty({ headers: trace.headers() });
}, LAYERS.strict);

export const { GET, POST, PUT, PATCH } = notAllowed("DELETE");
