/**
 * The per-address sign-in limit under addresses that are many strings for one client.
 * One IPv6 subscriber is routinely given a whole /64 (RFC 6177), so keying on
 * the full /128 gave them 2^64 buckets; and a proxy that appends `address:port` to X-Forwarded-For
 * (several cloud load balancers do) made every connection its own bucket. Behind one trusted proxy
 * here (TRUST_PROXY_HOPS=1), so the test plays the proxy.
 */
import { describe, expect, it } from "vitest";
import { Client, signUp, uniqueEmail } from "../helpers/http-client";
import { useAppServer } from "../helpers/use-app-server";

const LIMIT = 3;
const server = useAppServer({ env: { TRUST_PROXY_HOPS: "1", LOGIN_MAX_FAILURES_PER_ADDRESS: String(LIMIT) } });

/** One wrong sign-in per forwarded address, each for a new account; the statuses in order. */
async function failFrom(addresses: string[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const address of addresses) {
    const response = await new Client(server.url).post(
      "/api/auth/login",
      { email: uniqueEmail("spray"), password: "Winter2026!" },
      { headers: { "x-forwarded-for": address } },
    );
    statuses.push(response.status);
  }
  return statuses;
}

const limited = [...Array<number>(LIMIT).fill(401), 429, 429];

describe("the per-address sign-in limit", () => {
  it("counts an IPv6 /64 as one address, however its last 64 bits or its spelling vary", async () => {
    expect(
      await failFrom([
        "2001:db8:1:2::1",
        "2001:db8:1:2:ffff:ffff:ffff:fffe",
        "2001:0DB8:0001:0002:0000:0000:0000:0003",
        "2001:db8:1:2:a:b:c:d",
        "2001:db8:1:2::9",
      ]),
    ).toEqual(limited);
    // The neighbouring /64 is someone else.
    expect(await failFrom(["2001:db8:1:3::1"])).toEqual([401]);
  });

  it("ignores a port the proxy appended (IPv4 and bracketed IPv6)", async () => {
    expect(
      await failFrom([
        "198.51.100.7:1001",
        "198.51.100.7:1002",
        "198.51.100.7:40000",
        "198.51.100.7",
        "198.51.100.7:9",
      ]),
    ).toEqual(limited);
    expect(
      await failFrom([
        "[2001:db8:9:9::1]:443",
        "[2001:db8:9:9::2]:444",
        "2001:db8:9:9::3",
        "[2001:db8:9:9::4]",
        "[2001:db8:9:9::5]:1",
      ]),
    ).toEqual(limited);
  });

  it("an IPv4-mapped IPv6 address is the IPv4 address", async () => {
    expect(
      await failFrom([
        "203.0.113.9",
        "::ffff:203.0.113.9",
        "[::ffff:203.0.113.9]:80",
        "203.0.113.9:1",
        "::ffff:cb00:7109",
      ]),
    ).toEqual(limited);
  });

  it("records the address without its port on the session", async () => {
    const signedIn = new Client(server.url);
    const { email, password } = await signUp(new Client(server.url));
    const login = await signedIn.post(
      "/api/auth/login",
      { email, password },
      { headers: { "x-forwarded-for": "[2001:db8:5::7]:51234" } },
    );
    expect(login.status).toBe(200);
    const sessions = await signedIn.get("/api/sessions");
    const current = sessions.body.sessions.find((s: { current: boolean }) => s.current);
    expect(current.ip).toBe("2001:db8:5::7");
  });
});
