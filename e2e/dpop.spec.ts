import { expect, test, type Page } from "@playwright/test";
import { signUpThroughForm } from "./helpers";
import { GATE_LAYER } from "../tests/helpers/gate";

/** The page's key as stored in IndexedDB, inspected the way any script in the page could. */
function storedKey(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open("authlab");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const pair = await new Promise<CryptoKeyPair>((resolve, reject) => {
      const get = db.transaction("dpop-keys").objectStore("dpop-keys").get("current");
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    });
    db.close();
    const exported = await crypto.subtle.exportKey("jwk", pair.privateKey).then(
      () => "exported",
      (error: DOMException) => error.name,
    );
    return { extractable: pair.privateKey.extractable, exported, usages: pair.privateKey.usages };
  });
}

test.describe("DPoP on the dashboard", () => {
  test.beforeEach(async ({ page }) => {
    await signUpThroughForm(page);
    await expect(page.getByTestId("access-token")).toBeVisible();
  });

  test("binds the token to a non-extractable key, shows its cnf and each proof decoded", async ({ page }) => {
    await expect(page.getByTestId("token-type")).toHaveText("DPoP (bound to a key)");
    const jkt = (await page.getByTestId("dpop-jkt").textContent())!.trim();
    expect(jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(page.getByTestId("claim-cnf")).toContainText(jkt);
    await expect(page.getByTestId("dpop-binding")).toHaveText("bound to this key (cnf.jkt = its thumbprint)");
    await expect(page.getByTestId("dpop-extractable")).toContainText("no");
    // Script in the page can use the key but cannot read it out.
    expect(await storedKey(page)).toEqual({ extractable: false, exported: "InvalidAccessError", usages: ["sign"] });

    await page.getByTestId("call-me").click();
    await expect(page.getByTestId("jwt-call-result")).toHaveAttribute("data-status", "200");
    const row = page.locator('[data-testid="trace-row"][data-url="/api/me"]').first();
    await expect(row).toContainText("Authorization: DPoP … + DPoP: proof");
    await row.getByTestId("trace-proof").locator("summary").click();
    await expect(row.getByTestId("trace-proof")).toContainText('"htm": "GET"');
    await expect(row.getByTestId("trace-proof")).toContainText('"typ": "dpop+jwt"');
    await expect(row.getByTestId("trace-proof")).toContainText('"ath":');
    await expect(page.getByTestId("dpop-last-proof")).toContainText('"htu": "http://');
  });

  test("the switch turns DPoP off (a new, unbound family) and on again (the next refresh binds it)", async ({
    page,
  }) => {
    const jkt = (await page.getByTestId("dpop-jkt").textContent())!.trim();
    await page.getByTestId("dpop-switch").uncheck();
    await expect(page.getByTestId("token-type")).toHaveText("Bearer");
    await expect(page.getByTestId("dpop-binding")).toContainText("not bound");
    await page.getByTestId("call-me").click();
    await expect(page.getByTestId("jwt-call-result")).toHaveAttribute("data-status", "200");
    await expect(page.locator('[data-testid="trace-row"][data-url="/api/me"]').first()).toContainText(
      "Authorization: Bearer",
    );
    // The choice survives a reload, and the page keeps refreshing as Bearer.
    await page.reload();
    await expect(page.getByTestId("token-type")).toHaveText("Bearer");
    await expect(page.getByTestId("dpop-switch")).not.toBeChecked();

    await page.getByTestId("dpop-switch").check();
    await expect(page.getByTestId("token-type")).toHaveText("DPoP (bound to a key)");
    await expect(page.getByTestId("claim-cnf")).toContainText(jkt);
    await page.getByTestId("call-me-strict").click();
    await expect(page.getByTestId("jwt-call-result")).toHaveAttribute("data-status", "200");
  });

  test("Steal the access token: a bound session gets no Bearer copy; DPoP refuses the thief, and a captured proof replayed", async ({
    page,
  }) => {
    const card = page.getByTestId("experiment-steal");
    await card.getByTestId("run-steal").click();
    await expect(card.getByTestId("verdict")).toHaveText("as predicted", { timeout: 30_000 });
    const steps = card.getByTestId("step-result");
    await expect(steps).toHaveCount(7);
    const statuses = await steps.evaluateAll((items) => items.map((i) => i.getAttribute("data-status")));
    // The page's session is bound to its key: even the lab's proof-less token is bound, so the thief's
    // Bearer copy is refused.
    expect(statuses).toEqual(["200", "401", "200", "200", "401", "401", "401"]);
    for (let i = 0; i < 7; i++) await expect(steps.nth(i)).toHaveAttribute("data-pass", "true");
    await expect(steps.nth(1)).toContainText("invalid_token (dpop_required)");
    await expect(steps.nth(1)).toHaveAttribute("data-layer", GATE_LAYER);
    await expect(steps.nth(4)).toContainText("invalid_token (dpop_required)");
    await expect(steps.nth(5)).toContainText("proof: key_mismatch");
    await expect(steps.nth(6)).toContainText("proof: replayed");
    for (const i of [4, 5, 6]) await expect(steps.nth(i)).toHaveAttribute("data-layer", GATE_LAYER);
  });
});
