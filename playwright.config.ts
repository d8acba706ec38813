import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, chromiumExecutable } from "./scripts/lib/chromium";

/**
 * Real Chromium (see scripts/lib/chromium.ts for which one) against the real production server,
 * started in e2e/global-setup.ts on a free port.
 */

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: "test-results/e2e",
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs() },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
});
