import { expect, test, type Page } from "@playwright/test";
import { startAppServer, type AppServer } from "../tests/helpers/app-server";
import { PASSWORD, releaseNextTwoRefreshesTogether, uniqueEmail } from "./helpers";

/** Short enough that each tab's timer refreshes within seconds (at three quarters of the lifetime). */
const ACCESS_TOKEN_TTL_SECONDS = 8;

function refreshRows(page: Page) {
  return page.locator('[data-testid="trace-row"][data-url="/api/auth/refresh"]');
}

test.describe("two tabs of one browser", () => {
  let server: AppServer;
  test.beforeAll(async () => {
    server = await startAppServer({
      env: { ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS), INSTANCE_ID: "e2e-tabs" },
    });
  });
  test.afterAll(async () => {
    await server?.dispose();
  });

  for (const mode of ["on", "off"] as const) {
    test(`DPoP ${mode}: loading the dashboard at the same moment, both tabs keep working tokens through their refreshes`, async ({
      context,
    }) => {
      // The switch as a previous visit left it; both tabs read it (and, with DPoP, share one IndexedDB key).
      await context.addInitScript((value) => window.localStorage.setItem("authlab.dpop", value), mode);
      const first = await context.newPage();
      await first.goto(`${server.url}/signup`);
      await first.getByLabel("Email").fill(uniqueEmail(`tabs-${mode}`));
      await first.getByLabel("Password").fill(PASSWORD);
      await first.getByRole("button", { name: "Create account" }).click();
      await expect(first).toHaveURL(/\/dashboard$/);

      const second = await context.newPage();
      const tabs = [first, second];
      // How the server answered each refresh: "rotated", or "reissued" for a token presented twice at once.
      const answers: string[] = [];
      for (const page of tabs) {
        page.on("response", (response) => {
          if (new URL(response.url()).pathname === "/api/auth/refresh")
            answers.push(`${response.status()} ${response.headers()["x-authlab-refresh"] ?? "-"}`);
        });
      }
      // Both load (and so refresh) at the same moment, sharing one cookie jar.
      await Promise.all(tabs.map((page) => page.goto(`${server.url}/dashboard`)));
      for (const page of tabs) await expect(page.getByTestId("access-token")).toBeVisible();

      // The load's refresh, then at least one timer refresh per tab.
      for (const page of tabs) {
        await expect.poll(() => refreshRows(page).count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      }
      for (const page of tabs) {
        const statuses = await refreshRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")));
        expect(statuses.every((s) => s === "200")).toBe(true);
        await expect(page.getByTestId("token-type")).toHaveText(mode === "on" ? "DPoP (bound to a key)" : "Bearer");
        await page.getByTestId("call-me").click();
        await expect(page.getByTestId("jwt-call-result")).toHaveAttribute("data-status", "200");
        await page.getByTestId("call-me-strict").click();
        await expect(page.getByTestId("jwt-call-result")).toHaveAttribute("data-status", "200");
      }
      // One key for the origin: both tabs' tokens are bound to the same thumbprint.
      if (mode === "on") {
        const [a, b] = await Promise.all(tabs.map((page) => page.getByTestId("dpop-jkt").textContent()));
        expect(a).toBe(b);
        await expect(second.getByTestId("claim-cnf")).toContainText(a!.trim());
      }
      // The tabs took turns (Web Locks): each refresh presented the live token, none needed the grace window.
      expect(answers.length).toBeGreaterThanOrEqual(4);
      expect(new Set(answers)).toEqual(new Set(["200 rotated"]));
    });
  }
});

test.describe("the two-tabs experiment under strict mode (REFRESH_REUSE_GRACE_SECONDS=0)", () => {
  let server: AppServer;
  test.beforeAll(async () => {
    server = await startAppServer({ env: { REFRESH_REUSE_GRACE_SECONDS: "0", INSTANCE_ID: "e2e-strict" } });
  });
  test.afterAll(async () => {
    await server?.dispose();
  });

  test("predicts and shows the family ending, shows what the grace window would do, and recovers", async ({ page }) => {
    await page.goto(`${server.url}/signup`);
    await page.getByLabel("Email").fill(uniqueEmail("strict"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("access-token")).toBeVisible();

    const card = page.getByTestId("experiment-two-tabs");
    await releaseNextTwoRefreshesTogether(page);
    await card.getByTestId("run-two-tabs").click();
    await expect(card.getByTestId("verdict")).toHaveText("as predicted", { timeout: 30_000 });
    const steps = card.getByTestId("step-result");
    await expect(steps).toHaveCount(6);
    await expect(steps.nth(1)).toHaveAttribute("data-status", "401");
    for (let i = 0; i < 6; i++) await expect(steps.nth(i)).toHaveAttribute("data-pass", "true");
    await expect(card).toContainText("the two tabs got 200 and 200, and the family lived on");
    await expect(refreshRows(page).first()).toHaveAttribute("data-status", "200");
  });
});
