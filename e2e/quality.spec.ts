import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { PASSWORD, signUpThroughForm, uniqueEmail } from "./helpers";

const PUBLIC_PAGES = ["/", "/login", "/signup", "/login?reason=unreadable&next=%2Fdashboard"];
const PRIVATE_PAGES = ["/dashboard", "/sessions", "/admin", "/admin/audit"];

async function expectAccessible(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary).toEqual([]);
}

test.describe("accessibility (axe, WCAG 2.1 AA) and layout at 375 px and 1440 px", () => {
  for (const path of PUBLIC_PAGES) {
    test(`${path}`, async ({ page }) => {
      for (const width of [375, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(path);
        await expectAccessible(page);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      }
    });
  }

  test("signed-in pages", async ({ page, request, baseURL }) => {
    // Eight page loads with an axe scan each: about 10 s idle, over a minute on a busy 2-core machine.
    test.slow();
    // Another account with a long address, so /admin shows a role control beside a long row.
    const other = await request.post("/api/auth/signup", {
      data: { email: uniqueEmail("a-rather-long-address-for-the-admin-table"), password: PASSWORD, name: "Other" },
      headers: { origin: baseURL! },
    });
    expect(other.status()).toBe(201);
    await signUpThroughForm(page);
    // An admin sees the whole of /admin, role controls included (the lab's role switch, development only).
    const promoted = await page.evaluate(async () => {
      const response = await fetch("/api/lab/role", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ role: "ADMIN" }),
      });
      return response.status;
    });
    expect(promoted).toBe(200);
    for (const path of PRIVATE_PAGES) {
      for (const width of [375, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(path);
        if (path === "/dashboard") await expect(page.getByTestId("access-token")).toBeVisible();
        if (path === "/admin") await expect(page.getByRole("button", { name: "Save" }).first()).toBeInViewport();
        await expectAccessible(page);
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth),
          `${path} at ${width}`,
        ).toBeLessThanOrEqual(width);
      }
    }
  });

  test("the sign-in form can be completed with the keyboard alone", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").focus();
    await page.keyboard.type("nobody@example.test");
    await page.keyboard.press("Tab");
    await page.keyboard.type("a wrong password");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("form-error")).toBeVisible();
  });
});

test("pages carry a nonce-based CSP and the browser reports no violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/login");
  const csp = response!.headers()["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  await signUpThroughForm(page);
  await expect(page.getByTestId("access-token")).toBeVisible();
  expect(violations).toEqual([]);
});

test("every page's icon loads: no request for an icon answers 404", async ({ page }) => {
  const missing: string[] = [];
  page.on("response", (response) => {
    if (/favicon|icon/.test(new URL(response.url()).pathname) && response.status() >= 400)
      missing.push(`${response.status()} ${response.url()}`);
  });
  for (const path of ["/", "/login", "/signup"]) await page.goto(path);
  const icons = await page
    .locator('link[rel="icon"]')
    .evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href));
  expect(icons.length).toBeGreaterThan(0);
  for (const href of [...icons, new URL("/favicon.ico", page.url()).href]) {
    const response = await page.request.get(href);
    expect(response.status(), href).toBe(200);
  }
  expect(missing).toEqual([]);
});
