import { expect, test } from "@playwright/test";
import { createTestDatabase, startAppServer, type AppServer, type TestDatabase } from "../tests/helpers/app-server";
import { freePort } from "../tests/helpers/ports";
import { startRedis, type RedisServer } from "../tests/helpers/redis-server";
import { requireBinary } from "../tests/helpers/system";

test.describe("two instances sharing Redis, seen from the dashboard", () => {
  test.skip(!requireBinary("redis-server", "apt-get install redis-server"), "redis-server is not installed");
  let database: TestDatabase;
  let redis: RedisServer;
  let a: AppServer;
  let b: AppServer;

  test.beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startRedis();
    const [portA, portB] = [await freePort(), await freePort()];
    const env = { SESSION_STORE: "redis", REDIS_URL: redis.url };
    [a, b] = await Promise.all([
      startAppServer({
        database,
        port: portA,
        env: { ...env, INSTANCE_ID: "e2e-cluster-a", CORS_ORIGINS: `http://127.0.0.1:${portB}` },
      }),
      startAppServer({
        database,
        port: portB,
        env: { ...env, INSTANCE_ID: "e2e-cluster-b", CORS_ORIGINS: `http://127.0.0.1:${portA}` },
      }),
    ]);
  });
  test.afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await redis?.dispose();
    await database?.dispose();
  });

  test("the dashboard on A sends the same cookie and token to B, and B answers", async ({ page }) => {
    await page.goto(`${a.url}/signup`);
    await page.getByLabel("Email").fill(`cluster-${Date.now()}@example.test`);
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("page-instance")).toHaveText("e2e-cluster-a");
    await expect(page.getByTestId("access-token")).toBeVisible();

    const card = page.getByTestId("experiment-instance");
    await card.getByTestId("run-instance").click();
    await expect(card.getByTestId("verdict")).toHaveText("as predicted");
    for (const step of await card.getByTestId("step-result").all()) {
      await expect(step).toHaveAttribute("data-status", "200");
      await expect(step).toContainText("answered by e2e-cluster-b");
    }
    const row = page
      .getByTestId("comparison-table")
      .getByTestId("comparison-row")
      .filter({ hasText: "Works across instances" });
    await expect(row).toContainText("yes (e2e-cluster-b)");

    // The selector sends the column's own call to B as well.
    await page.getByTestId("target-instance").selectOption(b.url);
    await page.getByTestId("call-session").click();
    await expect(page.locator('[data-testid="trace-row"]').first()).toContainText("e2e-cluster-b");

    // Open B directly: the same session.
    await page.goto(`${b.url}/dashboard`);
    await expect(page.getByTestId("page-instance")).toHaveText("e2e-cluster-b");
  });
});
