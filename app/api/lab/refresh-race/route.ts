import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { config, MAX_REFRESH_REUSE_GRACE_SECONDS } from "@/lib/edge/config";
import { handle, json, toAppError } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { requireLabUser } from "@/lib/server/lab/access";
import { refresh } from "@/lib/server/auth/refresh/refresh";
import { findFamilyById, revokeFamily, startFamily } from "@/lib/server/auth/refresh/family-store";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({
  /** The rule to race under: 0 is strict mode; the server's own setting is not changed. */
  graceSeconds: z.number().int().min(0).max(MAX_REFRESH_REUSE_GRACE_SECONDS),
});

/**
 * What the other reuse rule would have done with two tabs refreshing at once: a scratch refresh family
 * for the caller's own session, two concurrent refreshes with its one token through the real refresh
 * flow under the chosen grace window, then the family's state. The tokens never leave the server, and
 * the scratch family is revoked afterwards; the page's own family is not involved.
 */
export const POST = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  const { graceSeconds } = await readJson(request, bodySchema);
  const scratch = await startFamily(auth.user.id, auth.session.id);
  const settled = await Promise.allSettled([
    refresh(scratch.token, { graceSeconds }),
    refresh(scratch.token, { graceSeconds }),
  ]);
  const after = await findFamilyById(scratch.familyId);
  await revokeFamily(scratch.familyId, "lab_new_family");

  const answers = settled.map((outcome) => {
    if (outcome.status === "fulfilled") return { status: 200, kind: outcome.value.kind };
    const error = toAppError(outcome.reason);
    if (!error) throw outcome.reason;
    return { status: error.status, error: error.code, reason: error.reason };
  });
  const handedOut = settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value.token] : []));
  return json({
    configuredGraceSeconds: config().refresh.reuseGraceSeconds,
    graceSeconds,
    answers,
    /** Distinct refresh tokens the 200s carried: 1 means the family did not fork. */
    successorsHandedOut: new Set(handedOut).size,
    familyRevoked: after?.revokedAt !== null,
    generation: after?.generation ?? null,
  });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
