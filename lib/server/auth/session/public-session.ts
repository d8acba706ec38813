/**
 * What a page or an API answer shows of a session record: its public id and times, never the token
 * or its hash (docs/api.md: `id` is a public identifier, never the cookie's token).
 */
import "server-only";
import { storeKind } from "./session-lifecycle";
import type { SessionRecord } from "./store";

export interface SessionDto {
  id: string;
  store: string;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  expiresAt: string;
}

export function sessionDto(session: SessionRecord): SessionDto {
  return {
    id: session.id,
    store: storeKind(),
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    idleExpiresAt: session.idleExpiresAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
  };
}
