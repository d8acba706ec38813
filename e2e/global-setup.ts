/**
 * Builds if needed, starts one production server with its own temporary database, and hands its URL
 * to the tests through E2E_BASE_URL. The returned function stops it.
 */
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { build, buildIsCurrent } from "../scripts/lib/build";
import { generatePrismaClients } from "../scripts/lib/generate";
import { ROOT, startAppServer } from "../tests/helpers/app-server";

function assertBrowser() {
  const system = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(system)) return;
  if (existsSync(chromium.executablePath())) return;
  throw new Error(
    "No Chromium found. Install Debian's chromium (apt-get install chromium) or run `npx playwright install chromium` where the internet is reachable.",
  );
}

export default async function globalSetup() {
  assertBrowser();
  generatePrismaClients(ROOT);
  if (!buildIsCurrent(ROOT)) build(ROOT);
  const server = await startAppServer({ env: { INSTANCE_ID: "e2e-a" } });
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_DATABASE_URL = server.database.url;
  return async () => {
    await server.dispose();
  };
}
