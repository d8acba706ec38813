import type { NextRequest } from "next/server";
import { z } from "zod";
import { handle, json } from "@/lib/http/respond";
import { readJson } from "@/lib/http/read-json";
import { assertDevelopmentLab, requireLabUser } from "@/lib/lab/access";
import { roleSchema } from "@/lib/auth/validation";
import { updateRole } from "@/lib/accounts/users";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ role: roleSchema });

/** Changes the caller's own role (development only), for the role-change experiment. */
export const POST = handle(async (request: NextRequest) => {
  const auth = await requireLabUser(request);
  assertDevelopmentLab("this experiment changes your own role");
  const { role } = await readJson(request, bodySchema);
  return json({ user: await updateRole(auth.user.id, role) });
}, "lab");

export const { GET, PUT, PATCH, DELETE } = notAllowed("POST");
