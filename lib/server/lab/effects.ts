/**
 * What an experiment caused, for the dashboard: the caller's own security events written after a
 * given event id, and this instance's counters that an experiment can move. The page takes a
 * snapshot before it runs an experiment and another after, and shows the difference.
 */
import "server-only";
import { processSingleton } from "@/lib/edge/singleton";
import { metrics } from "@/lib/server/observability/metrics";
import { auditWritesSettled } from "@/lib/server/audit/record";
import { eventsOfUser, latestEventId } from "@/lib/server/audit/query";
import { describeEvent } from "@/lib/server/audit/describe";
import type { SecurityEventDto } from "@/lib/server/audit/events";

/** Counters an experiment moves; the rest (process metrics, histograms) would be noise here. */
const SHOWN = [
  "authlab_auth_checks_total",
  "authlab_refreshes_total",
  "authlab_refresh_reuse_detected_total",
  "authlab_revocations_total",
  "authlab_sign_ins_total",
];

export interface LabEffects {
  /**
   * This server process, as an opaque id: counters start again with a process, so a snapshot taken
   * before a restart and one after cannot be subtracted (the dashboard says so instead).
   */
  process: string;
  /** The newest event id now: pass as `after` next time. */
  cursor: number;
  events: (SecurityEventDto & { description: string })[];
  /** `name{label="value",…}` → value, for the counters in SHOWN. */
  counters: Record<string, number>;
}

async function counterValues(): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const metric of await metrics().registry.getMetricsAsJSON()) {
    if (!SHOWN.includes(metric.name)) continue;
    for (const sample of metric.values) {
      // Every lab call, this one included, is a session check: noise beside what the experiment did.
      if (sample.labels.check === "session") continue;
      const labels = Object.entries(sample.labels)
        .map(([name, value]) => `${name}="${value}"`)
        .join(",");
      values[labels ? `${metric.name}{${labels}}` : metric.name] = sample.value;
    }
  }
  return values;
}

/** Random per process (not its start time: no uptime for anyone who asks). */
const processId = () => processSingleton("labProcessId", () => crypto.randomUUID());

export async function labEffects(userId: number, after: number | null): Promise<LabEffects> {
  // The events of the request that just answered may still be on their way to the database.
  await auditWritesSettled();
  const cursor = await latestEventId();
  const events = after === null ? [] : await eventsOfUser(userId, { after, limit: 20 });
  const described = events.reverse().map((event) => ({ ...event, description: describeEvent(event) }));
  return { process: processId(), cursor, events: described, counters: await counterValues() };
}
