/**
 * The benchmark's charts on a running server: the committed bench/charts/*.svg served as inert SVG
 * images, nothing else readable through the route, and the dashboard showing them as <img> tags.
 */
import { describe, expect, it } from "vitest";
import { BENCHMARK_CHARTS, PLACEHOLDER_MARK, availableBenchmarkCharts } from "@/lib/server/lab/benchmark-charts";
import { Client, signUp } from "../helpers/http-client";
import { useAppServer } from "../helpers/use-app-server";

const server = useAppServer();

describe("/bench-charts", () => {
  it.each(BENCHMARK_CHARTS.map((c) => c.name))("serves %s.svg as an SVG image that runs nothing", async (name) => {
    const response = await new Client(server.url).get(`/bench-charts/${name}.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.text.replace(`${PLACEHOLDER_MARK}\n`, "")).toMatch(/^<svg /);
    expect(response.text).not.toMatch(/<script|<foreignObject|\shref=|javascript:/i);
  });

  it.each([
    "nothing.svg",
    "throughput",
    "throughput.svg.bak",
    "..%2Fresults.json",
    "%2e%2e%2f%2e%2e%2fpackage.json",
    "..%2F..%2F.env.local",
  ])("answers 404 not_found for %s", async (file) => {
    const response = await new Client(server.url).get(`/bench-charts/${file}`);
    expect(response.status).toBe(404);
    expect(response.body.error).toBe("not_found");
  });

  it("accepts GET only", async () => {
    const response = await new Client(server.url).post("/bench-charts/throughput.svg", {});
    expect(response.status).toBe(405);
    expect(response.body.error).toBe("method_not_allowed");
  });
});

describe("the dashboard", () => {
  it("shows each chart drawn from data as an image from /bench-charts, versioned by the file", async () => {
    const client = new Client(server.url);
    await signUp(client);
    const page = await client.get("/dashboard");
    expect(page.status).toBe(200);
    const shown = [...page.text.matchAll(/src="\/bench-charts\/([a-z-]+)\.svg\?v=\w+"/g)].map((m) => m[1]);
    // Charts a run had no data for ("not measured yet") stay in the READMEs and out of the dashboard.
    expect(shown).toEqual(availableBenchmarkCharts().map((c) => c.name));
    expect(shown.length).toBeGreaterThan(0);
  });
});
