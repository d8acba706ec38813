/**
 * Lint rules, including the runtime boundary (docs/design.md, "Where code runs"):
 *  - lib/edge/ and middleware.ts run at the Edge: Web APIs only. They may not import server modules,
 *    Node built-ins, Prisma, Redis, iron-session or anything else that needs Node.
 *  - components/ and lib/ui/ render in the browser (or in a server component that hands them props):
 *    they may import types from lib/server/, never values. Data arrives through props.
 *  - lib/server/db/ and lib/server/http/ (storage and transport) import nothing from lib/server/auth/.
 *  - no import cycles anywhere.
 */
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

const SERVER_MODULES = {
  group: ["@/lib/server/**", "@/lib/generated/**", "**/lib/server/**", "**/lib/generated/**"],
  message: "server-only code: the Edge and the browser may not import it (data reaches components through props)",
};

/** Node's built-ins by their bare names; `node:*` catches the prefixed form. */
const NODE_BUILTINS = [
  "fs",
  "path",
  "crypto",
  "http",
  "https",
  "net",
  "os",
  "child_process",
  "stream",
  "buffer",
  "url",
];

const NODE_ONLY_PACKAGES = [
  "node:*",
  "iron-session",
  "ioredis",
  "pg",
  "better-sqlite3",
  "@prisma/*",
  "@node-rs/*",
  "prom-client",
  "@opentelemetry/sdk-*",
  "server-only",
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { varsIgnorePattern: "^_", argsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "import/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    files: ["middleware.ts", "lib/edge/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: "the Edge runtime has Web APIs only" })),
          patterns: [
            { ...SERVER_MODULES, allowTypeImports: false },
            { group: ["@/lib/ui/**", "**/lib/ui/**"], message: "the Edge tree does not depend on UI code" },
            { group: NODE_ONLY_PACKAGES, message: "the Edge runtime has Web APIs only" },
          ],
        },
      ],
    },
  },
  {
    files: [
      "components/**/*.{ts,tsx}",
      "lib/ui/**/*.{ts,tsx}",
      "app/**/components.tsx",
      "app/**/components/**/*.{ts,tsx}",
    ],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: "browser code cannot use Node built-ins" })),
          patterns: [
            { ...SERVER_MODULES, allowTypeImports: true },
            { group: NODE_ONLY_PACKAGES, message: "browser code cannot use Node-only packages" },
          ],
        },
      ],
    },
  },
  {
    // Storage and transport sit below authentication: the database layer and the HTTP helpers need
    // nothing from lib/server/auth/ (what they share with it lives down here, e.g. db/session-rows.ts).
    files: ["lib/server/db/**/*.ts", "lib/server/http/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/server/auth/**", "**/lib/server/auth/**"],
              message: "storage and transport sit below auth: move what both need down, not this import up",
            },
          ],
        },
      ],
    },
  },
  {
    // Server and Edge code reads time through a named clock, the state clock or the wall clock
    // (lib/server/clock.ts says which rule follows which), so no expiry silently picks one.
    files: ["lib/server/**/*.ts", "lib/edge/**/*.ts", "app/api/**/*.ts", "middleware.ts", "instrumentation*.ts"],
    ignores: ["lib/server/clock.ts", "lib/edge/clock.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: "read stateClock or wallClock (lib/server/clock.ts, lib/edge/clock.ts), not Date.now",
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "read stateClock or wallClock (lib/server/clock.ts, lib/edge/clock.ts), not new Date()",
        },
      ],
    },
  },
  {
    // Test files call useAppServer() at the top level; it is a Vitest fixture, not a React hook.
    files: ["tests/**/*.ts", "e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  prettier,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "lib/generated/**",
    "next-env.d.ts",
    "test-results/**",
    "playwright-report/**",
    "data/**",
  ]),
]);
