/**
 * The four ways a server can recognise a client that the decision table compares (docs/choosing.md),
 * and how the revocation race asks with each. One entry each; the table and the race iterate them.
 */
export const MECHANISMS = [
  { id: "store", name: "Store session", url: "/api/lab/race/probe?mode=store", credential: "cookie" },
  { id: "cached", name: "Cookie-cached session", url: "/api/lab/race/probe?mode=cached", credential: "cookie" },
  { id: "bearer", name: "Bearer JWT", url: "/api/me", credential: "bearer" },
  { id: "strict", name: "Strict JWT", url: "/api/me/strict", credential: "bearer" },
] as const;

export type MechanismId = (typeof MECHANISMS)[number]["id"];
export type Mechanism = (typeof MECHANISMS)[number];

/** What POST /api/lab/race answers: the experiment session's credentials. */
export interface PreparedRace {
  sessionId: string;
  accessToken: string;
  accessTokenExpiresAt: string;
  cacheSeconds: number;
  labMinted: boolean;
  cookieBytes: { store: number; cached: number };
}

/** One request with a mechanism's credential, as measured on page load. */
export interface MechanismProbe {
  status: number;
  storeLookups: number | null;
  /** Server-side check time from Server-Timing (the gate's own header, and the handler's, for the JWT). */
  checkMs: number;
  /** The steps that make up checkMs, as the server named them. */
  steps: string;
  bytes: number;
  source: string | null;
}

export interface RaceOutcome {
  /** Milliseconds from the revocation's answer to the first refusal; null: still accepted at the limit. */
  refusedAfterMs: number | null;
  polls: number;
  /** The refusal's error code (no_session, invalid_token/revoked), or the last status seen. */
  answer: string;
}

export interface RaceResult {
  at: string;
  limitMs: number;
  pollMs: number;
  cacheSeconds: number;
  labMinted: boolean;
  accessTokenExpiresAt: string;
  outcomes: Record<MechanismId, RaceOutcome>;
}
