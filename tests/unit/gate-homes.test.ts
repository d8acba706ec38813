/**
 * One gate, two homes: middleware.ts (Edge) and gates/proxy.ts (Node proxy) export the same gate
 * (lib/edge/gate/gate.ts). Next reads each file's `config` from its own source, so the matcher is
 * spelled twice; a route one build gates and the other does not would make the two builds disagree
 * about what is checked early. And AUTHLAB_GATE names one of the two, or the start refuses.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectDirOf, PROXY_TREE, selectedGate } from "@/scripts/server/gate.mjs";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** The `export const config = {…};` block of a file, as written. */
function configBlock(file: string): string {
  const source = readFileSync(path.join(ROOT, file), "utf8");
  const match = /^export const config = \{[\s\S]*?^\};$/m.exec(source);
  if (!match) throw new Error(`${file} has no config export`);
  return match[0];
}

describe("the two gate homes", () => {
  it("match the same routes", () => {
    const edge = configBlock("middleware.ts");
    expect(edge).toContain("matcher");
    expect(configBlock(path.join("gates", "proxy.ts"))).toBe(edge);
  });

  it("export the gate under the name each runtime looks for", () => {
    expect(readFileSync(path.join(ROOT, "middleware.ts"), "utf8")).toMatch(/^export const middleware = createGate\(/m);
    expect(readFileSync(path.join(ROOT, "gates", "proxy.ts"), "utf8")).toMatch(/^export const proxy = createGate\(/m);
  });
});

describe("AUTHLAB_GATE", () => {
  it("defaults to the Edge gate, built in the project itself", () => {
    expect(selectedGate({})).toBe("edge");
    expect(selectedGate({ AUTHLAB_GATE: "" })).toBe("edge");
    expect(projectDirOf(ROOT, "edge")).toBe(ROOT);
  });

  it("proxy builds and serves a tree of its own", () => {
    expect(selectedGate({ AUTHLAB_GATE: "proxy" })).toBe("proxy");
    expect(projectDirOf(ROOT, "proxy")).toBe(path.join(ROOT, PROXY_TREE));
  });

  it("refuses anything else, naming the variable", () => {
    for (const value of ["Edge", "node", "middleware", "proxy.ts"])
      expect(() => selectedGate({ AUTHLAB_GATE: value })).toThrow(/^AUTHLAB_GATE: /);
  });
});
