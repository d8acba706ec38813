import type { AvailableChart } from "@/lib/server/lab/benchmark-charts";
import { Collapsible } from "./collapsible";

/**
 * The latest `npm run bench` charts, as images from /bench-charts (served from bench/charts/*.svg).
 * An <img> of an SVG from our own origin keeps the page's CSP as it is: no inline SVG, no styles.
 */
export function BenchmarkCharts({ charts }: { charts: AvailableChart[] }) {
  if (charts.length === 0) return null;
  return (
    <section aria-labelledby="benchmark-charts-heading" className="mt-8" data-testid="benchmark-charts">
      <h2 id="benchmark-charts-heading" className="text-lg font-semibold">
        Measured under load
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        The latest <code>npm run bench</code> on this checkout; each chart names its date and machine.
      </p>
      <Collapsible
        summary={`${charts.length} ${charts.length === 1 ? "chart" : "charts"}`}
        testId="benchmark-collapsible"
      >
        <div className="grid gap-4 xl:grid-cols-2">
          {charts.map((chart) => (
            <figure
              key={chart.name}
              className="overflow-x-auto rounded-2xl border border-slate-200 bg-white p-3 shadow-sm"
              data-testid={`benchmark-chart-${chart.name}`}
              // Scrolls sideways on a phone; focusable so a keyboard can scroll it too (WCAG 2.1.1).
              tabIndex={0}
              aria-label={chart.title}
            >
              {/* next/image refuses SVG unless told to trust it (dangerouslyAllowSVG); a vector needs no resizing anyway. */}
              {/* On a phone the chart keeps its size and scrolls inside its card: scaled to fit, its text is unreadable. */}
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={chart.src} alt={chart.alt} loading="lazy" className="h-auto max-w-none sm:max-w-full" />
              <figcaption className="sr-only">{chart.title}</figcaption>
            </figure>
          ))}
        </div>
      </Collapsible>
    </section>
  );
}
