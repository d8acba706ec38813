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
  await expect(page.getByText("Signed out 2 other sessions.")).toBeVisible();
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

test("change the password on /sessions without JavaScript: other sessions end, this one stays", async ({
  page,
  browser,
}) => {
  const { email } = await signUpThroughForm(page);
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const here = await noScript.newPage();
  await here.goto("/login");
  await here.getByLabel("Email").fill(email);
  await here.getByLabel("Password").fill(PASSWORD);
  await here.getByRole("button", { name: "Sign in" }).click();
  await expect(here).toHaveURL(/\/dashboard$/);

  await here.goto("/sessions");
  const form = here.getByTestId("password-form");
  await form.getByLabel("Current password").fill("not the password at all");
  await form.getByLabel("New password").fill("a brand new passphrase");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(here.locator("#currentPassword-error")).toBeVisible();

  await here.getByTestId("password-form").getByLabel("Current password").fill(PASSWORD);
  await here.getByTestId("password-form").getByLabel("New password").fill("a brand new passphrase");
  await here.getByTestId("password-form").getByRole("button", { name: "Change password" }).click();
  await expect(here.getByText("Your password was changed. Signed out 1 other session.")).toBeVisible();
  await expect(here.getByTestId("session-row")).toHaveCount(1);

  // The browser that signed up is signed out; the new password signs in, the old one does not.
  await page.reload();
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard&reason=ended$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toBeVisible();
  await page.getByLabel("Password").fill("a brand new passphrase");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await noScript.close();
});
