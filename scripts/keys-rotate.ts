/**
 * `npm run keys:rotate`: adds a signing key to JWT_PRIVATE_JWKS. From the next start the new key signs;
 * the previous key stays listed (and published in /.well-known/jwks.json) until every token it signed
 * has expired. A key removed from the set makes its tokens invalid, so retired keys are removed only
 * when asked (`npm run keys:rotate -- --prune`): an instance that was never restarted after the last
 * rotation may still be signing with a key whose retirement date has passed.
 *
 * Where the keys live in .env.local (development) the file is updated; otherwise the new value is
 * printed for the operator to store in their secret manager.
 */
import path from "node:path";
import { loadEnvFiles } from "./lib/prepare";
import { envFileHas, setEnvFileValues } from "./lib/env-file";
import { MAX_ACCESS_TOKEN_TTL_SECONDS, DEV_SECRET_MARKER } from "@/lib/edge/config";
import { parsePrivateJwks } from "@/lib/edge/jwt/jwks-schema";

export { rotate, type RotateOptions, type Rotation } from "./lib/key-rotation";
import { rotate } from "./lib/key-rotation";

async function main() {
  const root = process.cwd();
  loadEnvFiles(root);
  const development = process.env.NODE_ENV !== "production";
  const raw = process.env.JWT_PRIVATE_JWKS;
  if (!raw) {
    console.error("JWT_PRIVATE_JWKS is not set. In development `npm start` generates it; in production set it first.");
    process.exit(1);
  }
  const parsed = parsePrivateJwks(raw);
  if (!parsed.ok) {
    console.error(`JWT_PRIVATE_JWKS: ${parsed.message}`);
    process.exit(1);
  }
  const ttl = Number(process.env.ACCESS_TOKEN_TTL_SECONDS || MAX_ACCESS_TOKEN_TTL_SECONDS);
  const devKeys = parsed.keys.some((k) => k.kid.startsWith(DEV_SECRET_MARKER));
  const prune = process.argv.includes("--prune");
  const result = await rotate(parsed.keys, new Date(), {
    accessTokenTtlSeconds: ttl,
    development: development && devKeys,
    prune,
  });
  const value = JSON.stringify({ keys: result.keys });

  console.log(`Added ${result.added.kid}: it signs new tokens from the next start.`);
  console.log(
    `Kept ${result.retiring.kid} for verification until ${new Date(result.retiring.retireAt! * 1000).toISOString()} (its tokens expire by then).`,
  );
  for (const key of result.removed) console.log(`Removed ${key.kid}: every token it signed has expired.`);
  if (result.prunable.length > 0) {
    console.log(
      `Past their retirement date: ${result.prunable.map((k) => k.kid).join(", ")}. Once every instance runs with ` +
        "a newer key, run `npm run keys:rotate -- --prune` to remove them.",
    );
  }

  const envFile = path.join(root, ".env.local");
  if (envFileHas(envFile, "JWT_PRIVATE_JWKS")) {
    setEnvFileValues(envFile, { JWT_PRIVATE_JWKS: value });
    console.log("Updated .env.local. Restart the server (every instance) to use the new key.");
  } else {
    console.log("\nSet this as JWT_PRIVATE_JWKS on every instance, then restart them:\n");
    console.log(value);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
