import { LAYERS } from "@/lib/edge/trace";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { handle, json } from "@/lib/server/http/respond";
import { readJson } from "@/lib/server/http/read-json";
import { assertDevelopmentLab, requireLabUser } from "@/lib/server/lab/access";
import { roleSchema } from "@/lib/server/auth/validation";
import { updateRole } from "@/lib/server/accounts/users";
import { notAllowed } from "@/lib/server/http/methods";
import { securityEvent } from "@/lib/server/audit/record";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ role: roleSchema });

/** Changes the caller's own role (development only), for the role-change experiment. */
export const POST = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  assertDevelopmentLab("this experiment changes your own role");
  const { role } = await readJson(request, bodySchema);
  const user = await updateRole(auth.user.id, role);
  // A self-promotion to admin is exactly what an audit trail is for, even in the lab.
  if (user)
    securityEvent("role_changed", { userId: user.id, detail: { role: user.role, changedBy: user.id, via: "lab" } });
  return json({ user, audited: "role_changed" });
}, LAYERS.lab);

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
