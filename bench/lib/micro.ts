/**
 * Per-check costs in microseconds, measured in this process with the app's own modules beside the
 * raw cryptographic floor and two peers (jsonwebtoken, Auth.js). All cases are timed in interleaved
 * rounds (each round times every case once) and each figure is the median round, so a slow moment of
 * the machine lands on every case alike and ratios between cases stay meaningful. Warm-up first, so
 * JIT and first-use costs (key import, prepared statements) are out.
 */
import { createPublicKey, webcrypto } from "node:crypto";
import jsonwebtoken from "jsonwebtoken";
import { decode as authjsDecode, encode as authjsEncode } from "@auth/core/jwt";
import { unsealData } from "iron-session";

/** One timed loop: microseconds per call of `fn`, over at least `minMs`. */
async function timeLoop(fn: () => unknown, minMs: number): Promise<number> {
  let ops = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 25; i++) await fn();
    ops += 25;
    elapsed = performance.now() - started;
  }
  return (elapsed * 1000) / ops;
}

export async function microsecondsPerOp(
  fn: () => unknown,
  options: { warmup?: number; minMs?: number } = {},
): Promise<number> {
  return (await measureInterleaved({ only: fn }, options)).only!;
}

/** Median microseconds per call for each case, over interleaved rounds. */
export async function measureInterleaved<K extends string>(
  cases: Record<K, () => unknown>,
  options: { warmup?: number; minMs?: number; rounds?: number } = {},
): Promise<Record<K, number>> {
  const { warmup = 300, minMs = 400, rounds = 5 } = options;
  const names = Object.keys(cases) as K[];
  for (const name of names) for (let i = 0; i < warmup; i++) await cases[name]();
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++)
    for (const name of names) samples[name].push(await timeLoop(cases[name], minMs));
  return Object.fromEntries(names.map((n) => [n, samples[n].sort((a, b) => a - b)[Math.floor(rounds / 2)]!])) as Record<
    K,
    number
  >;
}

export interface MicroResults {
  jwtVerify: number;
  /**
   * One DPoP proof checked in full (lib/edge/dpop/verify-proof.ts): structure, the embedded key's
   * import, its ES256 signature, claims, htu, ath and the key's thumbprint — the work each layer does
   * per request, beside the bearer check (jwtVerify) and the raw ECDSA floor (rawEs256Verify).
   */
  dpopProofVerify: number;
  rawEs256Verify: number;
  jsonwebtokenVerify: number;
  ironUnseal: number;
  /** The same seal through iron-session's own unsealData (WebCrypto): the path authlab no longer takes. */
  ironSessionUnseal: number;
  authjsJweDecode: number;
  /** Session record with its user, as the session check does it. */
  storeLookup: { memory: number; database: number; redis: number | null };
  /** The same joined read through Prisma, for comparison (the path not taken). */
  prismaSessionLookup: number;
  userLookup: number;
  prismaUserLookup: number;
  sessionCheck: { memory: number; database: number };
  /**
   * What every authenticated request pays besides its check, each alone: the handler's second look at
   * a token the gate verified (a verified-token cache hit), the trace plumbing around a check with no
   * observer, the metrics observer's share (one counter and one histogram observation from labelled
   * children made once), and the route wrapper (served-host check, HSTS, nonce offer) around a handler
   * that answers at once. Without OTEL_EXPORTER_OTLP_ENDPOINT no span observer is registered at all,
   * so tracing costs nothing per request and has no case here.
   */
  perRequest: { verifiedCacheHit: number; traceCheck: number; metricsObserver: number; routeWrapper: number };
}

