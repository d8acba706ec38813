/**
 * The admin pages judge the role in the session store: a signed-in account that is not an admin gets
 * 403 (not a 200 page that says "admins only"); a signed-out reader is sent to sign in; an admin sees
 * the page.
 */
import { describe, expect, it } from "vitest";
import { Client, signUp } from "../helpers/http-client";
import { setRole } from "../helpers/db";
import { useAppServer } from "../helpers/use-app-server";

const server = useAppServer();
const client = () => new Client(server.url);

describe("the admin pages", () => {
  it.each(["/admin", "/admin/audit"])("%s: 403 for a user, 200 once the store says admin", async (path) => {
    const c = client();
    const { email } = await signUp(c);
    const refused = await c.get(path);
    expect(refused.status).toBe(403);
    // Nothing of the admin page is sent (its table of accounts, its audit table).
    expect(refused.text).not.toMatch(/Accounts and their roles|data-testid="audit-table"/);
    await setRole(server.database, email, "ADMIN");
    expect((await c.get(path)).status).toBe(200);
  });

  it("a signed-out reader is sent to sign in, not refused", async () => {
    const page = await client().get("/admin");
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toMatch(/^\/login\?next=%2Fadmin&reason=sign_in_required$/);
  });
});
