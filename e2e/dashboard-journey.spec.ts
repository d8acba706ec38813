import { expect, test, type Page } from "@playwright/test";
import { signUpThroughForm } from "./helpers";
import { GATES } from "../scripts/server/gate.mjs";
import { GATE_TITLES } from "../lib/edge/gate/name";
import { TEST_GATE } from "../tests/helpers/gate";

/** Runs one experiment card and waits for its verdict; returns the card. */
async function runExperiment(page: Page, id: string) {
  const card = page.getByTestId(`experiment-${id}`);
  await card.getByTestId(`run-${id}`).click();
  await expect(card.getByTestId("verdict")).toBeVisible({ timeout: 30_000 });
  return card;
}

test("the dashboard hydrates without an error in another time zone and locale than the server's", async ({
  browser,
}) => {
  const context = await browser.newContext({ timezoneId: "America/Los_Angeles", locale: "de-DE" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await signUpThroughForm(page);
    await expect(page.getByTestId("access-token")).toBeVisible();
    await expect(page.getByTestId("idle-remaining")).toHaveText(/^\d+:\d\d$/);
    await page.reload();
    await expect(page.getByTestId("access-token")).toBeVisible();
    await expect(page.getByTestId("token-remaining")).toHaveText(/^\d+:\d\d$/);
    // Times are drawn in the reader's zone once the page runs (Los Angeles is never UTC+0).
    await expect(page.getByTestId("session-record").locator("time").first()).not.toContainText("UTC");
    // …and in the reader's locale: de-DE writes 07.12.2026, not "7 Dec 2026".
    await expect(page.getByTestId("session-record").locator("time").first()).toHaveText(/^\d{2}\.\d{2}\.\d{4}/);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test("every experiment runs in page order as predicted; after the session ends the page and header say so", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signUpThroughForm(page);
  await expect(page.getByTestId("access-token")).toBeVisible();
  const ids = await page
    .locator('article[data-testid^="experiment-"]')
    .evaluateAll((cards) => cards.map((card) => card.getAttribute("data-testid")!.replace(/^experiment-/, "")));
  expect(ids.length).toBeGreaterThanOrEqual(11);
  expect(ids.slice(-1)).toEqual(["revoke"]);
  for (const id of ids) {
    const card = await runExperiment(page, id);
    await expect(card.getByTestId("verdict"), id).toHaveText("as predicted");
  }

  // The session ended with the last experiment: no live record, no ticking countdown, header signed out.
  await expect(page.getByTestId("session-ended")).toBeVisible();
  await expect(page.getByTestId("idle-remaining")).toHaveCount(0);
  await expect(page.getByTestId("header-session-ended")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);

  // A successful DELETE /api/sessions names the layer that checked it, as does the logout.
  const revokeAll = page.locator('[data-testid="trace-row"][data-url="/api/sessions"]').first();
  await expect(revokeAll).toHaveAttribute("data-status", "200");
  await expect(revokeAll).toHaveAttribute("data-layer", "node-handler");
  await expect(page.locator('[data-testid="trace-row"][data-url="/api/auth/logout"]').first()).toHaveAttribute(
    "data-layer",
    "node-handler",
  );

  // Experiments that need only the token still run; those that need the session say why not.
  await expect(page.getByTestId("run-tamper")).toBeEnabled();
  const again = await runExperiment(page, "alg-none");
  await expect(again.getByTestId("verdict")).toHaveText("as predicted");
  await expect(page.getByTestId("run-expire")).toBeDisabled();
  await expect(page.getByTestId("experiment-expire")).toContainText("needs the session");
});

test("trace rows keep a size with its unit and start no line with a separator", async ({ page }) => {
  await signUpThroughForm(page);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.getByTestId("call-session").click();
  const row = page.locator('[data-testid="trace-row"][data-url="/api/session"]').first();
  await expect(row).toBeAttached();
  // On a phone the trace starts collapsed; a reader opens it.
  const trace = page.getByTestId("trace-collapsible");
  if ((await trace.getAttribute("open")) === null) await trace.locator("summary").click();
  await expect(row).toBeVisible();
  // "(302 B)" and "1.23 ms" never split across lines.
  const splits = await row
    .locator(".whitespace-nowrap")
    .evaluateAll((spans) =>
      spans
        .filter((span) => new Set([...span.getClientRects()].map((r) => Math.round(r.top))).size > 1)
        .map((span) => span.textContent),
    );
  expect(splits).toEqual([]);
  expect(await row.textContent()).not.toContain("·");
});

test("the strict check's result says it read the database, not the token alone", async ({ page }) => {
  await signUpThroughForm(page);
  await expect(page.getByTestId("access-token")).toBeVisible();
  await page.getByTestId("call-me-strict").click();
  await expect(page.getByTestId("me-identity")).toContainText("read the database");
  await expect(page.getByTestId("me-identity")).not.toContainText("from the token alone");
  await page.getByTestId("call-me").click();
  await expect(page.getByTestId("me-identity")).toContainText("from the token alone");
});

test("measurements survive a reload and can be cleared", async ({ page }) => {
  await signUpThroughForm(page);
  await expect(page.getByTestId("access-token")).toBeVisible();
  await runExperiment(page, "restart");
  const restart = page
    .getByTestId("comparison-table")
    .getByTestId("comparison-row")
    .filter({ hasText: "Survives a restart" });
  await expect(restart).toContainText("yes (database store)");
  await page.reload();
  await expect(restart).toContainText("yes (database store)");
  // The access token itself is never among what is kept.
  expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage }))).not.toContain("eyJ");
  await page.getByTestId("clear-measurements").click();
  await expect(restart).toContainText("run Restart");
});