export async function runMicro(options: { redisUrl?: string; minMs?: number; rounds?: number }): Promise<MicroResults> {
  // The modules read config() lazily; the caller has put a complete environment in process.env.
  const { config } = await import("@/lib/edge/config");
  const { buildKeyRing } = await import("@/lib/edge/jwt/keys");
  const { verifyAccessToken } = await import("@/lib/edge/jwt/verify");
  const { verifyDpopProof } = await import("@/lib/edge/dpop/verify-proof");
  const { benchDpopKey, mintProof } = await import("./dpop");
  const { issueAccessToken } = await import("@/lib/server/auth/jwt/sign");
  const { sealSessionToken, unsealSessionToken } = await import("@/lib/server/auth/session/cookie");
  const { MemorySessionStore } = await import("@/lib/server/auth/session/memory-store");
  const { DatabaseSessionStore } = await import("@/lib/server/auth/session/database-store");
  const { RedisSessionStore } = await import("@/lib/server/auth/session/redis-store");
  const { openDatabase } = await import("@/lib/server/db/client");
  const { createRedis } = await import("@/lib/server/redis/client");
  const { randomToken, sha256Hex } = await import("@/lib/server/auth/random");
  const { checked } = await import("@/lib/edge/trace");
  const { metricsObserver } = await import("@/lib/server/observability/metrics-observer");
  const { handle } = await import("@/lib/server/http/respond");
  const settings = config();

  // JWT: ours, the raw WebCrypto verify of the same signature, and jsonwebtoken.
  const ring = await buildKeyRing(settings.jwt.privateKeys);
  const { token } = await issueAccessToken({ userId: 1, role: "USER", sessionId: "bench" });
  const verifyOptions = { issuer: settings.jwt.issuer, audience: settings.jwt.audience };
  const check = await verifyAccessToken(token, ring, verifyOptions);
  if (!check.ok) throw new Error(`benchmark token does not verify: ${check.description}`);
  // A proof for a request to /api/me with that token. Verifying the same proof again and again does the
  // same work as a fresh one (nothing is cached); the replay check is each layer's map lookup, left out.
  // The clock is pinned to the proof's iat, so a long run cannot push it out of the window.
  const dpopKey = await benchDpopKey();
  const htu = "http://127.0.0.1:3000/api/me";
  const proof = await mintProof(dpopKey, { method: "GET", htu, accessToken: token });
  const proofAt = new Date();
  const proofOptions = { accessToken: token, boundJkt: dpopKey.jkt, currentDate: proofAt };
  const proofCheck = await verifyDpopProof(proof, { method: "GET", htu }, proofOptions);
  if (!proofCheck.ok) throw new Error(`benchmark proof does not verify: ${proofCheck.description}`);
  const [h, p, s] = token.split(".");
  const signingInput = new TextEncoder().encode(`${h}.${p}`);
  const signature = Buffer.from(s!, "base64url");
  const key = ring.verification.get(ring.signingKid)!.key;
  const algorithm = { name: "ECDSA", hash: "SHA-256" };
  const pem = createPublicKey({ key: ring.publicJwks.keys.at(-1) as never, format: "jwk" }).export({
    type: "spki",
    format: "pem",
  });

  // Cookies: iron-session's unseal, and Auth.js's JWE session cookie decode.
  const passwords = settings.session.passwords;
  const sessionToken = randomToken(16);
  const seal = await sealSessionToken(sessionToken, passwords, settings.session.absoluteTimeoutSeconds);
  const secret = Object.values(passwords)[0]!;
  const salt = "authjs.session-token";
  const jwe = await authjsEncode({ token: { sub: "1", role: "USER" }, secret, salt });

  // Store lookups by token hash, and the user read that follows.
  const opened = openDatabase(settings.database.url);
  const db = opened.client;
  const user = await db.user.create({
    data: { email: `micro-${Date.now()}@bench.test`, name: "bench", passwordHash: "x" },
  });
  const now = new Date();
  const record = {
    id: randomToken(12),
    tokenHash: sha256Hex(sessionToken),
    userId: user.id,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: new Date(now.getTime() + 3_600_000),
    expiresAt: new Date(now.getTime() + 86_400_000),
    ip: "127.0.0.1",
    userAgent: "bench",
  };
  const reads = opened.reads;
  const memory = new MemorySessionStore();
  const database = new DatabaseSessionStore(
    () => db,
    () => reads,
  );
  await memory.create(record);
  await database.create(record);
  const readUser = (id: number) => reads.userById(id);
  const sessionCheck = async (store: typeof memory | typeof database) => {
    const opened = await unsealSessionToken(seal, passwords, settings.session.absoluteTimeoutSeconds);
    await store.getWithUser(sha256Hex(opened!), readUser);
  };
  const redisClient = options.redisUrl ? createRedis({ kind: "url", url: options.redisUrl }, "bench-micro") : null;
  const redis = redisClient ? new RedisSessionStore(redisClient, "bench:") : null;
  await redis?.create(record);

  // Per-request overheads. The observer is called directly: registering it would count every case.
  const observer = metricsObserver();
  const observeOneCheck = () => {
    observer.checked!("token", 0.05, { outcome: "ok" });
    observer.step!("store", 0.02, "database");
  };
  const answered = async () => new Response("{}");
  const wrapped = handle(answered);
  const request = new Request("http://127.0.0.1:3000/api/me", { headers: { host: "127.0.0.1:3000" } });
  const cachedOptions = { ...verifyOptions, useCache: true };
  await verifyAccessToken(token, ring, cachedOptions);

  const cases = {
    jwtVerify: () => verifyAccessToken(token, ring, verifyOptions),
    verifiedCacheHit: () => verifyAccessToken(token, ring, cachedOptions),
    traceCheck: () => checked("token", async () => 1),
    metricsObserver: observeOneCheck,
    routeWrapper: () => wrapped(request, {}),
    bareHandler: () => answered(),
    dpopProofVerify: () => verifyDpopProof(proof, { method: "GET", htu }, proofOptions),
    rawEs256Verify: () => webcrypto.subtle.verify(algorithm, key as webcrypto.CryptoKey, signature, signingInput),
    jsonwebtokenVerify: () =>
      jsonwebtoken.verify(token, pem, {
        algorithms: ["ES256"],
        issuer: verifyOptions.issuer,
        audience: verifyOptions.audience,
      }),
    ironUnseal: () => unsealSessionToken(seal, passwords, settings.session.absoluteTimeoutSeconds),
    ironSessionUnseal: () => unsealData(seal, { password: passwords, ttl: settings.session.absoluteTimeoutSeconds }),
    authjsJweDecode: () => authjsDecode({ token: jwe, secret, salt }),
    memoryLookup: () => memory.getWithUser(record.tokenHash, readUser),
    databaseLookup: () => database.getWithUser(record.tokenHash),
    prismaSessionLookup: () =>
      db.session.findUnique({
        where: { tokenHash: record.tokenHash },
        include: { user: { select: { id: true, email: true, name: true, role: true } } },
      }),
    userLookup: () => reads.userById(user.id),
    prismaUserLookup: () =>
      db.user.findUnique({ where: { id: user.id }, select: { id: true, email: true, name: true, role: true } }),
    sessionCheckMemory: () => sessionCheck(memory),
    sessionCheckDatabase: () => sessionCheck(database),
    ...(redis ? { redisLookup: () => redis.getWithUser(record.tokenHash, readUser) } : {}),
  } as Record<string, () => unknown>;
  const t = await measureInterleaved(cases, { minMs: options.minMs, rounds: options.rounds });
  redisClient?.disconnect();
  await opened.close();

  return {
    jwtVerify: t.jwtVerify!,
    dpopProofVerify: t.dpopProofVerify!,
    rawEs256Verify: t.rawEs256Verify!,
    jsonwebtokenVerify: t.jsonwebtokenVerify!,
    ironUnseal: t.ironUnseal!,
    ironSessionUnseal: t.ironSessionUnseal!,
    authjsJweDecode: t.authjsJweDecode!,
    storeLookup: { memory: t.memoryLookup!, database: t.databaseLookup!, redis: t.redisLookup ?? null },
    prismaSessionLookup: t.prismaSessionLookup!,
    userLookup: t.userLookup!,
    prismaUserLookup: t.prismaUserLookup!,
    sessionCheck: { memory: t.sessionCheckMemory!, database: t.sessionCheckDatabase! },
    perRequest: {
      verifiedCacheHit: t.verifiedCacheHit!,
      traceCheck: t.traceCheck!,
      metricsObserver: t.metricsObserver!,
      // What the wrapper adds to a handler that answers at once.
      routeWrapper: Math.max(0, t.routeWrapper! - t.bareHandler!),
    },
  };
}
