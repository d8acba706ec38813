import { expect, test, type Page } from "@playwright/test";
import { startAppServer } from "../tests/helpers/app-server";
import { releaseNextTwoRefreshesInTurn, releaseNextTwoRefreshesTogether, signUpThroughForm } from "./helpers";
import { GATE_LAYER, TEST_GATE } from "../tests/helpers/gate";
import { GATE_TITLES } from "../lib/edge/gate/name";

/** Every step's shown outcome equals the response the server gave, and the trace log agrees. */
async function expectExperimentAsPredicted(page: Page, id: string) {
  const card = page.getByTestId(`experiment-${id}`);
  await card.getByTestId(`run-${id}`).click();
  await expect(card.getByTestId("verdict")).toBeVisible({ timeout: 30_000 });
  const steps = card.getByTestId("step-result");
  const count = await steps.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const s = steps.nth(i);
    await expect(s).toHaveAttribute("data-pass", "true");
    expect(await s.getAttribute("data-status")).toBe(await s.getAttribute("data-expected-status"));
  }
  await expect(card.getByTestId("verdict")).toHaveText("as predicted");
  return card;
}

async function traceRows(page: Page, url: string) {
  return page.locator(`[data-testid="trace-row"][data-url="${url}"]`);
}

test.describe("the dashboard", () => {
  let email = "";
  test.beforeEach(async ({ page }) => {
    ({ email } = await signUpThroughForm(page));
    await expect(page.getByTestId("access-token")).toBeVisible();
  });

  test("shows who /api/me says you are, and traces both calls through the layer that checked them", async ({
    page,
  }) => {
    await expect(page.getByTestId("database-kind")).toHaveText("SQLite");
    const sub = (await page.getByTestId("claim-sub").textContent())!.replace(/"/g, "");
    await page.getByTestId("call-me").click();
    await expect(page.getByTestId("me-identity")).toContainText(`/api/me says you are user #${sub} with role USER`);
    await expect(page.getByTestId("me-identity")).not.toContainText("@");
    await page.getByTestId("call-me-strict").click();
    await expect(page.getByTestId("me-identity")).toContainText(email);
    await page.getByTestId("call-me").click();
    await expect(page.getByTestId("jwt-call-result")).toHaveAttribute("data-status", "200");
    await expect(page.getByTestId("jwt-call-result")).toHaveAttribute("data-layer", `${GATE_LAYER}+node-handler`);

    await page.getByTestId("call-session").click();
    await expect(page.getByTestId("session-call-result")).toHaveAttribute("data-status", "200");
    await expect(page.getByTestId("session-call-result")).toHaveAttribute("data-layer", "node-handler");
    const sessionRow = (await traceRows(page, "/api/session")).first();
    await expect(sessionRow).toHaveAttribute("data-status", "200");
    await expect(sessionRow).toContainText("store lookups 1");
    await expect(sessionRow).toContainText("session store lookup (database)");
    const meRow = (await traceRows(page, "/api/me")).first();
    await expect(meRow).toContainText(`${GATE_TITLES[TEST_GATE]} JWT verify`);
    await expect(meRow).toContainText("store lookups 0");

    const rows = page.getByTestId("comparison-table").getByTestId("comparison-row");
    await expect(rows.filter({ hasText: "Store lookups per request" })).toContainText("1");
    await expect(rows.filter({ hasText: "Credential bytes per request" }).locator("td").first()).toHaveAttribute(
      "data-measured",
      "true",
    );
  });

  test("decodes the token in the browser and keeps it out of storage; the cookie's value stays out of the page", async ({
    page,
    context,
  }) => {
    await expect(page.getByTestId("claim-role")).toContainText('"USER"');
    await expect(page.getByTestId("claims")).not.toContainText("@example.test");
    const storage = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(storage).not.toContain("eyJ");
    const seal = (await context.cookies()).find((c) => c.name === "authlab_session")!.value;
    expect(await page.content()).not.toContain(seal);
    expect(await page.content()).not.toContain(seal.split("*")[4]!);
    await expect(page.getByTestId("cookie-bytes")).toHaveText(`${seal.length} bytes`);
    await expect(page.getByTestId("cookie-attributes")).toContainText("HttpOnly · SameSite=Lax · Path=/");
  });

  test("tamper, alg: none, exposure, rotation and replay happen as predicted", async ({ page }) => {
    const tamper = await expectExperimentAsPredicted(page, "tamper");
    await expect(tamper.getByTestId("step-result")).toHaveAttribute("data-layer", GATE_LAYER);
    await expectExperimentAsPredicted(page, "alg-none");
    await expectExperimentAsPredicted(page, "exposure");
    await expectExperimentAsPredicted(page, "rotation");
    await expectExperimentAsPredicted(page, "replay");
    // After the replay experiment the page recovered a family: the token still refreshes.
    const refreshes = await traceRows(page, "/api/auth/refresh");
    await expect(refreshes.first()).toHaveAttribute("data-status", "200");
    const xss = page.getByTestId("comparison-table").getByTestId("comparison-row").filter({ hasText: "XSS exposure" });
    await expect(xss).toContainText("not readable by script (HttpOnly)");
  });

  test("two tabs refresh at once: both answered inside the grace window, and strict mode shown beside it", async ({
    page,
  }) => {
    await releaseNextTwoRefreshesTogether(page);
    const card = await expectExperimentAsPredicted(page, "two-tabs");
    await expect(card.getByTestId("step-result")).toHaveCount(4);
    await expect(card.getByTestId("step-result").nth(1)).toContainText("answered inside the 10 s window");
    await expect(card).toContainText("the two tabs got 200 and 401 (reused), and the family was revoked");
    // The page's family lived through the race: the token still refreshes.
    await expect((await traceRows(page, "/api/auth/refresh")).first()).toHaveAttribute("data-status", "200");
  });

  test("two tabs: when the browser happens to send the refreshes in turn, the experiment says nothing raced", async ({
    page,
  }) => {
    await releaseNextTwoRefreshesInTurn(page);
    const card = await expectExperimentAsPredicted(page, "two-tabs");
    await expect(card.getByTestId("step-result").nth(1)).toContainText("sent after tab 1's answer");
    await expect(card.getByTestId("step-result").nth(2)).toContainText("one per refresh");
    await expect(card).toContainText("nothing raced; run it again");
  });

  test("an invalid claims edit is reported, not sent", async ({ page }) => {
    const card = page.getByTestId("experiment-tamper");
    await card.getByTestId("tamper-editor").fill("{ not json");
    await card.getByTestId("run-tamper").click();
    await expect(card.getByRole("alert")).toHaveText("The claims are not valid JSON.");
  });

  test("a token that lives 5 seconds works, then expires", async ({ page }) => {
    const card = await expectExperimentAsPredicted(page, "expire");
    await expect(card.getByTestId("step-result").last()).toContainText("expired");
  });

  test("a role change reaches the session at once and the JWT after refresh", async ({ page }) => {
    await expectExperimentAsPredicted(page, "role");
    await expect(page.getByTestId("claim-role")).toContainText('"USER"');
  });

  test("with the database store the session survives a restart", async ({ page }) => {
    await expectExperimentAsPredicted(page, "restart");
    await expect(
      page.getByTestId("comparison-table").getByTestId("comparison-row").filter({ hasText: "Survives a restart" }),
    ).toContainText("yes (database store)");
  });

  test("sign out everywhere: the session dies at once, the JWT lives until exp, the strict check refuses it", async ({
    page,
  }) => {
    await expectExperimentAsPredicted(page, "revoke");
    await expect(page.getByTestId("signed-out-banner")).toBeVisible();
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/);
  });
});

