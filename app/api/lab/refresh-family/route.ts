import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { isSecure } from "@/lib/edge/http/request-context";
import { assertDevelopmentLab, requireLabUser } from "@/lib/server/lab/access";
import { liveFamilyOfSession, revokeFamiliesOfSession, startFamily } from "@/lib/server/auth/refresh/family-store";
import { config } from "@/lib/edge/config";
import { rotatedRefreshCookie } from "@/lib/server/auth/auth-cookies";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({
  /** Hand the page a copy of the new refresh token: the "stolen" copy for the replay experiment. */
  exposeCopy: z.boolean().default(false),
});

/**
 * Starts a new refresh-token family for the caller's current session (the old one is revoked) and
 * sets it as the refresh cookie. With exposeCopy the page also gets the token itself, which a real
 * client never does; the replay experiment plays the thief with it.
 */
export const POST = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  const { exposeCopy } = await readJson(request, bodySchema);
  if (exposeCopy) assertDevelopmentLab("this experiment hands a refresh token to page script");
  await revokeFamiliesOfSession(auth.session.id, "lab_new_family");
  const family = await startFamily(auth.user.id, auth.session.id);
  return json(
    {
      familyId: family.familyId,
      expiresAt: family.expiresAt.toISOString(),
      ...(exposeCopy ? { stolenCopy: family.token } : {}),
    },
    { cookies: [rotatedRefreshCookie(family.token, family.expiresAt, isSecure(request.headers))] },
  );
}, LAYERS.lab);

/**
 * The caller's live family as far as a page may see it — its public id and how often it rotated — and
 * the configured reuse grace window: what the two-tabs experiment compares before and after a race.
 */
export const GET = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  return json({
    graceSeconds: config().refresh.reuseGraceSeconds,
    family: await liveFamilyOfSession(auth.session.id),
  });
}, LAYERS.lab);

export const { PUT, PATCH, DELETE } = notAllowed("GET", "POST");
