/**
 * One access token, many strings. An ECDSA signature (r, s) has a twin (r, n − s)
 * that verifies just as well; WebCrypto signs high-s about half the time, so the twin cannot be
 * refused. What must not happen is that anything keyed on the token's *string* treats the twin as
 * another token: the verified-token cache is keyed on the decoded `jti` (and serves a hit only for
 * the exact string it verified), and revocation (the strict check) is keyed on `sid`.
 */
import { describe, expect, it } from "vitest";
import { Client, signUp } from "../helpers/http-client";
import { useAppServer } from "../helpers/use-app-server";
import { TEST_GATE } from "../helpers/gate";

const server = useAppServer();
const client = () => new Client(server.url);

/** The order of P-256's base point (SEC 2 §2.4.2). */
const P256_ORDER = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

function bigEndian(value: bigint, bytes: number): Buffer {
  return Buffer.from(value.toString(16).padStart(bytes * 2, "0"), "hex");
}

/** The same token with s replaced by n − s: the other valid ES256 signature of the same input. */
function highSTwin(token: string): string {
  const [header, payload, signature] = token.split(".");
  const raw = Buffer.from(signature!, "base64url");
  expect(raw).toHaveLength(64);
  const s = BigInt(`0x${raw.subarray(32).toString("hex")}`);
  const twin = Buffer.concat([raw.subarray(0, 32), bigEndian(P256_ORDER - s, 32)]);
  return `${header}.${payload}.${twin.toString("base64url")}`;
}

/** Whether the Node handler answered from its verified-token cache (its Server-Timing says so). */
async function me(token: string, path = "/api/me") {
  const response = await client().get(path, { bearer: token });
  return { response, cached: /already verified/.test(response.headers.get("server-timing") ?? "") };
}

describe("the high-s twin of a valid token", () => {
  it("verifies (it cannot be refused), but always in full: it never gets a cache entry of its own", async () => {
    const { accessToken } = await signUp(client());
    const twin = highSTwin(accessToken);
    expect(twin).not.toBe(accessToken);

    // The Node proxy verified it a moment earlier in the same process: the handler's first check is a hit.
    expect((await me(accessToken)).cached).toBe(TEST_GATE === "proxy");
    expect((await me(accessToken)).cached).toBe(true);
    for (let i = 0; i < 3; i++) {
      const { response, cached } = await me(twin);
      expect(response.status).toBe(200);
      expect(cached, `presentation ${i + 1} of the twin`).toBe(false);
    }
    // The string the server issued keeps its entry.
    expect((await me(accessToken)).cached).toBe(true);
  });

  it("a forged token carrying a verified token's jti is never served from the cache", async () => {
    const { accessToken } = await signUp(client());
    expect((await me(accessToken)).response.status).toBe(200);
    const [header, payload, signature] = accessToken.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: "ADMIN" })).toString("base64url");
    for (const forged of [`${header}.${promoted}.${signature}`, `${header}.${payload}.${"A".repeat(86)}`]) {
      const { response } = await me(forged, "/api/admin/stats");
      expect(response.status).toBe(401);
      expect(response.body.reason).toBe("bad_signature");
    }
  });

  it("a signature spelled with set pad bits (same bytes, another string) is refused as malformed", async () => {
    const { accessToken } = await signUp(client());
    // 64 bytes are 86 base64url characters; the last carries 4 pad bits, which must be zero.
    const last = accessToken.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const variant = accessToken.slice(0, -1) + alphabet[alphabet.indexOf(last) | 1];
    const { response } = await me(variant);
    expect(response.status).toBe(401);
    expect(response.body.reason).toBe("malformed");
  });

  it("revocation reaches every spelling: after sign-out the strict check refuses the twin too (keyed on sid)", async () => {
    const c = client();
    const { accessToken } = await signUp(c);
    const twin = highSTwin(accessToken);
    expect((await me(twin, "/api/me/strict")).response.status).toBe(200);
    expect((await c.post("/api/auth/logout")).status).toBe(204);
    for (const token of [accessToken, twin]) {
      const { response } = await me(token, "/api/me/strict");
      expect(response.status).toBe(401);
      expect(response.body.reason).toBe("revoked");
    }
  });
});
