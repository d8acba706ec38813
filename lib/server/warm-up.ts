/**
 * Start-up warm-up (docs/design.md, "Finding your way in the code"): everything the first requests of a fresh process would otherwise pay
 * for — 0.8–1.8 s on the first sign-in after a restart — done before the instance reports ready: the
 * Prisma client and its query compiler, the driver's prepared statements, the connections of the
 * session store, the rate limiter and the DPoP replay store, the signing key (and a first signature) and
 * the verification key ring, argon2's native module and the dummy hash, the cookie seal. Route modules
 * and the Edge middleware warm when the launcher sends its first local requests (scripts/server.mjs).
 *
 * Read-only and best effort: no step writes anything or counts against any limit, and a step that fails
 * (Redis still down at start-up) is logged and skipped — the instance then starts as it did before.
 */
import "server-only";
import { CompactSign } from "jose";
import { config } from "@/lib/edge/config";
import { keyRingFor } from "@/lib/edge/jwt/keys";
import { findCredentialsByEmail } from "@/lib/server/accounts/users";
import { verifyAgainstDummy } from "@/lib/server/auth/password";
import { signingKeyFor } from "@/lib/server/auth/jwt/sign";
import { sealSessionToken, unsealSessionToken } from "@/lib/server/auth/session/cookie";
import { sessionStore } from "@/lib/server/auth/session";
import { jtiStore } from "@/lib/server/auth/dpop/jti-store";
import { db, fastReads } from "@/lib/server/db/client";
import { log } from "@/lib/server/log";
import { rateLimiter } from "@/lib/server/rate-limit";

/** No account can have this address (RFC 2606 reserves .invalid). */
const NOBODY = "warm-up@authlab.invalid";
/** A token hash no session can have (hashes are hex SHA-256 of random tokens). */
const NO_SESSION = "0".repeat(64);

const STEPS: [string, () => Promise<unknown>][] = [
  ["config", async () => config()],
  ["database", () => db().user.findFirst({ where: { id: -1 }, select: { id: true } })],
  ["credentials read", () => findCredentialsByEmail(NOBODY)],
  ["fast reads", () => fastReads().userById(-1)],
  ["session store", () => sessionStore().get(NO_SESSION)],
  ["rate limiter", () => rateLimiter().peek("warm-up", { limit: 1, windowSeconds: 1 })],
  // The DPoP replay store has its own Redis connection: opened here, not by the first DPoP state change.
  ["dpop replay store", () => jtiStore().warm()],
  ["key ring", () => keyRingFor(config().jwt.privateKeys)],
  // A signature over a fixed string with no claims (not an access token: it verifies nowhere), so the
  // first sign-in does not pay for WebCrypto's first signature.
  [
    "signing",
    async () => {
      const key = await signingKeyFor(config().jwt.privateKeys);
      return new CompactSign(new TextEncoder().encode("warm-up")).setProtectedHeader({ alg: key.alg }).sign(key.key);
    },
  ],
  // (Step names avoid words the log redactor drops, such as "password" and "seal".)
  ["argon2", () => verifyAgainstDummy("warm-up password")],
  [
    "cookie crypto",
    async () => {
      const { passwords, absoluteTimeoutSeconds: ttl } = config().session;
      const seal = await sealSessionToken(NO_SESSION, passwords, ttl);
      return unsealSessionToken(seal, passwords, ttl);
    },
  ],
];

export async function warmUp(): Promise<void> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  for (const [name, step] of STEPS) {
    const stepStarted = performance.now();
    try {
      await step();
    } catch (error) {
      log.warn("warmup.step_failed", { step: name, error });
    }
    timings[name] = Math.round(performance.now() - stepStarted);
  }
  log.info("warmup.done", { ms: Math.round(performance.now() - started), steps: timings });
}
