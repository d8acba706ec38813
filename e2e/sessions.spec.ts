import { expect, test } from "@playwright/test";
import { dashboardSettled, PASSWORD, signUpThroughForm } from "./helpers";

test("see your sessions, revoke another one, and that browser is sent to /login on its next request", async ({
  page,
  browser,
}) => {
  const { email } = await signUpThroughForm(page);
  const otherContext = await browser.newContext({
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0",
  });
  const other = await otherContext.newPage();
  await other.goto("/login");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill(PASSWORD);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other).toHaveURL(/\/dashboard$/);
  await dashboardSettled(other);

  await page.goto("/sessions");
  const rows = page.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  await expect(page.locator('[data-testid="session-row"][data-current="true"]')).toContainText("this session");
  const firefox = page.locator('[data-testid="session-row"][data-current="false"]');
  await expect(firefox).toContainText("Firefox on Windows");
  await firefox.getByRole("button", { name: /Revoke session on Firefox on Windows/ }).click();
  await expect(page.getByText("The session was revoked.")).toBeVisible();
  await expect(rows).toHaveCount(1);

  await other.reload();
  await expect(other).toHaveURL(/\/login\?next=%2Fdashboard&reason=ended$/);
  await expect(other.getByTestId("login-reason")).toHaveAttribute("data-reason", "ended");
  await otherContext.close();
});

test("sign out all other sessions keeps this one", async ({ page, browser }) => {
  const { email } = await signUpThroughForm(page);
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  for (const context of contexts) {
    const p = await context.newPage();
    await p.goto("/login");
    await p.getByLabel("Email").fill(email);
    await p.getByLabel("Password").fill(PASSWORD);
    await p.getByRole("button", { name: "Sign in" }).click();
    await expect(p).toHaveURL(/\/dashboard$/);
    await dashboardSettled(p);
  }
  await page.goto("/sessions");
  await expect(page.getByTestId("session-row")).toHaveCount(3);
  await page.getByTestId("revoke-others").click();
  await expect(page.getByText("Signed out 2 other session(s).")).toBeVisible();
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  // With no other session left, the page offers no button that would do nothing.
  await expect(page.getByTestId("revoke-others")).toHaveCount(0);
  await expect(page.getByTestId("no-other-sessions")).toBeVisible();
  for (const context of contexts) {
    const p = await context.newPage();
    await p.goto("/sessions");
    await expect(p).toHaveURL(/\/login/);
    await context.close();
  }
});
