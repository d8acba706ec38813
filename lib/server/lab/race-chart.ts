/**
 * The revocation race's timeline, drawn the way the benchmark draws its charts (bench/lib/charts.ts):
 * a Vega-Lite spec rendered to SVG on the server with Vega's headless "none" renderer. The page shows
 * it as an <img> from our own origin, so its Content-Security-Policy stays as it is (Vega evaluates
 * expressions with `Function`, which the page's policy rightly refuses to page script).
 */
import "server-only";
import { z } from "zod";

export const raceChartSchema = z.object({
  limitSeconds: z.number().positive().max(120),
  rows: z
    .array(
      z.object({
        name: z.string().min(1).max(60),
        /** Seconds from the revocation to the first refusal; null: still accepted at the limit. */
        refusedAfterSeconds: z.number().min(0).max(120).nullable(),
        note: z.string().max(160),
      }),
    )
    .min(1)
    .max(8),
});
export type RaceChartInput = z.infer<typeof raceChartSchema>;

const ACCEPTED = "#0d9488";
const STILL_ACCEPTED = "#c0392b";

function spec(input: RaceChartInput) {
  const values = input.rows.map((row) => ({
    name: row.name,
    from: 0,
    until: row.refusedAfterSeconds ?? input.limitSeconds,
    refused: row.refusedAfterSeconds !== null,
    note: row.note,
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "How long each credential kept working after the revocation",
      subtitle: `measured in this browser · asked every ~150 ms for up to ${input.limitSeconds} s`,
      anchor: "start" as const,
      fontSize: 14,
      subtitleColor: "#475569",
    },
    background: "white",
    padding: 12,
    width: 520,
    height: 34 * values.length,
    config: { font: "sans-serif", axis: { labelFontSize: 11, titleFontSize: 11 }, view: { stroke: null } },
    data: { values },
    encoding: {
      y: { field: "name", type: "nominal" as const, sort: null, title: null, axis: { labelLimit: 200 } },
    },
    layer: [
      {
        mark: { type: "bar" as const, height: 14, cornerRadiusEnd: 2 },
        encoding: {
          x: {
            field: "from",
            type: "quantitative" as const,
            scale: { domain: [0, input.limitSeconds] },
            title: "seconds after the revocation (bar: still accepted)",
          },
          x2: { field: "until" },
          color: {
            field: "refused",
            type: "nominal" as const,
            scale: { domain: [true, false], range: [ACCEPTED, STILL_ACCEPTED] },
            legend: null,
          },
        },
      },
      {
        mark: { type: "tick" as const, thickness: 3, size: 22, color: "#0f172a" },
        transform: [{ filter: "datum.refused" }],
        encoding: { x: { field: "until", type: "quantitative" as const } },
      },
      {
        mark: { type: "text" as const, align: "left" as const, dx: 6, fontSize: 11, color: "#0f172a" },
        transform: [{ filter: "datum.refused" }],
        encoding: { x: { field: "until", type: "quantitative" as const }, text: { field: "note" } },
      },
      {
        // Still accepted at the limit: the bar runs to the edge, so its words go inside it.
        mark: { type: "text" as const, align: "right" as const, dx: -6, fontSize: 11, color: "white" },
        transform: [{ filter: "!datum.refused" }],
        encoding: { x: { field: "until", type: "quantitative" as const }, text: { field: "note" } },
      },
    ],
  };
}

/** The SVG text. Vega is loaded on first use: only this lab route needs it. */
export async function renderRaceChart(input: RaceChartInput): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new View(parse(compile(spec(input) as Parameters<typeof compile>[0]).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