test("the home page lists every experiment, each a link to its card on the dashboard", async ({ page }) => {
  await signUpThroughForm(page);
  await expect(page.getByTestId("access-token")).toBeVisible();
  const onDashboard = await page
    .locator('article[data-testid^="experiment-"]')
    .evaluateAll((cards) => cards.map((card) => `/dashboard#${card.id}`));
  await page.goto("/");
  const links = await page.getByTestId("home-experiment").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  expect(links).toEqual(onDashboard);
});

test("the sign-in page says why a reader was sent there, and only for a known reason", async ({ page }) => {
  await page.goto("/login?reason=unreadable&next=%2Fdashboard");
  await expect(page.getByTestId("login-reason")).toHaveAttribute("data-reason", "unreadable");
  await page.goto("/login?reason=%3Cb%3Eyour%20bank%20says%20hi%3C%2Fb%3E");
  await expect(page.getByTestId("login-reason")).toHaveCount(0);
  await expect(page.getByText("your bank says hi")).toHaveCount(0);
});

test("a cookie that cannot be opened sends the page to /login with reason unreadable", async ({ page, context }) => {
  await signUpThroughForm(page);
  const cookie = (await context.cookies()).find((c) => c.name === "authlab_session")!;
  // Change one character of the seal: iron-session's MAC no longer matches.
  const last = cookie.value.at(-1) === "A" ? "B" : "A";
  await context.addCookies([{ ...cookie, value: `${cookie.value.slice(0, -1)}${last}` }]);
  await page.goto("/sessions");
  await expect(page).toHaveURL(/\/login\?next=%2Fsessions&reason=unreadable$/);
  await expect(page.getByTestId("login-reason")).toHaveAttribute("data-reason", "unreadable");
});

test("the dashboard names the gate that served it, and the decision table costs every mechanism through both gates", async ({
  page,
}) => {
  await signUpThroughForm(page);
  await expect(page.getByTestId("page-gate")).toHaveText(GATE_TITLES[TEST_GATE]);
  const table = page.getByTestId("comparison-table");
  // Both rows come from the recorded benchmark run (bench/results.json), labelled with its date and machine.
  for (const gate of GATES) {
    const row = table.getByTestId("comparison-row").filter({ hasText: `Cost through the ${GATE_TITLES[gate]}` });
    await expect(row).toHaveCount(1);
    // The run's date in the reader's locale (en-US in these tests), then the machine it ran on.
    await expect(row.locator("th")).toContainText(/\(npm run bench, [A-Z][a-z]{2} \d{1,2}, \d{4}, .+\)/);
    if (gate === TEST_GATE) await expect(row.locator("th")).toContainText("this page's gate");
    for (const mechanism of ["store", "cached", "bearer", "strict"])
      await expect(row.locator(`td[data-mechanism="${mechanism}"]`), `${gate} ${mechanism}`).toHaveText(
        /^\d+ req\/s: \d+ % of the plain route/,
      );
  }
});

test("two tabs: signing out in one tells the other, whose header, artifacts and Run buttons follow", async ({
  page,
}) => {
  await signUpThroughForm(page);
  await expect(page.getByTestId("access-token")).toBeVisible();
  const other = await page.context().newPage();
  await other.goto("/dashboard");
  await expect(other.getByTestId("access-token")).toBeVisible();

  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(other).toHaveURL(/\/login\?signedOut=1$/);
  // The first tab made no request since: it was told, asked the server, and follows.
  await expect(page.getByTestId("header-session-ended")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  await expect(page.getByTestId("signed-out-banner")).toBeVisible();
  await expect(page.getByTestId("run-expire")).toBeDisabled();
  await other.close();
});

test("a tab that comes back into view asks the server, and follows a sign-out it was not told about", async ({
  page,
}) => {
  await signUpThroughForm(page);
  await expect(page.getByTestId("access-token")).toBeVisible();
  // Signed out by another client holding the same cookie: no tab of this page hears of it.
  expect(
    (
      await page.context().request.post("/api/auth/logout", { headers: { origin: new URL(page.url()).origin } })
    ).status(),
  ).toBe(204);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.evaluate(() => window.dispatchEvent(new Event("focus")));
  await expect(page.getByTestId("header-session-ended")).toBeVisible();
  await expect(page.getByTestId("signed-out-banner")).toBeVisible();
});

test("one experiment at a time: while one runs, the others' Run buttons say what they wait for", async ({ page }) => {
  await signUpThroughForm(page);
  await expect(page.getByTestId("access-token")).toBeVisible();
  await expect(page.getByTestId("revocation-race")).toHaveAttribute("data-settled", "true");
  const expire = page.getByTestId("experiment-expire");
  await expire.getByTestId("run-expire").click();
  await expect(expire.getByTestId("experiment-progress")).toBeVisible();
  const tamper = page.getByTestId("experiment-tamper");
  await expect(tamper.getByTestId("run-tamper")).toBeDisabled();
  await expect(tamper.getByTestId("run-waits")).toContainText("An expired token");
  await expect(page.getByTestId("race-run")).toBeDisabled();
  await expect(page.getByTestId("race-waits")).toContainText("An expired token");
  await expect(expire.getByTestId("verdict")).toHaveText("as predicted", { timeout: 30_000 });
  await expect(tamper.getByTestId("run-tamper")).toBeEnabled();
  await expect(page.getByTestId("race-run")).toBeEnabled();
});