test.describe("with the memory store", () => {
  test("a restart loses the session while the JWT keeps working", async ({ page }) => {
    const server = await startAppServer({ env: { SESSION_STORE: "memory", INSTANCE_ID: "e2e-memory" } });
    try {
      await page.goto(`${server.url}/signup`);
      await page.getByLabel("Email").fill(`memory-${Date.now()}@example.test`);
      await page.getByLabel("Password").fill("correct horse battery staple");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByTestId("access-token")).toBeVisible();
      await expectExperimentAsPredicted(page, "restart");
      await expect(
        page.getByTestId("comparison-table").getByTestId("comparison-row").filter({ hasText: "Survives a restart" }),
      ).toContainText("no (memory store");
    } finally {
      await server.dispose();
    }
  });
});

test.describe("under npm start (the launcher supervises the server)", () => {
  test("Restart really restarts the process; the page waits, reconnects, and the database store kept the session", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const server = await startAppServer({
      launcher: "npm-start",
      env: { NODE_ENV: "", AUTHLAB_ENV: "development", INSTANCE_ID: "e2e-supervised", SHUTDOWN_GRACE_SECONDS: "2" },
    });
    try {
      await page.goto(`${server.url}/signup`);
      await page.getByLabel("Email").fill(`supervised-${Date.now()}@example.test`);
      await page.getByLabel("Password").fill("correct horse battery staple");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByTestId("access-token")).toBeVisible();
      const card = await expectExperimentAsPredicted(page, "restart");
      const health = card.getByTestId("step-result").filter({ hasText: "GET /api/health" });
      await expect(health).toHaveCount(1);
      // A public endpoint: no layer checked it (not "Lab endpoint").
      await expect(health).toHaveAttribute("data-layer", "public");
      // The counters started again with the process: no difference is shown, let alone a negative one.
      await expect(card.getByTestId("effect-counters-restarted")).toBeVisible();
      await expect(card.getByTestId("effect-metric")).toHaveCount(0);
      await expect(
        page.getByTestId("comparison-table").getByTestId("comparison-row").filter({ hasText: "Survives a restart" }),
      ).toContainText("yes (database store, real restart)");
      expect(server.logs()).toContain("restarting the server");
    } finally {
      await server.dispose();
    }
  });
});
