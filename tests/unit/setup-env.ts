/**
 * Unit tests run modules that read config(); give them a complete, production-like environment
 * generated here (never a developer's .env.local).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";

const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwk = privateKey.export({ format: "jwk" });

Object.assign(process.env, {
  AUTHLAB_ENV: "test",
  DATABASE_URL: "file:./data/unit-tests-never-opened.db",
  SESSION_STORE: "memory",
  SESSION_PASSWORD: randomBytes(32).toString("base64url"),
  JWT_PRIVATE_JWKS: JSON.stringify({
    keys: [{ kty: "EC", crv: "P-256", alg: "ES256", kid: "unit-key", x: jwk.x, y: jwk.y, d: jwk.d }],
  }),
  JWT_ISSUER: "urn:authlab",
  JWT_AUDIENCE: "urn:authlab:api",
});
