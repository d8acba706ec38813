import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `server-only` throws outside React's server environment (its `react-server` export is an empty
 * module). Tests exercise server modules directly, so they get the empty module too.
 */
const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // Integration files start real servers; two at a time suits a 2-core machine.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/unit/setup-env.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "tests/security/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/helpers/global-setup.ts"],
          // Tests that start production servers and hash passwords take 30–60 s when the 2-core CI machine
          // is busy; the bound stops a hung test, it is not a performance assertion (those live in bench/).
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
