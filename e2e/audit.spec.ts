import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { setRole } from "../tests/helpers/db";
import type { TestDatabase } from "../tests/helpers/app-server";
import { signUpThroughForm } from "./helpers";

/**
 * After a refresh-token replay, an admin sees refresh_reuse_detected with the
 * account, address and user agent on /admin/audit, the user sees it on /sessions, the experiment
 * shows what it left behind, and /api/metrics counted it.
 */
function database(): TestDatabase {
  const url = process.env.E2E_DATABASE_URL!;
  const kind = url.startsWith("file:") ? ("sqlite" as const) : ("postgresql" as const);
  // The global setup owns (and disposes of) the database.
  return { kind, url, dispose: async () => {} };
}

async function reuseCount(page: Page): Promise<number> {
  // The e2e server runs under the launcher without METRICS_TOKEN: loopback callers may scrape.
  const response = await page.request.get("/api/metrics");
  expect(response.status()).toBe(200);
  const line = (await response.text()).split("\n").find((l) => l.startsWith("authlab_refresh_reuse_detected_total"));
  return Number(line?.split(" ")[1] ?? 0);
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("a refresh-token replay is seen by the user, the admin and the metrics", async ({ page, browser }) => {
  const before = await reuseCount(page);
  const { email } = await signUpThroughForm(page, undefined, "Replay Victim");
  await expect(page.getByTestId("access-token")).toBeVisible();
  const userAgent = await page.evaluate(() => navigator.userAgent);

  // The experiment ends with the event it produced.
  const card = page.getByTestId("experiment-replay");
  await card.getByTestId("run-replay").click();
  await expect(card.getByTestId("verdict")).toHaveText("as predicted", { timeout: 30_000 });
  const effects = card.getByTestId("experiment-effects");
  await expect(effects.locator('[data-testid="effect-event"][data-event="refresh_reuse_detected"]')).toBeVisible();
  await expect(
    effects.getByTestId("effect-metric").filter({ hasText: "authlab_refresh_reuse_detected_total" }),
  ).toContainText("+1");

  // The user, on /sessions.
  await page.goto("/sessions");
  const reused = page.locator('[data-testid="activity-row"][data-event="refresh_reuse_detected"]');
  await expect(reused).toHaveCount(1);
  // The Desktop Chrome device preset presents Chrome on Windows.
  await expect(reused).toContainText("Refresh token reused from 127.0.0.1 (Chrome on Windows)");
  // The account was created by signing up: its one sign-in says so.
  await expect(page.locator('[data-testid="activity-row"][data-event="sign_in_succeeded"]')).toHaveText([
    /^Account created and signed in from 127\.0\.0\.1/,
  ]);

  // An admin, on /admin/audit, filtering by event.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  const admin = await signUpThroughForm(adminPage, undefined, "Audit Admin");
  await setRole(database(), admin.email, "ADMIN");
  await adminPage.goto("/admin/audit");
  await adminPage.getByLabel("Event", { exact: true }).selectOption("refresh_reuse_detected");
  await adminPage.getByRole("button", { name: "Filter" }).click();
  await expect(adminPage).toHaveURL(/event=refresh_reuse_detected/);
  const row = adminPage.getByTestId("audit-row").filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute("data-event", "refresh_reuse_detected");
  await expect(row.getByTestId("audit-account")).toHaveText(email);
  await expect(row.getByTestId("audit-ip")).toHaveText("127.0.0.1");
  await expect(row.getByTestId("audit-ua")).toHaveText(userAgent);
  for (const width of [375, 1440]) {
    await adminPage.setViewportSize({ width, height: 900 });
    await expectAccessible(adminPage);
    expect(await adminPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
  await adminContext.close();

  // And the metrics counted it.
  expect(await reuseCount(page)).toBe(before + 1);
});

test("/admin/audit is for admins only", async ({ page }) => {
  await signUpThroughForm(page);
  const response = await page.goto("/admin/audit");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("audit-table")).toHaveCount(0);
});
