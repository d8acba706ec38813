/**
 * The "active sessions" view of a user (GET /api/sessions and the /sessions page).
 */
import "server-only";
import { describeDevice } from "@/lib/server/accounts/device";
import { listSessions } from "@/lib/server/auth/session/session-lifecycle";

export interface SessionSummary {
  id: string;
  device: string;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

export async function sessionSummaries(userId: number, currentSessionId: string): Promise<SessionSummary[]> {
  const records = await listSessions(userId);
  return records
    .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime())
    .map((record) => ({
      id: record.id,
      device: describeDevice(record.userAgent),
      ip: record.ip,
      createdAt: record.createdAt.toISOString(),
      lastSeenAt: record.lastSeenAt.toISOString(),
      current: record.id === currentSessionId,
    }));
}
