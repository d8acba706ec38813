/**
 * Access tokens revoked one by one (RFC 7009, POST /api/auth/revoke), by `jti` — never by the token's
 * string, which has more than one spelling (SECURITY.md, "one token, one string"). The strict check and
 * introspection refuse a listed jti; the Edge does not look (the stateless design's price). A row is
 * kept until the token's own `exp` and then swept: after that the token is refused as expired anyway.
 * `exp` is wall-clock time, like every check of it (lib/server/clock.ts), so the sweep compares with
 * the wall clock too.
 */
import "server-only";
import { wallClock } from "@/lib/server/clock";
import { db } from "@/lib/server/db/client";
import { deleteInBatches, type BatchedSweep } from "@/lib/server/db/delete-in-batches";
import { isUniqueViolation } from "@/lib/server/db/errors";

/** True when this call listed the jti; false when it was listed already. */
export async function denyAccessToken(jti: string, expiresAt: Date, now = wallClock.now()): Promise<boolean> {
  try {
    await db().revokedAccessToken.create({ data: { jti, expiresAt, revokedAt: now } });
    return true;
  } catch (error) {
    // Revoked before (two requests at once, or a repeat): it stays revoked, which is all that was asked.
    if (!isUniqueViolation(error)) throw error;
    return false;
  }
}

export async function isAccessTokenDenied(jti: string): Promise<boolean> {
  return (await db().revokedAccessToken.findUnique({ where: { jti }, select: { jti: true } })) !== null;
}

/** In batches (delete-in-batches.ts) through the expiry index. */
export async function deleteExpiredDenials(
  now = wallClock.now(),
  { client = db(), batchSize }: BatchedSweep = {},
): Promise<number> {
  const expired = { expiresAt: { lte: now } };
  return deleteInBatches(async (size) => {
    const batch = await client.revokedAccessToken.findMany({
      where: expired,
      orderBy: { expiresAt: "asc" },
      take: size,
      select: { jti: true },
    });
    if (batch.length === 0) return 0;
    const jtis = batch.map((row) => row.jti);
    return (await client.revokedAccessToken.deleteMany({ where: { jti: { in: jtis }, ...expired } })).count;
  }, batchSize);
}
