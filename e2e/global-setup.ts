/**
 * Builds if needed, starts one production server with its own temporary database, and hands its URL
 * to the tests through E2E_BASE_URL. The returned function stops it.
 */
import { chromium } from "@playwright/test";
import { missingChromium } from "../scripts/lib/chromium";
import { build, buildIsCurrent } from "../scripts/lib/build";
import { generatePrismaClients } from "../scripts/lib/generate";
import { ROOT, startAppServer } from "../tests/helpers/app-server";

export default async function globalSetup() {
  const missing = missingChromium(chromium.executablePath());
  if (missing) throw new Error(missing);
  generatePrismaClients(ROOT);
  if (!buildIsCurrent(ROOT)) build(ROOT);
  const server = await startAppServer({ env: { INSTANCE_ID: "e2e-a" } });
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_DATABASE_URL = server.database.url;
  return async () => {
    await server.dispose();
  };
}
