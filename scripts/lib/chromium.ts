/**
 * The Chromium that the e2e tests and `npm run screenshots` launch: CHROMIUM_PATH, else Debian's
 * /usr/bin/chromium, else Playwright's own browser (`npx playwright install chromium`, which needs the
 * internet — hence the system browser first).
 */
import { existsSync } from "node:fs";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/** undefined: let Playwright use its own download. */
export function chromiumExecutable(): string | undefined {
  return process.env.CHROMIUM_PATH ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
}

export function chromiumArgs(): string[] {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return [
    // Chromium refuses to sandbox as root.
    ...(isRoot ? ["--no-sandbox"] : []),
    // Stop it calling home on a machine without internet.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ];
}

/** Why no browser can be launched, or null when one can (Playwright's path is passed in: it needs no import here). */
export function missingChromium(playwrightExecutable: string): string | null {
  const chosen = chromiumExecutable();
  if (chosen) return existsSync(chosen) ? null : `CHROMIUM_PATH is ${chosen}, which does not exist.`;
  if (existsSync(playwrightExecutable)) return null;
  return (
    "No Chromium found. Install Debian's chromium (apt-get install chromium) " +
    "or run `npx playwright install chromium` where the internet is reachable."
  );
}
