/**
 * A scratch working directory that `npm start` treats like a developer's clone: every source entry of
 * the repository linked in (sources, node_modules, the current production build), but its own
 * `data/` and `.env.local`. Tests that are about default paths (data/…) and generated development
 * secrets run `npm start` there, so they never touch the repository's own data or secrets.
 */
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildIsCurrent } from "@/scripts/lib/build";
import { ROOT } from "./app-server";

/** What a clone has that is the developer's own, never shared with the scratch checkout. */
const PRIVATE = /^(data|\.env.*|\.git|test-results|playwright-report|blob-report|coverage|\.next-profile)$/;

export interface Checkout {
  dir: string;
  dispose(): void;
}

export function scratchCheckout(): Checkout {
  // A stale build would make `npm start` rebuild into the shared .next while other tests use it.
  if (!buildIsCurrent(ROOT)) throw new Error("the production build is not current (the global setup builds it)");
  const dir = mkdtempSync(path.join(tmpdir(), "authlab-checkout-"));
  for (const entry of readdirSync(ROOT)) {
    if (!PRIVATE.test(entry)) symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
