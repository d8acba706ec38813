/**
 * The per-family refresh rate, so one account cannot load the database with a refresh loop: at most REFRESH_MAX_PER_FAMILY_PER_MINUTE refreshes
 * in a fixed one-minute window, counted on the family's own row. The count is one conditional UPDATE,
 * so it holds across instances without Redis, and costs one write on a path that writes anyway. A
 * client over the rate gets 429 with Retry-After; its family is not touched (a loop is a bug or abuse,
 * not evidence of theft).
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { AppError } from "@/lib/edge/errors";
import { db } from "@/lib/server/db/client";

const WINDOW_MS = 60_000;

export async function takeRefreshBudget(familyId: string, now: Date): Promise<void> {
  const limit = config().refresh.maxPerFamilyPerMinute;
  const windowOpenedAfter = new Date(now.getTime() - WINDOW_MS);
  const families = db().refreshTokenFamily;
  // Twice: a request that finds the window stale may lose the reset to a concurrent one, and then
  // counts in the window that one opened.
  for (let attempt = 0; attempt < 2; attempt++) {
    const counted = await families.updateMany({
      where: { id: familyId, rateWindowStartedAt: { gt: windowOpenedAfter }, rateWindowCount: { lt: limit } },
      data: { rateWindowCount: { increment: 1 } },
    });
    if (counted.count === 1) return;
    const reset = await families.updateMany({
      where: { id: familyId, rateWindowStartedAt: { lte: windowOpenedAfter } },
      data: { rateWindowStartedAt: now, rateWindowCount: 1 },
    });
    if (reset.count === 1) return;
  }
  const row = await families.findUnique({ where: { id: familyId }, select: { rateWindowStartedAt: true } });
  const opened = row?.rateWindowStartedAt.getTime() ?? now.getTime();
  const retryAfterSeconds = Math.max(1, Math.ceil((opened + WINDOW_MS - now.getTime()) / 1000));
  throw new AppError("rate_limited", "this refresh token is being refreshed too often; wait and try again", {
    headers: { "retry-after": String(retryAfterSeconds) },
  });
}
