import { existsSync } from "node:fs";
import path from "node:path";
import type { NextConfig } from "next";

/**
 * Which gate this tree builds: the proxy build's tree (.next-proxy/, scripts/lib/build.ts) holds
 * proxy.ts where the working tree holds middleware.ts. Decided by the file, not by a variable, so a
 * build can never claim the gate it does not have. Next compiles this file into the tree it builds,
 * so `__dirname` is that tree.
 */
const gate = existsSync(path.join(__dirname, "proxy.ts")) ? "proxy" : "edge";

/**
 * Headers on every response (OWASP Secure Headers Project / ASVS 14.4). The page Content-Security-
 * Policy carries a per-request nonce, so middleware.ts sets it; API responses are JSON and get a
 * policy that allows nothing at all.
 */
const everywhere = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  // Which gate served (lib/edge/gate/name.ts): every response, including those no gate runs for.
  { key: "x-authlab-gate", value: gate },
];

const nextConfig: NextConfig = {
  // npm run bench:profile builds an unmangled copy into its own directory, leaving .next alone.
  distDir: process.env.AUTHLAB_DIST_DIR || ".next",
  poweredByHeader: false,
  // Inlined into every bundle at build time (lib/edge/gate/name.ts reads it).
  env: { AUTHLAB_BUILT_GATE: gate },
  reactStrictMode: true,
  // Bodies are buffered for middleware up to this size; handlers enforce their own 16 KB limit.
  experimental: {
    // forbidden() from next/navigation: a page a signed-in reader may not see answers 403, not 200.
    authInterrupts: true,
    proxyClientMaxBodySize: "64kb",
    serverActions: { bodySizeLimit: "16kb" },
  },
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      {
        source: "/.well-known/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      // RFC 6797 §7.2: HSTS only over HTTPS. These headers are fixed at build time, so the rule that
      // follows APP_ORIGIN (https → always HSTS, whatever X-Forwarded-Proto says) runs per request in
      // middleware.ts and every route handler (lib/edge/http/hsts.ts); this one still covers static
      // assets, which neither sees, when a trusted proxy reports HTTPS. Over plain HTTP a browser
      // ignores the header (§8.1), so a client that fakes X-Forwarded-Proto gains nothing.
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }],
      },
    ];
  },
};

export default nextConfig;
