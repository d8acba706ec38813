import { expect, test } from "@playwright/test";
import { PASSWORD, signInThroughForm, signUpThroughForm, uniqueEmail } from "./helpers";

test.describe("signing up and in through the forms", () => {
  test("sign up, see yourself in the header, with the session cookie's attributes as designed", async ({
    page,
    context,
  }) => {
    const { name } = await signUpThroughForm(page);
    await expect(page.getByTestId("signed-in-as")).toContainText(name);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "authlab_session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });
    const refresh = cookies.find((c) => c.name === "authlab_refresh")!;
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/auth" });
    // Page script cannot read either cookie.
    expect(await page.evaluate(() => document.cookie)).not.toContain("authlab_");
  });

  test("shows inline errors: invalid input, a taken email, wrong credentials", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Email is not a valid address.")).toBeVisible();
    await expect(page.getByText("Password must be at least 8 characters.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Email")).toBeFocused();

    const { email } = await signUpThroughForm(page, uniqueEmail("taken"));
    await page.context().clearCookies();
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("An account with this email already exists.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Sign in instead" })).toHaveAttribute("href", /^\/login\?next=/);

    await signInThroughForm(page, email, "the wrong password");
    await expect(page.getByTestId("form-error")).toHaveText("The email or password is not correct.");
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expect(page.getByLabel("Password")).toHaveValue("");
  });

  test("sign out from the header, then protected pages redirect to /login?next=…", async ({ page }) => {
    await signUpThroughForm(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login\?signedOut=1$/);
    await expect(page.getByText("You are signed out.")).toBeVisible();
    await page.goto("/sessions");
    await expect(page).toHaveURL(/\/login\?next=%2Fsessions&reason=sign_in_required$/);
    await expect(page.getByTestId("login-reason")).toHaveAttribute("data-reason", "sign_in_required");
  });

  test("after signing in, lands on the page named by next=, and refuses an off-site next", async ({ page }) => {
    const { email } = await signUpThroughForm(page);
    await page.context().clearCookies();
    await page.goto("/sessions");
    await expect(page).toHaveURL(/\/login\?next=%2Fsessions&reason=sign_in_required$/);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/sessions$/);

    await page.context().clearCookies();
    await page.goto("/login?next=//evil.example/steal");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-up and sign-in forms still work, errors included", async ({ page }) => {
    const email = uniqueEmail("nojs");
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.context().clearCookies();

    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong password!");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toContainText("The email or password is not correct.");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });
});
