/**
 * `npm run screenshots`: starts a production server on a temporary database, signs in as an admin in
 * real Chromium, and saves every page at 1440 px and 375 px wide under docs/screenshots/ (the README's
 * dashboard image is docs/dashboard.png). A tool for looking at what users see.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { ROOT, startAppServer } from "../tests/helpers/app-server";
import { setRole } from "../tests/helpers/db";
import { build, buildIsCurrent } from "./lib/build";
import { chromiumArgs, chromiumExecutable, missingChromium } from "./lib/chromium";

const OUT = path.join(ROOT, "docs", "screenshots");
const EMAIL = "ada@example.test";
const PASSWORD = "correct horse battery staple";

async function shoot(page: Page, url: string, name: string) {
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: path.join(OUT, `${name}-${width}.png`), fullPage: true });
  }
}

async function main() {
  if (!buildIsCurrent(ROOT)) build(ROOT);
  mkdirSync(OUT, { recursive: true });
  const server = await startAppServer({ env: { INSTANCE_ID: "authlab-1", AUTHLAB_ENV: "development" } });
  const missing = missingChromium(chromium.executablePath());
  if (missing) throw new Error(missing);
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs() });
  try {
    const page = await browser.newPage({ baseURL: server.url });
    await shoot(page, "/", "home");
    await shoot(page, "/login", "login");
    await shoot(page, "/login?reason=unreadable&next=%2Fdashboard", "login-reason");
    await shoot(page, "/signup", "signup");
    await page.goto("/signup");
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/dashboard/);
    await setRole(server.database, EMAIL, "ADMIN");
    const other = await browser.newPage({
      baseURL: server.url,
      userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Mobile Safari/604.1",
    });
    await other.goto("/login");
    await other.getByLabel("Email").fill(EMAIL);
    await other.getByLabel("Password").fill(PASSWORD);
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.waitForURL(/dashboard/);

    // Wide, so the flow details render open (below 640 px they fold away once the page runs).
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/dashboard");
    await page.getByTestId("access-token").waitFor();
    await page.getByTestId("call-session").click();
    await page.getByTestId("session-call-result").waitFor();
    await page.getByTestId("call-me").click();
    await page.getByTestId("jwt-call-result").waitFor();
    for (const id of ["tamper", "alg-none", "exposure", "rotation"]) {
      await page.getByTestId(`run-${id}`).click();
      await page.getByTestId(`experiment-${id}`).getByTestId("verdict").waitFor();
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ROOT, "docs", "dashboard.png"), fullPage: false });
    for (const width of [1440, 375]) {
      await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
      await page.screenshot({ path: path.join(OUT, `dashboard-${width}.png`), fullPage: true });
    }
    // The same page for a reader in another time zone and locale than the server's.
    const abroad = await browser.newContext({
      baseURL: server.url,
      timezoneId: "America/Los_Angeles",
      locale: "de-DE",
    });
    const far = await abroad.newPage();
    await far.setViewportSize({ width: 1440, height: 900 });
    await far.goto("/login");
    await far.getByLabel("Email").fill(EMAIL);
    await far.getByLabel("Password").fill(PASSWORD);
    await far.getByRole("button", { name: "Sign in" }).click();
    await far.waitForURL(/dashboard/);
    await far.getByTestId("access-token").waitFor();
    await far.waitForLoadState("networkidle");
    await far.screenshot({ path: path.join(OUT, "dashboard-los-angeles-1440.png"), fullPage: false });
    await abroad.close();
    await shoot(page, "/sessions", "sessions");
    await shoot(page, "/admin", "admin");
    await shoot(page, "/admin/audit", "admin-audit");
    console.log(`Screenshots in ${path.relative(ROOT, OUT)}/ and docs/dashboard.png`);
  } finally {
    await browser.close();
    await server.dispose();
  }
}

await main();
