import { expect, type Page, type Route } from "@playwright/test";

let counter = 0;
export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(prefix = "e2e"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.test`;
}

/** Signs up through the real form and waits for the dashboard. */
export async function signUpThroughForm(page: Page, email = uniqueEmail(), name = "E2E Tester") {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await dashboardSettled(page);
  return { email, name };
}

/**
 * The dashboard measures each mechanism on load with a race session of its own and ends it after; a
 * test that goes on to count sessions waits for that, or it may count the race session too.
 */
export async function dashboardSettled(page: Page) {
  await expect(page.getByTestId("revocation-race")).toHaveAttribute("data-settled", "true", { timeout: 30_000 });
}

export async function signInThroughForm(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Holds the page's next two refresh requests until both have been sent, then lets them go together:
 * both carry the one refresh cookie, so the two-tabs experiment races every time (a browser may
 * otherwise start the second only after the first answer set the new cookie).
 */
export async function releaseNextTwoRefreshesTogether(page: Page): Promise<void> {
  const held: Route[] = [];
  await page.route("**/api/auth/refresh", async (route) => {
    held.push(route);
    if (held.length < 2) return;
    await Promise.all(held.map((r) => r.continue()));
    await page.unroute("**/api/auth/refresh");
  });
}

/** The opposite: the second of the next two refreshes leaves only once the first has been answered. */
export async function releaseNextTwoRefreshesInTurn(page: Page): Promise<void> {
  let firstAnswered: Promise<unknown> | null = null;
  await page.route("**/api/auth/refresh", async (route) => {
    if (!firstAnswered) {
      firstAnswered = page.waitForResponse((response) => response.request() === route.request());
      await route.continue();
      return;
    }
    await firstAnswered;
    await route.continue();
    await page.unroute("**/api/auth/refresh");
  });
}
