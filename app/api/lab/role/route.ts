import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { assertDevelopmentLab, requireLabUser } from "@/lib/server/lab/access";
import { roleSchema } from "@/lib/server/auth/validation";
import { updateRole } from "@/lib/server/accounts/users";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ role: roleSchema });

/** Changes the caller's own role (development only), for the role-change experiment. */
export const POST = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  assertDevelopmentLab("this experiment changes your own role");
  const { role } = await readJson(request, bodySchema);
  return json({ user: await updateRole(auth.user.id, role) });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
