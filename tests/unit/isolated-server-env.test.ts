/**
 * A server a tool starts gets every configuration variable set explicitly ("" is unset), so nothing from a
 * developer's .env.local reaches it: @next/env fills in only variables that are not set at all.
 */
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES } from "@/lib/edge/config";
import { isolatedServerEnv } from "@/scripts/lib/scratch";

describe("isolatedServerEnv", () => {
  it("blanks every variable the configuration reads, and keeps the values given", () => {
    const env = isolatedServerEnv({ PORT: "4321" });
    for (const name of CONFIG_VARIABLES.filter((n) => n !== "PORT")) expect(env[name], name).toBe("");
    expect(env.PORT).toBe("4321");
    expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining(["REDIS_CLUSTER_NODES", "SESSION_COOKIE_CACHE_SECONDS"]));
  });
});
