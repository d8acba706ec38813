import { expect, test } from "@playwright/test";
import { startAppServer, type AppServer } from "../tests/helpers/app-server";
import { haveClusterBinaries, startTestCluster, type TestRedisCluster } from "../tests/helpers/redis-cluster";
import { PASSWORD, dashboardSettled, uniqueEmail } from "./helpers";

test.describe("sessions sharded over a Redis Cluster, seen from the dashboard", () => {
  test.skip(!haveClusterBinaries(), "redis-server or redis-cli is not installed");
  let cluster: TestRedisCluster;
  let app: AppServer;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    cluster = await startTestCluster();
    app = await startAppServer({
      env: { SESSION_STORE: "redis", REDIS_CLUSTER_NODES: cluster.seeds, INSTANCE_ID: "e2e-sharded" },
    });
  });
  test.afterAll(async () => {
    await app?.dispose();
    await cluster?.dispose();
  });

  test("Kill a shard's primary: that shard answers 503 until its replica is promoted, the others answer, losses are counted", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto(`${app.url}/signup`);
    await page.getByLabel("Email").fill(uniqueEmail("shard"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await dashboardSettled(page);

    const card = page.getByTestId("experiment-shard");
    await expect(card).toContainText("Kill a shard's primary");
    await card.getByTestId("run-shard").click();
    await expect(card.getByTestId("verdict")).toHaveText("as predicted", { timeout: 90_000 });
    const statuses = await card
      .getByTestId("step-result")
      .evaluateAll((steps) => steps.map((s) => s.getAttribute("data-status")));
    expect(statuses).toEqual(["200", "200", "503", "200", "200", "200", "200"]);
    // The page names its shard and counts what the failover lost.
    await expect(card).toContainText(/hashes to slot \d+, served by 127\.0\.0\.1:\d+, one of 3 shards/);
    await expect(card).toContainText(/answered 503 for about [\d.]+ s/);
    await expect(card).toContainText(/Lost: \d+ of the \d+ writes the primary had acknowledged/);

    // The session survived the failover: the dashboard still opens.
    await page.reload();
    await expect(page.getByTestId("page-instance")).toHaveText("e2e-sharded");
    await cluster.restartStopped();
    await cluster.waitHealthy({ timeoutMs: 30_000 });
  });
});
