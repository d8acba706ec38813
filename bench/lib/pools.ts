/**
 * Credentials the servers have never seen, for the cold-path targets: a pool of access tokens and a
 * pool of session cookies naming real records, each larger than every cache that could remember them.
 *
 * The caches: verified tokens, 10,000 per Node process and 10,000 per Edge isolate
 * (lib/edge/jwt/verified-cache.ts); opened seals, 10,000 per process (lib/server/auth/session/
 * unseal-memo.ts). Both evict the oldest entry first, so a pool of more than 10,000 handed out in
 * turn (load.ts `rotate`) is a miss every time, however long the run.
 */
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { sessionCookieName } from "@/lib/edge/cookies";
import { sqliteFilePath } from "@/lib/server/db/sqlite-path";
import { SyntheticSessions, sqliteFiller, sqliteTime, type Lifetimes } from "./fill";
import { rotate } from "./load";

export const COLD_POOL_SIZE = 12_000;
/** Seals made at once: WebCrypto work on the thread pool. */
const SEALS_IN_FLIGHT = 32;

/** Access tokens signed with the configured key, each with its own jti (so each is a different string). */
export async function mintAccessTokens(count: number, subject: (i: number) => { userId: number; sessionId: string }) {
  const { issueAccessToken } = await import("@/lib/server/auth/jwt/sign");
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push((await issueAccessToken({ ...subject(i), role: "USER" })).token);
  return tokens;
}

/** Re-minted before a run once older than this: access tokens live 15 minutes at most. */
const TOKEN_POOL_MAX_AGE_MS = 10 * 60_000;

export interface ColdTokenPool {
  /** The next token in turn. */
  next(): string;
  /** Mints the pool again if it could expire during the next run (call before each run). */
  refresh(): Promise<void>;
}

/** `count` tokens of one subject, handed out in turn, kept young enough for a long run. */
export async function coldTokenPool(
  count: number,
  subject: { userId: number; sessionId: string },
): Promise<ColdTokenPool> {
  let mintedAt = Date.now();
  let next = rotate(await mintAccessTokens(count, () => subject));
  return {
    next: () => next(),
    async refresh() {
      if (Date.now() - mintedAt < TOKEN_POOL_MAX_AGE_MS) return;
      next = rotate(await mintAccessTokens(count, () => subject));
      mintedAt = Date.now();
    },
  };
}

/** Seals record i's token the way a sign-in does; a cookie header value for each. */
export async function sealedCookies(population: SyntheticSessions, indices: readonly number[]): Promise<string[]> {
  const { config } = await import("@/lib/edge/config");
  const { sealSessionToken } = await import("@/lib/server/auth/session/cookie");
  const settings = config();
  const name = sessionCookieName(false);
  const cookies: string[] = [];
  for (let start = 0; start < indices.length; start += SEALS_IN_FLIGHT) {
    const batch = indices.slice(start, start + SEALS_IN_FLIGHT);
    const seals = await Promise.all(
      batch.map((i) =>
        sealSessionToken(population.token(i), settings.session.passwords, settings.session.absoluteTimeoutSeconds),
      ),
    );
    cookies.push(...seals.map((seal) => `${name}=${seal}`));
  }
  return cookies;
}

export interface ColdSessionPool {
  cookies: string[];
  /**
   * Marks every record as just used. A record not used for a minute gets its idle expiry written on
   * its next check (session-lifecycle.ts, MAX_TOUCH_INTERVAL_MS); refreshing before each run keeps that write
   * out of the cold path, which is about the unseal and the lookup.
   */
  refresh(): void;
  close(): void;
}

/** `count` session records of one user in a SQLite database store, and a sealed cookie for each. */
export async function coldSessionPool(
  databaseUrl: string,
  userId: number,
  count: number,
  lifetimes: Lifetimes,
): Promise<ColdSessionPool> {
  const population = new SyntheticSessions(randomBytes(4).toString("hex"), [userId]);
  const filler = sqliteFiller(databaseUrl, population, lifetimes);
  await filler.sessions(0, count);
  await filler.close();
  const cookies = await sealedCookies(
    population,
    Array.from({ length: count }, (_, i) => i),
  );
  const connection = new Database(sqliteFilePath(databaseUrl));
  const touch = connection.prepare(`UPDATE "Session" SET "lastSeenAt" = ?, "idleExpiresAt" = ? WHERE "userId" = ?`);
  return {
    cookies,
    refresh() {
      const now = Date.now();
      touch.run(sqliteTime(new Date(now)), sqliteTime(new Date(now + lifetimes.idleSeconds * 1000)), userId);
    },
    close() {
      connection.close();
    },
  };
}
