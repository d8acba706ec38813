/** Parses a Server-Timing header (W3C Server Timing §3): `name;dur=1.2;desc="…", …`. */
export interface TimingEntry {
  name: string;
  durationMs: number;
  description: string;
}

export function parseServerTiming(header: string | null): TimingEntry[] {
  if (!header) return [];
  return header
    .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((metric) => {
      const [name, ...params] = metric.trim().split(";");
      const entry: TimingEntry = { name: (name ?? "").trim(), durationMs: 0, description: "" };
      for (const param of params) {
        const [key, raw = ""] = param.split("=");
        const value = raw.trim().replace(/^"|"$/g, "");
        if (key?.trim() === "dur") entry.durationMs = Number(value) || 0;
        if (key?.trim() === "desc") entry.description = value;
      }
      return entry;
    })
    .filter((e) => e.name);
}
