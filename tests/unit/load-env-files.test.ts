/**
 * The supervisor in scripts/start.ts reads the env files again before it starts the server anew (the
 * lab's Restart), so a key `npm run keys:rotate` wrote to .env.local meanwhile is in use; a variable
 * set in the real environment still wins over the files, as it does for a fresh `npm start`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnvFiles } from "@/scripts/lib/prepare";

const dir = mkdtempSync(path.join(tmpdir(), "authlab-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Under NODE_ENV=test (vitest's) Next's loader skips .env.local by design, so the test writes .env,
// which every mode reads; the reload works the same for both files.
describe("loadEnvFiles, called again", () => {
  it("picks up a value changed in the env file, and never overrides the real environment", () => {
    process.env.AUTHLAB_TEST_REAL = "from the environment";
    writeFileSync(path.join(dir, ".env"), "AUTHLAB_TEST_KEYS=first\nAUTHLAB_TEST_REAL=from the file\n");
    loadEnvFiles(dir);
    expect(process.env.AUTHLAB_TEST_KEYS).toBe("first");

    writeFileSync(path.join(dir, ".env"), "AUTHLAB_TEST_KEYS=rotated\nAUTHLAB_TEST_REAL=from the file\n");
    loadEnvFiles(dir);
    expect(process.env.AUTHLAB_TEST_KEYS).toBe("rotated");
    expect(process.env.AUTHLAB_TEST_REAL).toBe("from the environment");
  });
});
